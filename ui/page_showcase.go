package ui

import (
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// The showcase lists WSIS Prize winners and champions, for Forum
// organisers: one prize year at a time grouped by the 18 categories, or one
// category across the years. It runs the normal search with the prize
// filters, so its lists are the ones /search and the export give.
const (
	showcasePageSize = search.MaxPageSize
	showcaseMaxPages = 3 // 300 entries: a year has 18 winners and ~72 champions
)

// showcaseStatuses are the prize results the showcase lists, best first.
var showcaseStatuses = []string{"winner", "champion"}

// showcaseView is the showcase page.
type showcaseView struct {
	Page
	Heading    string
	Lead       string
	Years      []linkView
	Categories []linkView
	Jump       []linkView // anchors to the groups
	Groups     []showGroup
	Balance    []figureView
	SearchURL  string
	ExportURL  string
	Capped     string // the note when the list was cut
	// Nominated says how many nominated projects an empty year or category
	// has, NominatedURL lists them.
	Nominated, NominatedURL string
}

// showGroup is one category (of a year) or one year (of a category).
type showGroup struct {
	ID, Title string
	Items     []showItem
}

// showItem is one prize-winning entry.
type showItem struct {
	hitView
	Status      string
	StatusClass string
}

// handleShowcasePage renders /showcase?year=Y or /showcase?category=N;
// without either it shows the latest prize year.
func (s *Server) handleShowcasePage(c *fiber.Ctx) error {
	year, cat := 0, 0
	for _, kv := range queryArgs(c) {
		name, val := kv[0], strings.TrimSpace(kv[1])
		if err := checkText(name, val); err != nil {
			return err
		}
		var err error
		switch name {
		case "year":
			if year, err = strconv.Atoi(val); err != nil || year < 2003 || year > 2100 {
				err = invalidParam(name, "year must be a prize year from 2003 to 2100")
			}
		case "category":
			var ok bool
			if cat, ok = search.ParsePrizeCategory(val); !ok {
				err = invalidParam(name, "category must be a WSIS Prize category from 1 to 18")
			}
		case "lang":
			err = readSearchParam(&search.Request{}, name, val)
		default:
			err = invalidParam(name, "unknown parameter %q; the showcase takes year, category and lang", clip(name, 40))
		}
		if err != nil {
			return err
		}
	}
	p := s.newPage(c, "")
	p.BodyClass = "page-showcase"
	lang := ""
	if p.ExplicitLang {
		lang = p.Lang
	}
	years, err := s.prizeYears(c, showcaseStatuses)
	if err != nil {
		return err
	}
	if year == 0 && cat == 0 && len(years) > 0 {
		year = years[0]
	}
	// Years whose results are not recorded (the 2015 round holds the real
	// nominees only) still get their chip: their page says so and links to
	// the nominated projects.
	if years, err = s.prizeYears(c, nil); err != nil {
		return err
	}
	v := &showcaseView{Page: p}
	base := searchState{Values: map[string][]string{search.FacetPrizeStatus: showcaseStatuses}, Lang: lang}
	for _, y := range years {
		v.Years = append(v.Years, linkView{Label: strconv.Itoa(y), URL: "/showcase?year=" + strconv.Itoa(y) + langArg(lang, "&"), Current: y == year && cat == 0})
	}
	for _, al := range matrixLines() {
		v.Categories = append(v.Categories, linkView{Label: actionLineLabel(al.Code, p.Lang),
			URL: "/showcase?category=" + strconv.Itoa(al.Category) + langArg(lang, "&"), Current: al.Category == cat})
	}
	st := base
	switch {
	case cat > 0:
		code, _ := search.ActionLineForCategory(cat)
		st = base.withOnly(search.FacetPrizeCat, strconv.Itoa(cat))
		v.Heading = p.T("showcase.category_h", actionLineLabel(code, p.Lang))
	case year > 0:
		st = base.withOnly(search.FacetPrizeYear, strconv.Itoa(year))
		v.Heading = p.T("showcase.year_h", year)
	default:
		v.Heading = p.T("showcase.title")
	}
	v.Title = v.Heading
	if year > 0 || cat > 0 {
		if err := s.fillShowcase(c, v, st, year, cat); err != nil {
			return err
		}
		if len(v.Groups) == 0 {
			if err := s.fillNominated(c, v, year, cat); err != nil {
				return err
			}
		}
	}
	return s.render(c, fiber.StatusOK, "showcase", v)
}

// fillNominated counts the nominated projects of a year or category that
// has no winners or champions recorded, for the empty showcase to link to.
func (s *Server) fillNominated(c *fiber.Ctx, v *showcaseView, year, cat int) error {
	st := searchState{Values: map[string][]string{search.FacetPrizeStatus: {"nominated"}}, Lang: v.Lang}
	if !v.ExplicitLang {
		st.Lang = ""
	}
	if year > 0 {
		st = st.withOnly(search.FacetPrizeYear, strconv.Itoa(year))
	}
	if cat > 0 {
		st = st.withOnly(search.FacetPrizeCat, strconv.Itoa(cat))
	}
	res, err := s.search(c, &search.Request{Filters: search.Filters{Values: st.Values}, Size: 1, NoFacets: true})
	if err != nil {
		return err
	}
	if res.Total > 0 {
		v.Nominated = v.L.Plural("showcase.nominated", res.Total)
		v.NominatedURL = st.urlAt("/search")
	}
	return nil
}

// prizeYears lists the prize years with a prize of one of statuses (any
// prize when nil), newest first.
func (s *Server) prizeYears(c *fiber.Ctx, statuses []string) ([]int, error) {
	req := &search.Request{Size: 1, Facets: []string{search.FacetPrizeYear}}
	if statuses != nil {
		req.Filters.Values = map[string][]string{search.FacetPrizeStatus: statuses}
	}
	res, err := s.search(c, req)
	if err != nil {
		return nil, err
	}
	var years []int
	for _, fv := range res.Facets[search.FacetPrizeYear] {
		if y, err := strconv.Atoi(fv.Value); err == nil && fv.Count > 0 {
			years = append(years, y)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(years)))
	return years, nil
}

// fillShowcase runs the search of st and groups its prizes: by category
// for a year, by year for a category.
func (s *Server) fillShowcase(c *fiber.Ctx, v *showcaseView, st searchState, year, cat int) error {
	l, lang := v.L, v.Lang
	var hits []search.Hit
	total := 0
	for page := 1; page <= showcaseMaxPages; page++ {
		req := &search.Request{Filters: search.Filters{Values: st.Values}, Sort: search.SortTitle,
			Page: page, Size: showcasePageSize, NoFacets: true}
		res, err := s.search(c, req)
		if err != nil {
			return err
		}
		total = res.Total
		hits = append(hits, res.Hits...)
		if page*showcasePageSize >= res.Total {
			break
		}
	}
	if total > len(hits) {
		v.Capped = l.T("showcase.capped", l.Number(len(hits)), l.Number(total))
	}
	type keyed struct {
		key  int // category or year
		rank int // winner 0, champion 1
		item showItem
	}
	var all []keyed
	var kept []*search.Entry // for the balance: region and stakeholder only
	winners, champions := 0, 0
	for i := range hits {
		h := &hits[i]
		counted := false // an entry counts once in the balance, wherever it is listed
		for _, pz := range h.Prizes {
			rank := statusRank(pz.Status)
			if rank < 0 || (year > 0 && pz.Year != year) || (cat > 0 && pz.Category != cat) {
				continue
			}
			key := pz.Category
			if cat > 0 {
				key = pz.Year
			}
			it := showItem{hitView: hitViewOf(h, &v.Page), Status: termLabel(search.PrizeStatuses, pz.Status, lang), StatusClass: "prize prize-" + pz.Status}
			all = append(all, keyed{key, rank, it})
			if !counted {
				kept = append(kept, &search.Entry{Region: h.Region, Stakeholder: h.Stakeholder})
				counted = true
			}
			if rank == 0 {
				winners++
			} else {
				champions++
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].key != all[j].key {
			if cat > 0 {
				return all[i].key > all[j].key // newest year first
			}
			return all[i].key < all[j].key
		}
		return all[i].rank < all[j].rank
	})
	for _, k := range all {
		if n := len(v.Groups); n == 0 || v.Groups[n-1].ID != groupID(k.key) {
			title := strconv.Itoa(k.key)
			if cat == 0 {
				title = prizeCategoryTitle(k.key, l)
			}
			v.Groups = append(v.Groups, showGroup{ID: groupID(k.key), Title: title})
			v.Jump = append(v.Jump, linkView{Label: jumpLabel(k.key, cat > 0), URL: "#" + groupID(k.key)})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Items = append(g.Items, k.item)
	}
	for gi := range v.Groups {
		items := v.Groups[gi].Items
		hvs := make([]hitView, len(items))
		for i := range items {
			hvs[i] = items[i].hitView
		}
		setShortlistButtons(&v.Page, hvs)
		for i := range items {
			items[i].hitView = hvs[i]
		}
	}
	v.Lead = l.T("showcase.lead", l.Plural("showcase.winners", winners), l.Plural("showcase.champions", champions))
	v.SearchURL = st.URL()
	v.ExportURL = st.withoutLang().urlAt("/api/v1/export?format=csv")
	if len(kept) > 0 {
		regions, stakeholders, _ := entryCounts(kept)
		v.Balance = []figureView{
			termFigure(l, "bal-region", l.T("balance.region"), search.FacetRegion, search.Regions, regions, st, 3),
			termFigure(l, "bal-stakeholder", l.T("balance.stakeholder"), search.FacetStakeholder, search.Stakeholders, stakeholders, st, 3),
		}
	}
	return nil
}

// statusRank orders the showcased statuses (winner first); -1 for others.
func statusRank(status string) int {
	for i, s := range showcaseStatuses {
		if s == status {
			return i
		}
	}
	return -1
}

// groupID is the HTML id of a group.
func groupID(key int) string { return "g-" + strconv.Itoa(key) }

// jumpLabel is a group's short name in the jump list: "C7.4" or "2024".
func jumpLabel(key int, byYear bool) string {
	if byYear {
		return strconv.Itoa(key)
	}
	if code, ok := search.ActionLineForCategory(key); ok {
		return code
	}
	return strconv.Itoa(key)
}

// prizeCategoryTitle is "Category 10 · C7.4 E-health".
func prizeCategoryTitle(cat int, l *locale) string {
	code, ok := search.ActionLineForCategory(cat)
	if !ok {
		return l.T("showcase.category_n", cat)
	}
	return l.T("showcase.category_n", cat) + " · " + actionLineLabel(code, l.Code)
}
