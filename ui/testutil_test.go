package ui

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

// pageFakeStore is an in-memory search.Store.
type pageFakeStore struct {
	entries map[string]*search.Entry
	revs    map[string][]search.Revision
	seq     uint64
}

func newPageFakeStore(entries []*search.Entry) *pageFakeStore {
	st := &pageFakeStore{entries: map[string]*search.Entry{}, revs: map[string][]search.Revision{}}
	for _, e := range entries {
		st.entries[e.ID] = e
	}
	return st
}

func (f *pageFakeStore) Get(id string) (*search.Entry, error) {
	e, ok := f.entries[id]
	if !ok {
		return nil, search.Errorf(search.ENOTFOUND, "no entry %q", id)
	}
	return e, nil
}

func (f *pageFakeStore) Put(entries []*search.Entry, ch search.Change) (uint64, int, error) {
	for _, e := range entries {
		f.seq++
		f.entries[e.ID] = e
		f.revs[e.ID] = append(f.revs[e.ID], search.Revision{Seq: f.seq, EntryID: e.ID, Author: ch.Author, Note: ch.Note, Time: ch.Time, Entry: e})
	}
	return f.seq, len(entries), nil
}

func (f *pageFakeStore) ForEach(fn func(e *search.Entry) error) error {
	for _, id := range f.ids() {
		if err := fn(f.entries[id]); err != nil {
			return err
		}
	}
	return nil
}

func (f *pageFakeStore) ChangesSince(seq uint64, fn func(seq uint64, e *search.Entry) error) error {
	return nil
}

func (f *pageFakeStore) Revisions(id string) ([]search.Revision, error) { return f.revs[id], nil }
func (f *pageFakeStore) Seq() (uint64, error)                           { return f.seq, nil }
func (f *pageFakeStore) Count() (int, error)                            { return len(f.entries), nil }
func (f *pageFakeStore) Close() error                                   { return nil }

func (f *pageFakeStore) ids() []string {
	ids := make([]string, 0, len(f.entries))
	for id := range f.entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// pageFakeIndex is a brute-force search.Index over the store's entries: words
// must all occur in the text, filters follow search.Filters.Matches, and
// facets are counted with their own facet's filter skipped.
type pageFakeIndex struct {
	store      *pageFakeStore
	didYouMean map[string]string
	canned     *search.Result // when set, every search returns a copy of it
	similarErr error          // when set, Similar fails with it
}

func (x *pageFakeIndex) Apply(entries []*search.Entry, seq uint64) error { return nil }
func (x *pageFakeIndex) Seq() uint64                                     { return x.store.seq }
func (x *pageFakeIndex) Count() (int, error)                             { return len(x.store.entries), nil }
func (x *pageFakeIndex) Close() error                                    { return nil }

func (x *pageFakeIndex) Search(ctx context.Context, req *search.Request) (*search.Result, error) {
	if x.canned != nil {
		res := *x.canned
		return &res, nil
	}
	terms, textHits := x.textMatches(req)
	res := &search.Result{Facets: map[string][]search.FacetValue{}}
	hits := filterEntries(textHits, req.Filters)
	switch req.Sort {
	case search.SortNewest:
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Year > hits[j].Year })
	case search.SortOldest:
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Year < hits[j].Year })
	case search.SortTitle:
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Title < hits[j].Title })
	}
	res.Total = len(hits)
	if !req.NoFacets {
		for _, f := range search.FacetNames {
			counts := map[string]int{}
			for _, e := range textHits {
				for _, v := range req.Filters.CountedValues(search.FacetValues(e), e.Year, f) {
					counts[v]++
				}
			}
			var vals []search.FacetValue
			for v, n := range counts {
				vals = append(vals, search.FacetValue{Value: v, Label: v, Count: n})
			}
			sort.Slice(vals, func(i, j int) bool {
				if vals[i].Count != vals[j].Count {
					return vals[i].Count > vals[j].Count
				}
				return vals[i].Value < vals[j].Value
			})
			if len(vals) > 0 {
				res.Facets[f] = vals
			}
		}
	}
	from := (req.Page - 1) * req.Size
	for i := from; i < len(hits) && i < from+req.Size; i++ {
		e := hits[i]
		res.Hits = append(res.Hits, search.Hit{
			ID: e.ID, Title: e.Title, Organization: e.Organization, Country: e.Country, Region: e.Region,
			Stakeholder: e.Stakeholder, Year: e.Year, ActionLines: e.ActionLines, SDGs: e.SDGs, Prizes: e.Prizes,
			Snippet: pageMarkTerms(e.ShortDescription, terms),
		})
	}
	if res.Total == 0 {
		res.DidYouMean = x.didYouMean[req.Text]
	}
	return res, nil
}

// textMatches returns the lower-cased query terms and the entries, in id
// order, that hold every term and are not withdrawn (filters not applied).
func (x *pageFakeIndex) textMatches(req *search.Request) ([]string, []*search.Entry) {
	if req.Query == nil {
		req.Normalize()
	}
	terms := req.Query.Terms()
	for i := range terms {
		terms[i] = strings.ToLower(strings.TrimSuffix(terms[i], "*"))
	}
	var out []*search.Entry
	for _, id := range x.store.ids() {
		e := x.store.entries[id]
		text := strings.ToLower(e.Title + " " + e.Organization + " " + e.ShortDescription)
		ok := !e.Withdrawn
		for _, t := range terms {
			ok = ok && strings.Contains(text, t)
		}
		if ok {
			out = append(out, e)
		}
	}
	return terms, out
}

// filterEntries keeps the entries that pass the filters.
func filterEntries(entries []*search.Entry, f search.Filters) []*search.Entry {
	var out []*search.Entry
	for _, e := range entries {
		if f.Matches(e, "") {
			out = append(out, e)
		}
	}
	return out
}

// Stats computes the explore aggregates by brute force, as the index's
// contract describes them: every action line and SDG listed, zero counts
// included; the matrix by the entry's own action lines.
func (x *pageFakeIndex) Stats(ctx context.Context, req *search.Request) (*search.Stats, error) {
	_, text := x.textMatches(req)
	all := filterEntries(text, req.Filters)
	st := &search.Stats{Total: len(all), YearStakeholder: map[int]map[string]int{}, Matrix: map[string]map[int]int{}}
	counts := map[string]map[string]int{}
	for _, f := range []string{search.FacetActionLine, search.FacetSDG, search.FacetCountry, search.FacetRegion} {
		counts[f] = map[string]int{}
	}
	for _, e := range all {
		if st.YearStakeholder[e.Year] == nil {
			st.YearStakeholder[e.Year] = map[string]int{}
		}
		st.YearStakeholder[e.Year][e.Stakeholder]++
		for _, al := range e.ActionLines {
			if st.Matrix[al] == nil {
				st.Matrix[al] = map[int]int{}
			}
			for _, g := range e.SDGs {
				st.Matrix[al][g]++
			}
		}
		vals := search.FacetValues(e)
		for f, m := range counts {
			for _, v := range vals[f] {
				m[v]++
			}
		}
	}
	list := func(f string, all []string) []search.FacetValue {
		var out []search.FacetValue
		for _, v := range all {
			out = append(out, search.FacetValue{Value: v, Label: v, Count: counts[f][v]})
		}
		return out
	}
	var lines, sdgs, countries, regions []string
	for _, al := range search.ActionLines {
		lines = append(lines, al.Code)
	}
	for _, g := range search.SDGs {
		sdgs = append(sdgs, strconv.Itoa(g.Number))
	}
	for c := range counts[search.FacetCountry] {
		countries = append(countries, c)
	}
	sort.Strings(countries)
	for _, r := range search.Regions {
		regions = append(regions, r.Code)
	}
	st.ActionLines = list(search.FacetActionLine, lines)
	st.SDGs = list(search.FacetSDG, sdgs)
	st.Countries = list(search.FacetCountry, countries)
	st.Regions = list(search.FacetRegion, regions)
	return st, nil
}

// pageMarkTerms escapes text and wraps the first occurrence of each term in
// <mark>, as the real index's fragment formatter does.
func pageMarkTerms(text string, terms []string) string {
	out := html.EscapeString(text)
	for _, t := range terms {
		if t == "" {
			continue
		}
		if i := strings.Index(strings.ToLower(out), html.EscapeString(t)); i >= 0 {
			n := len(html.EscapeString(t))
			out = out[:i] + "<mark>" + out[i:i+n] + "</mark>" + out[i+n:]
		}
	}
	return out
}

// pageScriptTitle is the title every escaping test looks for.
const pageScriptTitle = "<script>alert(1)</script>"

// pageEntries are a few hand-written entries, one with a hostile title.
func pageEntries() []*search.Entry {
	t0 := time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)
	return []*search.Entry{
		{ID: "e1", Title: pageScriptTitle, Organization: "Evil & Co <b>", ShortDescription: "A <script>alert(2)</script> description about health.",
			Stakeholder: "other", Country: "KEN", Region: "africa", Year: 2015, ActionLines: []string{"C4"}, SDGs: []int{4},
			Website: "javascript:alert(1)", Language: "en", Created: t0, Updated: t0},
		{ID: "e2", Title: "Digital health records for rural clinics", Organization: "Ministry of Health",
			ShortDescription: "Clinics share health records.\n\nA second paragraph.", Description: "Long description.",
			Stakeholder: "government", Country: "FRA", Region: "europe", Year: 2018, Status: "ongoing", Coverage: "national",
			ActionLines: []string{"C7.4"}, SDGs: []int{3, 10}, Website: "https://example.org/clinics", Language: "fr",
			Collections: []string{"covid-19"}, Prizes: []search.Prize{{Year: 2019, Category: 10, Status: "winner"}}, Created: t0, Updated: t0},
		{ID: "e3", Title: "Mobile learning in Arabic", Organization: "Learning Foundation", ShortDescription: "Lessons by phone.",
			Stakeholder: "civil-society", Country: "EGY", Region: "arab-states", Year: 2020, ActionLines: []string{"C7.3"},
			SDGs: []int{4, 5}, Language: "ar", Created: t0, Updated: t0},
		{ID: "e4", Title: "Cybersecurity awareness for schools", Organization: "Global Alliance", ShortDescription: "Safer schools online.",
			Stakeholder: "international-organization", Country: search.CountryInternational, Region: "international", Year: 2021,
			ActionLines: []string{"C5"}, SDGs: []int{16, 17}, Prizes: []search.Prize{{Year: 2022, Category: 5, Status: "champion"}},
			Language: "en", Created: t0, Updated: t0},
		{ID: "e5", Title: "Agriculture market prices by SMS", Organization: "Farmers Cooperative", ShortDescription: "Prices for farmers in health and harvest.",
			Stakeholder: "private-sector", Country: "IND", Region: "asia-pacific", Year: 2012, ActionLines: []string{"C7.7"},
			SDGs: []int{2}, Language: "en", Created: t0, Updated: t0},
	}
}

// pageBulkEntries makes n varied entries that spread over every country,
// action line, SDG, year and vocabulary, for page-size tests.
func pageBulkEntries(n int) []*search.Entry {
	countries := search.Countries()
	out := make([]*search.Entry, 0, n)
	for i := 0; i < n; i++ {
		ct := countries[i%len(countries)]
		al := search.ActionLines[i%len(search.ActionLines)]
		e := &search.Entry{
			ID:               fmt.Sprintf("b%04d", i),
			Title:            fmt.Sprintf("Community broadband and digital skills programme number %d for rural health", i),
			Organization:     fmt.Sprintf("National Agency for Information and Communication Technologies %d", i%37),
			ShortDescription: strings.Repeat("The project connects schools and clinics and trains young people in digital health skills. ", 3),
			Stakeholder:      search.Stakeholders[i%len(search.Stakeholders)].Code,
			Country:          ct.ISO3,
			Region:           ct.Region,
			Year:             2004 + i%22,
			ActionLines:      []string{al.Code, search.ActionLines[(i+5)%len(search.ActionLines)].Code},
			SDGs:             []int{1 + i%17, 1 + (i+3)%17, 1 + (i+9)%17},
			Language:         search.Languages[i%len(search.Languages)].Code,
			Status:           search.Statuses[i%len(search.Statuses)].Code,
			Collections:      []string{search.Collections[i%len(search.Collections)].Code},
		}
		if i%3 == 0 {
			e.Prizes = []search.Prize{{Year: 2010 + i%16, Category: 1 + i%18, Status: search.PrizeStatuses[i%4].Code}}
		}
		out = append(out, e)
	}
	return out
}

// newPageServer starts the real Server over a fake store and index, with
// statistics and similar entries.
func newPageServer(tb testing.TB, entries []*search.Entry) (*Server, *pageFakeStore, *pageFakeIndex) {
	tb.Helper()
	return newPageServerWith(tb, entries, nil)
}

// newPageServerWith is newPageServer with the configuration adjusted.
func newPageServerWith(tb testing.TB, entries []*search.Entry, adjust func(*Config)) (*Server, *pageFakeStore, *pageFakeIndex) {
	tb.Helper()
	st := newPageFakeStore(entries)
	idx := &pageFakeIndex{store: st, didYouMean: map[string]string{"helth": "health"}}
	cfg := Config{Service: &search.Service{Store: st, Index: idx}, Stats: idx, Similar: idx, Logger: zerolog.Nop(), Version: "test"}
	if adjust != nil {
		adjust(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return s, st, idx
}

// page is one response, body read.
type pageResp struct {
	status int
	body   string
	header http.Header
}

// get requests target from the server; header holds name, value pairs.
func fetchPage(tb testing.TB, s *Server, target string, header ...string) pageResp {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Accept", "text/html")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.App().Test(req, -1)
	if err != nil {
		tb.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("GET %s: read body: %v", target, err)
	}
	return pageResp{status: resp.StatusCode, body: string(body), header: resp.Header}
}

// mustContain fails for every want missing from the page.
func (p pageResp) mustContain(tb testing.TB, target string, wants ...string) {
	tb.Helper()
	for _, w := range wants {
		if !strings.Contains(p.body, w) {
			tb.Errorf("GET %s: body lacks %q", target, w)
		}
	}
}

// mustNotContain fails for every unwanted string found in the page.
func (p pageResp) mustNotContain(tb testing.TB, target string, unwanted ...string) {
	tb.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.body, w) {
			tb.Errorf("GET %s: body contains %q", target, w)
		}
	}
}
