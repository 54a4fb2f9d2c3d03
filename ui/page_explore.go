package ui

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// exploreView is the explore page: the charts of the entries that match
// the URL's query and filters (the same parameters as /search).
type exploreView struct {
	Page
	Available  bool // the server computes statistics
	TotalText  string
	Chips      []chipView
	ClearURL   string
	SearchURL  string
	ReportURL  string
	CSVURL     string
	KeyFigures []keyFigure
	Years      figureView
	Lines      figureView
	SDGs       figureView
	Matrix     figureView
	Map        figureView
	Regions    figureView
	Stakehold  figureView
}

// keyFigure is one headline number.
type keyFigure struct {
	Value, Label string
}

// handleExplorePage renders /explore. Without a statistics service it
// says so (503) instead of drawing empty charts.
func (s *Server) handleExplorePage(c *fiber.Ctx) error {
	req, err := parseSearchRequest(c)
	if err != nil {
		return err
	}
	p := s.newPage(c, "")
	st := pageState(&p, req)
	v := &exploreView{Page: p}
	v.Title = v.T("explore.title")
	v.BodyClass = "page-explore"
	v.buildNav("explore", &st)
	v.Chips = chipViewsAt(st, v.L, "/explore")
	v.ClearURL = st.withoutFilters().urlAt("/explore")
	v.SearchURL = st.withPage(0).URL()
	v.ReportURL = st.withPage(0).urlAt("/report")
	v.CSVURL = st.withPage(0).withoutLang().urlAt("/api/v1/export?format=csv")
	if s.cfg.Stats == nil {
		return s.render(c, fiber.StatusServiceUnavailable, "explore", v)
	}
	stats, err := s.computeStats(c, req)
	if err != nil {
		return err
	}
	v.Available = true
	fillExplore(v, stats, st)
	return s.render(c, fiber.StatusOK, "explore", v)
}

// pageState reads the URL state of a page that takes the search
// parameters, and puts the query into the header's search box.
func pageState(p *Page, req *search.Request) searchState {
	explicit := ""
	if p.ExplicitLang {
		explicit = p.Lang
	}
	req.Normalize()
	st := stateOf(req, explicit)
	st.Page = 0
	p.Q = req.Text
	p.Hidden = st.fields(false, true, false)
	return st
}

// fillExplore draws the charts of stats into v.
func fillExplore(v *exploreView, stats *search.Stats, st searchState) {
	l := v.L
	v.TotalText = l.Plural("search.results", stats.Total)
	countries, sdgs, lines := countsOf(stats.Countries), countsOf(stats.SDGs), countsOf(stats.ActionLines)
	nCountries := 0
	for code, n := range countries {
		if n > 0 && code != search.CountryInternational {
			nCountries++
		}
	}
	first, last := 0, 0
	for y, m := range stats.YearStakeholder {
		n := 0
		for _, c := range m {
			n += c
		}
		if n > 0 && y > 0 {
			if first == 0 || y < first {
				first = y
			}
			last = max(last, y)
		}
	}
	goals := 0
	for _, g := range search.SDGs {
		if sdgs[strconv.Itoa(g.Number)] > 0 {
			goals++
		}
	}
	years := "–"
	if first > 0 {
		years = yearRangeLabel(first, last)
		if first == last {
			years = strconv.Itoa(first)
		}
	}
	v.KeyFigures = []keyFigure{
		{l.Number(stats.Total), l.T("explore.kf_entries")},
		{l.Number(nCountries), l.T("explore.kf_countries")},
		{years, l.T("explore.kf_years")},
		{l.T("explore.kf_of", goals, len(search.SDGs)), l.T("explore.kf_sdgs")},
	}
	v.Years = yearFigure(l, stats, st)
	v.Lines = actionLineFigure(l, lines, st, "fig-lines", 2, false)
	v.SDGs = sdgFigure(l, sdgs, st)
	v.Matrix = heatmapFigure(l, stats.Matrix, st)
	v.Map = mapFigure(l, countries, st)
	v.Regions = termFigure(l, "fig-regions", l.T("explore.regions"), search.FacetRegion, search.Regions, countsOf(stats.Regions), st, 2)
	byType := map[string]int{}
	for _, m := range stats.YearStakeholder {
		for code, n := range m {
			if _, ok := stakeholderColors[code]; !ok {
				code = "other"
			}
			byType[code] += n
		}
	}
	v.Stakehold = termFigure(l, "fig-stakeholders", l.T("explore.stakeholders"), search.FacetStakeholder, search.Stakeholders, byType, st, 2)
}

// computeStats runs the statistics of req within the search concurrency
// limit and time budget.
func (s *Server) computeStats(c *fiber.Ctx, req *search.Request) (*search.Stats, error) {
	req.Normalize()
	var stats *search.Stats
	err := s.bounded(c, func(ctx context.Context) (err error) {
		stats, err = s.cfg.Stats.Stats(ctx, req)
		return err
	})
	return stats, err
}
