package ui

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/itu-stocktaking/stocktaking/search"
)

// searchState is everything a search page's URL holds. Every link on the
// page is this state with one change, so the page works without JavaScript
// and can be bookmarked.
type searchState struct {
	Q        string
	Values   map[string][]string // facet → selected values
	YearFrom int
	YearTo   int
	Sort     string // "" for the default
	Size     int    // 0 for the default
	Page     int    // 0 or 1 for the first
	Lang     string // only when the URL chose it
}

// stateOf reads the state back from a parsed request.
func stateOf(req *search.Request, lang string) searchState {
	st := searchState{
		Q:        req.Text,
		Values:   map[string][]string{},
		YearFrom: req.Filters.YearFrom,
		YearTo:   req.Filters.YearTo,
		Page:     req.Page,
		Lang:     lang,
	}
	if req.Sort != search.SortRelevance {
		st.Sort = req.Sort
	}
	if req.Size != search.DefaultPageSize {
		st.Size = req.Size
	}
	for f, vals := range req.Filters.Values {
		if len(vals) > 0 {
			st.Values[f] = append([]string(nil), vals...)
		}
	}
	return st
}

// clone copies the state so that changing the copy leaves st intact.
func (st searchState) clone() searchState {
	vals := make(map[string][]string, len(st.Values)+1)
	for f, v := range st.Values {
		vals[f] = v // slices are replaced, never appended to in place
	}
	st.Values = vals
	return st
}

// selected reports whether value v of facet f is in the state.
func (st searchState) selected(facet, v string) bool {
	for _, x := range st.Values[facet] {
		if x == v {
			return true
		}
	}
	return false
}

// toggle selects or unselects one facet value and goes back to page 1.
func (st searchState) toggle(facet, v string) searchState {
	n := st.clone()
	n.Page = 0
	old := st.Values[facet]
	if st.selected(facet, v) {
		keep := make([]string, 0, len(old))
		for _, x := range old {
			if x != v {
				keep = append(keep, x)
			}
		}
		n.Values[facet] = keep
	} else {
		n.Values[facet] = append(append(make([]string, 0, len(old)+1), old...), v)
	}
	return n
}

// withoutYears drops the year range and goes back to page 1.
func (st searchState) withoutYears() searchState {
	n := st.clone()
	n.YearFrom, n.YearTo, n.Page = 0, 0, 0
	return n
}

// withYears sets the year range and goes back to page 1.
func (st searchState) withYears(from, to int) searchState {
	n := st.clone()
	n.YearFrom, n.YearTo, n.Page = from, to, 0
	return n
}

// withoutFilters keeps the text, the order and the language only.
func (st searchState) withoutFilters() searchState {
	n := st
	n.Values = nil
	n.YearFrom, n.YearTo, n.Page = 0, 0, 0
	return n
}

// withQuery replaces the text and goes back to page 1.
func (st searchState) withQuery(q string) searchState {
	n := st
	n.Q, n.Page = q, 0
	return n
}

// withSort changes the order and goes back to page 1.
func (st searchState) withSort(sort string) searchState {
	n := st
	if sort == search.SortRelevance {
		sort = ""
	}
	n.Sort, n.Page = sort, 0
	return n
}

// withoutLang drops the language, for URLs that do not render a page.
func (st searchState) withoutLang() searchState {
	n := st
	n.Lang = ""
	return n
}

// withPage moves to page p.
func (st searchState) withPage(p int) searchState {
	n := st
	n.Page = p
	return n
}

// fields lists the state as name/value pairs in a fixed order: q, facets in
// the UI's order, years, sort, size, page, lang. Several values of one facet
// are joined with commas.
func (st searchState) fields(withQ, withYears, withPage bool) []hiddenField {
	out := make([]hiddenField, 0, 8)
	if withQ && st.Q != "" {
		out = append(out, hiddenField{"q", st.Q})
	}
	for _, f := range search.FacetNames {
		if vals := st.Values[f]; len(vals) > 0 {
			out = append(out, hiddenField{f, strings.Join(vals, ",")})
		}
	}
	if withYears {
		if st.YearFrom > 0 {
			out = append(out, hiddenField{"year_from", strconv.Itoa(st.YearFrom)})
		}
		if st.YearTo > 0 {
			out = append(out, hiddenField{"year_to", strconv.Itoa(st.YearTo)})
		}
	}
	if st.Sort != "" {
		out = append(out, hiddenField{"sort", st.Sort})
	}
	if st.Size > 0 {
		out = append(out, hiddenField{"size", strconv.Itoa(st.Size)})
	}
	if withPage && st.Page > 1 {
		out = append(out, hiddenField{"page", strconv.Itoa(st.Page)})
	}
	if st.Lang != "" {
		out = append(out, hiddenField{"lang", st.Lang})
	}
	return out
}

// URL is the search page URL of the state.
func (st searchState) URL() string { return st.urlAt("/search") }

// withOnly selects value v alone in facet f (replacing what was selected
// there) and goes back to page 1: the link of a chart element, whose count
// is "entries of the current set that carry v".
func (st searchState) withOnly(facet, v string) searchState {
	n := st.clone()
	n.Page = 0
	n.Values[facet] = []string{v}
	return n
}

// urlAt is the state's URL on another page that reads the same parameters
// (/explore, /report, /api/v1/export).
func (st searchState) urlAt(path string) string {
	var b strings.Builder
	b.Grow(64)
	b.WriteString(path)
	sep := byte('?')
	if strings.IndexByte(path, '?') >= 0 {
		sep = '&'
	}
	for _, f := range st.fields(true, true, true) {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(f.Name)
		b.WriteByte('=')
		if f.Name == "q" {
			b.WriteString(queryEscape(f.Value))
			continue
		}
		for j, v := range strings.Split(f.Value, ",") {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(queryEscape(v))
		}
	}
	return b.String()
}

// queryEscape escapes a query parameter name or value.
func queryEscape(s string) string { return url.QueryEscape(s) }

// pathEscape escapes one path segment, such as an entry id.
func pathEscape(s string) string { return url.PathEscape(s) }
