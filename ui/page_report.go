package ui

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// The report is a print-ready view of any search, laid out like the annual
// stocktaking report: headline figures and charts, then the entries
// grouped by action line. It lists at most reportMaxEntries entries.
const (
	reportMaxEntries = 500
	reportPageSize   = search.MaxPageSize
	reportSummaryLen = 400
)

// reportView is the report page.
type reportView struct {
	Page
	Heading    string
	Scope      string // the query and filters, in words
	Generated  string
	KeyFigures []keyFigure
	Charts     *exploreView // nil without statistics
	NoStats    bool
	Sections   []reportSection
	Contents   []linkView
	CapNote    string
	SearchURL  string
	ExploreURL string
}

// reportSection is one action line and its entries.
type reportSection struct {
	ID, Code, Title, Count string
	Entries                []reportEntry
}

// reportEntry is one entry of the report.
type reportEntry struct {
	hitView
	PrintURL string // absolute, printed after the title on paper
}

// handleReportPage renders /report with the parameters of /search.
func (s *Server) handleReportPage(c *fiber.Ctx) error {
	req, err := parseSearchRequest(c)
	if err != nil {
		return err
	}
	p := s.newPage(c, "")
	st := pageState(&p, req)
	v := &reportView{Page: p}
	v.BodyClass = "page-report"
	v.buildNav("", &st)
	l := v.L
	v.Heading = l.T("report.title")
	v.Title = v.Heading
	v.Scope = reportScope(st, l)
	v.Generated = l.T("report.generated", s.now().UTC().Format("2006-01-02"))
	v.SearchURL = st.URL()
	v.ExploreURL = st.urlAt("/explore")

	if s.cfg.Stats != nil {
		stats, err := s.computeStats(c, cloneRequest(req))
		if err != nil {
			return err
		}
		ex := &exploreView{Page: v.Page}
		fillExplore(ex, stats, st)
		v.KeyFigures = ex.KeyFigures
		v.Charts = ex
	} else {
		v.NoStats = true
	}

	hits, total, err := s.reportHits(c, req)
	if err != nil {
		return err
	}
	if v.KeyFigures == nil {
		v.KeyFigures = []keyFigure{{l.Number(total), l.T("explore.kf_entries")}}
	}
	if total > len(hits) {
		v.CapNote = l.T("report.capped", l.Number(len(hits)), l.Number(total))
	}
	base := s.baseURL(c)
	v.Sections = reportSections(hits, func(h *search.Hit) reportEntry {
		re := reportEntry{hitView: hitViewOf(h, &v.Page)}
		re.PrintURL = base + re.URL
		if e, err := s.cfg.Service.Store.Get(h.ID); err == nil {
			re.Summary = clipText(e.ShortDescription, reportSummaryLen)
			re.EntryLang = entryLang(e.Language)
		}
		re.Snippet = ""
		return re
	}, l)
	for _, sec := range v.Sections {
		v.Contents = append(v.Contents, linkView{Label: sec.Title + " (" + sec.Count + ")", URL: "#" + sec.ID})
	}
	return s.render(c, fiber.StatusOK, "report", v)
}

// cloneRequest copies what a second use of a request may change.
func cloneRequest(req *search.Request) *search.Request {
	r := *req
	return &r
}

// reportHits reads up to reportMaxEntries hits of req, in its order (by
// title unless the URL chose one).
func (s *Server) reportHits(c *fiber.Ctx, req *search.Request) ([]search.Hit, int, error) {
	var hits []search.Hit
	total := 0
	sortBy := req.Sort
	if c.Query("sort") == "" {
		sortBy = search.SortTitle
	}
	for page := 1; len(hits) < reportMaxEntries; page++ {
		r := cloneRequest(req)
		r.Page, r.Size, r.Sort, r.Cursor, r.NoFacets, r.Snippets = page, reportPageSize, sortBy, "", true, false
		res, err := s.search(c, r)
		if err != nil {
			return nil, 0, err
		}
		total = res.Total
		hits = append(hits, res.Hits...)
		if len(res.Hits) == 0 || page*reportPageSize >= res.Total {
			break
		}
	}
	if len(hits) > reportMaxEntries {
		hits = hits[:reportMaxEntries]
	}
	return hits, total, nil
}

// reportSections groups hits by action line, in the lines' order; an entry
// in several lines is listed under each. A C7 sub-line entry is listed
// under its sub-line only, not again under C7.
func reportSections(hits []search.Hit, entry func(*search.Hit) reportEntry, l *locale) []reportSection {
	byLine := map[string][]int{}
	for i := range hits {
		seen := map[string]bool{}
		for _, code := range hits[i].ActionLines {
			if !seen[code] {
				seen[code] = true
				byLine[code] = append(byLine[code], i)
			}
		}
		if len(hits[i].ActionLines) == 0 {
			byLine[""] = append(byLine[""], i)
		}
	}
	built := map[int]reportEntry{}
	get := func(i int) reportEntry {
		if re, ok := built[i]; ok {
			return re
		}
		re := entry(&hits[i])
		built[i] = re
		return re
	}
	var out []reportSection
	add := func(code, title string) {
		idx := byLine[code]
		if len(idx) == 0 {
			return
		}
		sec := reportSection{ID: "al-" + strings.ReplaceAll(code, ".", "-"), Code: code, Title: title,
			Count: l.Plural("search.results", len(idx))}
		for _, i := range idx {
			sec.Entries = append(sec.Entries, get(i))
		}
		out = append(out, sec)
	}
	for _, al := range search.ActionLines {
		add(al.Code, actionLineLabel(al.Code, l.Code))
	}
	if len(byLine[""]) > 0 {
		add("", l.T("report.no_line"))
		out[len(out)-1].ID = "al-none"
	}
	return out
}

// reportScope says in words what the report covers: the query and each
// filter, or "all entries".
func reportScope(st searchState, l *locale) string {
	var parts []string
	if st.Q != "" {
		parts = append(parts, l.T("report.query", st.Q))
	}
	for _, ch := range chipViewsAt(st, l, "/report") {
		parts = append(parts, ch.Facet+": "+ch.Label)
	}
	if len(parts) == 0 {
		return l.T("report.all")
	}
	return strings.Join(parts, " · ")
}
