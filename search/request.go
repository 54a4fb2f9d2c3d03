package search

import (
	"context"
	"slices"
	"sort"
)

// Sort orders of a result list.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
	SortOldest    = "oldest"
	SortTitle     = "title"
)

// Limits on a request; the ui may lower them through configuration.
const (
	MaxPageSize     = 100
	DefaultPageSize = 20
	MaxQueryLength  = 1000
)

// Filters holds the selected facet values: several values of one facet are
// OR-ed, different facets are AND-ed. Values are facet keywords as returned by
// FacetValues. YearFrom/YearTo (0 = open) bound the edition year.
type Filters struct {
	Values   map[string][]string `json:"values,omitempty"`
	YearFrom int                 `json:"year_from,omitempty"`
	YearTo   int                 `json:"year_to,omitempty"`
}

// Add selects value v of facet f (no duplicates).
func (f *Filters) Add(facet, v string) {
	if f.Values == nil {
		f.Values = map[string][]string{}
	}
	for _, x := range f.Values[facet] {
		if x == v {
			return
		}
	}
	f.Values[facet] = append(f.Values[facet], v)
}

// Active lists the facets with at least one selected value, sorted.
func (f Filters) Active() []string {
	var out []string
	for k, v := range f.Values {
		if len(v) > 0 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Empty reports whether no filter is set.
func (f Filters) Empty() bool {
	return len(f.Active()) == 0 && f.YearFrom == 0 && f.YearTo == 0
}

// Matches reports whether an entry passes the filters, skipping facet skip
// (pass "" to apply them all). It is the brute-force definition of filtering
// used by tests and by small fallbacks.
func (f Filters) Matches(e *Entry, skip string) bool {
	return f.MatchValues(FacetValues(e), e.Year, skip)
}

// MatchValues is Matches over precomputed FacetValues of an entry and its
// edition year, for callers that test many filters against the same entries.
//
// The prize facets (year, status, category of a prize) are matched within
// one prize record: prize_year=2015 with prize_status=winner is an entry
// that won in 2015, not one nominated in 2015 that won another year.
func (f Filters) MatchValues(vals map[string][]string, year int, skip string) bool {
	prizes := false
	for facet, want := range f.Values {
		if facet == skip || len(want) == 0 {
			continue
		}
		if IsPrizeFacet(facet) {
			prizes = true
			continue
		}
		if !intersects(vals[facet], want) {
			return false
		}
	}
	if prizes && !slices.ContainsFunc(vals[FacetPrizeRecord], func(rec string) bool {
		return PrizeRecordMatches(rec, f.Values, skip)
	}) {
		return false
	}
	if skip != FacetYear {
		if f.YearFrom > 0 && year < f.YearFrom {
			return false
		}
		if f.YearTo > 0 && year > f.YearTo {
			return false
		}
	}
	return true
}

// CountedValues returns the values of facet that an entry counts for in
// the disjunctive counts of a search with these filters: none when it does
// not pass them (facet's own selection aside), else its values of facet;
// for a prize facet, only the values of its prize records that match the
// other prize dimensions selected. It is the brute-force definition of a
// facet count.
func (f Filters) CountedValues(vals map[string][]string, year int, facet string) []string {
	if !f.MatchValues(vals, year, facet) {
		return nil
	}
	if !IsPrizeFacet(facet) {
		return vals[facet]
	}
	var out []string
	for _, rec := range vals[FacetPrizeRecord] {
		if v := PrizeRecordPart(rec, facet); v != "" && PrizeRecordMatches(rec, f.Values, facet) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func intersects(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}

// Request is one search: the user's text, its parsed form, filters, order
// and page.
type Request struct {
	Text    string  `json:"q"`
	Query   *Query  `json:"-"` // parsed from Text by ParseQuery
	Filters Filters `json:"filters"`
	Sort    string  `json:"sort"`
	Page    int     `json:"page"` // 1-based
	Size    int     `json:"size"`
	Cursor  string  `json:"cursor,omitempty"`
	Lang    string  `json:"lang,omitempty"` // UI language for facet labels
	// Facets lists the facets to count; nil means all, empty slice none.
	Facets []string `json:"facets,omitempty"`
	// NoFacets skips facet counting entirely.
	NoFacets bool `json:"-"`
	// Snippets asks for highlighted fragments on the hits.
	Snippets bool `json:"-"`
}

// Normalize fills defaults and clamps the page size.
func (r *Request) Normalize() {
	if r.Sort == "" {
		r.Sort = SortRelevance
	}
	if r.Page < 1 {
		r.Page = 1
	}
	if r.Size <= 0 {
		r.Size = DefaultPageSize
	}
	if r.Size > MaxPageSize {
		r.Size = MaxPageSize
	}
	if r.Query == nil {
		r.Query = ParseQuery(r.Text)
	}
}

// Result is the answer to a Request.
type Result struct {
	Total      int                     `json:"total"`
	TookMS     float64                 `json:"took_ms"`
	Hits       []Hit                   `json:"hits"`
	Facets     map[string][]FacetValue `json:"facets,omitempty"`
	ReadAs     string                  `json:"read_as,omitempty"`      // how the query was understood
	Warnings   []string                `json:"warnings,omitempty"`     // e.g. "unbalanced quote: read as plain text"
	DidYouMean string                  `json:"did_you_mean,omitempty"` // a corrected query that has results
	NextCursor string                  `json:"next_cursor,omitempty"`

	release func() // gives the facet lists' memory back, see Release
}

// OnRelease sets what Release calls: the searcher's way to take back
// memory it lent the result.
func (r *Result) OnRelease(f func()) { r.release = f }

// Release ends the result's use: a caller that has encoded the result and
// keeps nothing of it calls Release, and the facet lists may then be reused
// by other searches. Calling it is optional; using the result after it is
// not allowed.
func (r *Result) Release() {
	if f := r.release; f != nil {
		r.release = nil
		r.Facets = nil
		f()
	}
}

// Hit is one entry in a result list.
type Hit struct {
	ID           string   `json:"id"`
	Score        float64  `json:"score"`
	Title        string   `json:"title"`
	Organization string   `json:"organization"`
	Country      string   `json:"country"`
	Region       string   `json:"region,omitempty"`
	Stakeholder  string   `json:"stakeholder,omitempty"`
	Year         int      `json:"year"`
	ActionLines  []string `json:"action_lines"`
	SDGs         []int    `json:"sdgs"`
	Prizes       []Prize  `json:"prizes,omitempty"`
	// Snippet is HTML: every character from the entry is escaped and only
	// <mark> elements are added around matched terms.
	Snippet string `json:"snippet,omitempty"`
	// SortKey is the value the cursor continues from.
	SortKey string `json:"-"`
}

// FacetValue is one countable value of a facet.
type FacetValue struct {
	Value    string `json:"value"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected,omitempty"`
	Color    string `json:"color,omitempty"`  // SDG colour
	Parent   string `json:"parent,omitempty"` // "C7" for C7 sub-lines
}

// Searcher runs searches; the index implements it.
type Searcher interface {
	Search(ctx context.Context, req *Request) (*Result, error)
}
