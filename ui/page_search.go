package ui

import (
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// searchView is the search page: the result list, the facets and every
// link that changes the search.
type searchView struct {
	Page
	Total      int
	TotalText  string // "1,234 results"
	Took       string
	Hits       []hitView
	DidYouMean string
	DidYouURL  string
	ReadAs     string
	Warnings   []string
	Sorts      []linkView
	Facets     []facetView
	Years      yearView
	Chips      []chipView
	ClearURL   string
	Pager      pagerView
	Filtered   bool // a filter or a year range is set
	ExploreURL string
	ReportURL  string
	CSVURL     string
}

// hitView is one result.
type hitView struct {
	ID          string
	URL         string
	Title       string
	Org         string
	Country     string
	Year        int
	Stakeholder string
	ActionLines []badgeView
	SDGs        []badgeView
	Prizes      []badgeView
	Snippet     template.HTML
	Summary     string // plain text, where no snippet is shown
	EntryLang   string
	// The shortlist button: AddURL works without JavaScript (the server
	// keeps the list in a cookie); shortlist.js turns it into a toggle.
	AddURL      string
	InShortlist bool
	SLLabel     string
	RemoveURL   string // on the reader's own shortlist page
}

// badgeView is a small coloured label, a link where URL is set.
type badgeView struct {
	Text, Title, Class, URL string
}

// linkView is a link that may be the current choice.
type linkView struct {
	Label, URL string
	Current    bool
}

// chipView is one active filter, with the link that removes it.
type chipView struct {
	Facet, Label, URL string
}

// pagerView is the pagination.
type pagerView struct {
	Prev, Next string
	Pages      []pageLink
}

// pageLink is one numbered page, or a gap when Gap is set.
type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// handleSearchPage renders / and /search.
func (s *Server) handleSearchPage(c *fiber.Ctx) error {
	req, res, err := s.runSearch(c, true)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "search", s.searchView(c, req, res))
}

// searchView builds the page's view from the request and its result.
func (s *Server) searchView(c *fiber.Ctx, req *search.Request, res *search.Result) *searchView {
	p := s.newPage(c, "")
	l, lang := p.L, p.Lang
	explicit := ""
	if p.ExplicitLang {
		explicit = lang
	}
	st := stateOf(req, explicit)
	p.Q = req.Text
	p.Hidden = st.fields(false, true, false)
	if req.Text != "" {
		p.Title = l.T("search.title_q", req.Text)
	} else {
		p.Title = l.T("search.title")
	}
	v := &searchView{
		Page:      p,
		Total:     res.Total,
		TotalText: l.Plural("search.results", res.Total),
		Took:      l.T("search.took", tookText(res.TookMS)),
		ReadAs:    res.ReadAs,
		Warnings:  res.Warnings,
		Filtered:  !req.Filters.Empty(),
		ClearURL:  st.withoutFilters().URL(),
	}
	if res.DidYouMean != "" && res.DidYouMean != req.Text {
		v.DidYouMean = res.DidYouMean
		v.DidYouURL = st.withQuery(res.DidYouMean).URL()
	}
	if res.ReadAs == req.Text {
		v.ReadAs = ""
	}
	for _, srt := range []string{search.SortRelevance, search.SortNewest, search.SortOldest, search.SortTitle} {
		v.Sorts = append(v.Sorts, linkView{Label: l.T("sort." + srt), URL: st.withSort(srt).URL(), Current: req.Sort == srt})
	}
	v.Hits = make([]hitView, 0, len(res.Hits))
	for i := range res.Hits {
		v.Hits = append(v.Hits, hitViewOf(&res.Hits[i], &v.Page))
	}
	setShortlistButtons(&v.Page, v.Hits)
	v.buildNav("search", &st)
	v.ExploreURL = st.withPage(0).urlAt("/explore")
	v.ReportURL = st.withPage(0).urlAt("/report")
	v.CSVURL = st.withPage(0).withoutLang().urlAt("/api/v1/export?format=csv")
	v.Facets = facetViews(res.Facets, st, l)
	v.Years = yearViewOf(res.Facets[search.FacetYear], st)
	v.Chips = chipViews(st, lang, l)
	v.Pager = pagerOf(st, req.Page, req.Size, res.Total)
	return v
}

// hitViewOf prepares one hit in the page's language; its link carries the
// language on when the URL chose it. The snippet is the only HTML taken
// from the index: its contract is that every entry character is escaped
// and only <mark> is added.
func hitViewOf(h *search.Hit, p *Page) hitView {
	lang := p.Lang
	hv := hitView{
		ID:          h.ID,
		URL:         p.entryURL(h.ID),
		Title:       h.Title,
		Org:         h.Organization,
		Year:        h.Year,
		Stakeholder: termLabel(search.Stakeholders, h.Stakeholder, lang),
		Snippet:     template.HTML(h.Snippet),
	}
	if h.Country != "" {
		hv.Country = facetLabel(search.FacetCountry, h.Country, lang)
	}
	for _, code := range h.ActionLines {
		hv.ActionLines = append(hv.ActionLines, badgeView{Text: code, Title: actionLineName(code, lang), Class: "al"})
	}
	for _, n := range h.SDGs {
		hv.SDGs = append(hv.SDGs, badgeView{Text: assets.locales[lang].T("sdg.short", n), Title: sdgName(n, lang), Class: sdgClass(n)})
	}
	for _, pz := range h.Prizes {
		hv.Prizes = append(hv.Prizes, prizeBadge(pz, lang))
	}
	return hv
}

// hitViewOfEntry prepares an entry read from the store as a result, with
// its short description clipped instead of a snippet.
func hitViewOfEntry(e *search.Entry, p *Page) hitView {
	hv := hitViewOf(&search.Hit{
		ID: e.ID, Title: e.Title, Organization: e.Organization, Country: e.Country, Region: e.Region,
		Stakeholder: e.Stakeholder, Year: e.Year, ActionLines: e.ActionLines, SDGs: e.SDGs, Prizes: e.Prizes,
	}, p)
	hv.Summary = clipText(e.ShortDescription, 280)
	hv.EntryLang = entryLang(e.Language)
	return hv
}

// setShortlistButtons fills the shortlist button of each hit.
func setShortlistButtons(p *Page, hits []hitView) {
	for i := range hits {
		hits[i].AddURL, hits[i].InShortlist, hits[i].SLLabel = shortlistButton(p, hits[i].ID, p.urlLang())
	}
}

// shortlistButton is the link, state and label of an entry's shortlist
// button: "add" links to the server's add action, "in the shortlist" to
// the list.
func shortlistButton(p *Page, id, lang string) (url string, in bool, label string) {
	if p.InShortlist(id) {
		return "/shortlist" + langArg(lang, "?"), true, p.T("shortlist.in")
	}
	return shortlistAddURL(id, lang), false, p.T("shortlist.add")
}

// prizeBadge labels a prize record: "WSIS Prizes 2024: Winner".
func prizeBadge(pz search.Prize, lang string) badgeView {
	l := assets.locales[lang]
	return badgeView{
		Text:  l.T("prize.badge", pz.Year, termLabel(search.PrizeStatuses, pz.Status, lang)),
		Title: prizeCategoryLabel(pz.Category, lang),
		Class: "prize prize-" + pz.Status,
	}
}

// chipViews lists the active filters in the UI's facet order.
func chipViews(st searchState, lang string, l *locale) []chipView {
	return chipViewsAt(st, l, "/search")
}

// chipViewsAt lists the active filters, each linking to the page at path
// without it.
func chipViewsAt(st searchState, l *locale, path string) []chipView {
	var out []chipView
	for _, f := range search.FacetNames {
		for _, v := range st.Values[f] {
			out = append(out, chipView{
				Facet: chipFacetName(f, l),
				Label: facetLabel(f, v, l.Code),
				URL:   st.toggle(f, v).urlAt(path),
			})
		}
	}
	if st.YearFrom > 0 || st.YearTo > 0 {
		out = append(out, chipView{Facet: l.T("facet.years"), Label: yearRangeLabel(st.YearFrom, st.YearTo), URL: st.withoutYears().urlAt(path)})
	}
	return out
}

// yearRangeLabel reads "2015–2020", "2015–" or "–2020".
func yearRangeLabel(from, to int) string {
	s := ""
	if from > 0 {
		s = strconv.Itoa(from)
	}
	s += "–"
	if to > 0 {
		s += strconv.Itoa(to)
	}
	return s
}

// pagerOf builds the pagination: first, last and two pages either side.
func pagerOf(st searchState, page, size, total int) pagerView {
	var pv pagerView
	if size <= 0 || total <= size {
		return pv
	}
	last := (total + size - 1) / size
	if last > 10000 {
		last = 10000
	}
	if page > 1 {
		pv.Prev = st.withPage(page - 1).URL()
	}
	if page < last {
		pv.Next = st.withPage(page + 1).URL()
	}
	nums := []int{1}
	for n := page - 2; n <= page+2; n++ {
		if n > 1 && n < last {
			nums = append(nums, n)
		}
	}
	nums = append(nums, last)
	prev := 0
	for _, n := range nums {
		if n <= prev {
			continue
		}
		if prev > 0 && n > prev+1 {
			pv.Pages = append(pv.Pages, pageLink{Gap: true})
		}
		pv.Pages = append(pv.Pages, pageLink{N: n, URL: st.withPage(n).URL(), Current: n == page})
		prev = n
	}
	return pv
}

// tookText formats a duration in milliseconds: "12", "0.4".
func tookText(ms float64) string {
	if ms >= 10 {
		return strconv.Itoa(int(ms + 0.5))
	}
	return strconv.FormatFloat(ms, 'f', 1, 64)
}

// chipFacetName is the facet's short name where it has one ("SDG").
func chipFacetName(facet string, l *locale) string {
	if l.has("chips." + facet) {
		return l.T("chips." + facet)
	}
	return l.T("facet." + facet)
}
