package ui

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/message"

	"github.com/itu-stocktaking/stocktaking/search"
)

// analyticsWeekChoices are the periods the analytics page offers, in weeks.
var analyticsWeekChoices = []int{4, 8, 12, 26, 52}

// defaultAnalyticsWeeks is the period shown without ?weeks=.
const defaultAnalyticsWeeks = 8

// analyticsView is the admin page of query statistics.
type analyticsView struct {
	Page
	Off     bool // no analytics sink: nothing is recorded
	Weeks   []linkView
	Summary []analyticsWeekView
	Total   analyticsWeekView
	Detail  []analyticsWeekView // the weeks with searches, newest first
	User    string              // the signed-in administrator
	ModURL  string
	APIURL  string
}

// analyticsWeekView is one week of the report.
type analyticsWeekView struct {
	ID          string // the HTML id of its section
	Label       string
	Searches    string
	ZeroResults string
	ZeroShare   string
	Tables      []countTable // top queries, zero-result queries, top filters
	HasDetail   bool         // the week has a section of its own
}

// countTable is one ranked list of a week.
type countTable struct {
	Caption, Head string
	Rows          []countView
}

// countView is a query or a filter, how often it occurred and the search
// that shows it again.
type countView struct {
	Text, URL, Count string
}

// handleAnalyticsPage answers GET /admin/analytics?weeks=N (1…52): weekly
// tables of what was searched, what found nothing and which filters were
// used. lifecycleRoutes registers it behind the admin sign-in.
func (s *Server) handleAnalyticsPage(c *fiber.Ctx) error {
	weeks := defaultAnalyticsWeeks
	params := map[string]func(string) error{
		"weeks": intParam("weeks", 1, 52, &weeks),
		"lang":  func(string) error { return nil }, // newPage reads it
	}
	if err := readParams(c, params); err != nil {
		return err
	}
	p := s.newPage(c, "")
	p.Title = p.T("analytics.title")
	p.NoIndex = true
	v := &analyticsView{Page: p, ModURL: "/moderation" + langArg(p.urlLang(), "?"), APIURL: "/api/v1/admin/analytics?weeks=" + strconv.Itoa(weeks)}
	if tok := tokenOf(c); tok != nil {
		v.User = tok.Name
	}
	for _, n := range analyticsWeekChoices {
		v.Weeks = append(v.Weeks, linkView{
			Label: p.L.Plural("analytics.weeks", n), URL: "/admin/analytics?weeks=" + strconv.Itoa(n) + langArg(p.urlLang(), "&"), Current: n == weeks,
		})
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderXRobotsTag, "noindex")
	sink := s.cfg.API.Analytics
	if sink == nil {
		v.Off = true
		return s.render(c, fiber.StatusOK, "analytics", v)
	}
	rep, err := sink.Report(weeks)
	if err != nil {
		return err
	}
	var total search.AnalyticsWeek
	for i := range rep.Weeks {
		w := &rep.Weeks[i]
		wv := analyticsWeekOf(w, &v.Page)
		v.Summary = append(v.Summary, wv)
		total.Searches += w.Searches
		total.ZeroResults += w.ZeroResults
		if wv.HasDetail {
			v.Detail = append(v.Detail, wv)
		}
	}
	v.Total = analyticsWeekOf(&total, &v.Page)
	return s.render(c, fiber.StatusOK, "analytics", v)
}

// analyticsWeekOf prepares one week in the page's language.
func analyticsWeekOf(w *search.AnalyticsWeek, p *Page) analyticsWeekView {
	l := p.L
	wv := analyticsWeekView{
		Searches:    l.Number(w.Searches),
		ZeroResults: l.Number(w.ZeroResults),
		ZeroShare:   percent(l, w.ZeroResults, w.Searches),
	}
	if !w.Start.IsZero() {
		start := w.Start.UTC()
		year, week := start.ISOWeek()
		wv.ID = "w-" + start.Format("2006-01-02")
		wv.Label = l.T("analytics.week", year, week, start.Format("2006-01-02"))
	}
	explicit := p.urlLang()
	top := countTable{Caption: l.T("analytics.top_queries"), Head: l.T("analytics.query")}
	for _, q := range w.TopQueries {
		top.Rows = append(top.Rows, queryCountView(q, explicit, l))
	}
	zero := countTable{Caption: l.T("analytics.zero_queries"), Head: l.T("analytics.query")}
	for _, q := range w.ZeroResultQueries {
		zero.Rows = append(zero.Rows, queryCountView(q, explicit, l))
	}
	filters := countTable{Caption: l.T("analytics.top_filters"), Head: l.T("analytics.filter")}
	for _, f := range w.TopFilters {
		filters.Rows = append(filters.Rows, filterCountView(f, explicit, p))
	}
	wv.Tables = []countTable{top, zero, filters}
	wv.HasDetail = wv.ID != "" && (w.Searches > 0 || len(top.Rows)+len(zero.Rows)+len(filters.Rows) > 0)
	return wv
}

// queryCountView is a recorded query with the link that runs it again.
func queryCountView(q search.QueryCount, lang string, l *locale) countView {
	cv := countView{Text: q.Text, Count: l.Number(q.Count)}
	if strings.TrimSpace(q.Text) == "" {
		cv.Text = l.T("analytics.empty_query")
	}
	cv.URL = searchState{Q: q.Text, Lang: lang}.URL()
	return cv
}

// filterCountView is a recorded "facet:value" filter, labelled in the
// page's language when the facet is known, with the search it selects.
func filterCountView(f search.QueryCount, lang string, p *Page) countView {
	cv := countView{Text: f.Text, Count: p.L.Number(f.Count)}
	facet, value, ok := strings.Cut(f.Text, ":")
	if !ok || !isFacetName(facet) {
		return cv
	}
	label := facetLabel(facet, value, p.Lang)
	if label == "" {
		label = value
	}
	if p.L.has("facet." + facet) {
		cv.Text = p.T("facet."+facet) + ": " + label
	}
	cv.URL = searchState{Values: map[string][]string{facet: {value}}, Lang: lang}.URL()
	return cv
}

// isFacetName reports whether name is one of the search facets.
func isFacetName(name string) bool {
	for _, f := range search.FacetNames {
		if f == name {
			return true
		}
	}
	return false
}

// percent is part/whole as a percentage with one decimal, in the locale's
// number format; "–" when whole is 0.
func percent(l *locale, part, whole int) string {
	if whole <= 0 {
		return "–"
	}
	share := float64(part) * 100 / float64(whole)
	return l.T("analytics.percent", message.NewPrinter(l.numTag).Sprintf("%.1f", share))
}
