package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// randomQuery draws a query of one of the kinds the parser produces.
func randomQuery(r *rand.Rand, o *oracle) *search.Query {
	word := func() string {
		if r.IntN(10) == 0 {
			return genSpecial[r.IntN(len(genSpecial))]
		}
		return genWords[r.IntN(len(genWords))]
	}
	term := func() *search.Query { return &search.Query{Kind: search.NodeTerm, Text: word()} }
	switch r.IntN(12) {
	case 0:
		return &search.Query{Kind: search.NodeMatchAll}
	case 1:
		return &search.Query{Kind: search.NodeAnd, Children: []*search.Query{term(), term()}}
	case 2:
		return &search.Query{Kind: search.NodeOr, Children: []*search.Query{term(), term()}}
	case 3:
		return &search.Query{Kind: search.NodeAnd, Children: []*search.Query{term(),
			{Kind: search.NodeNot, Children: []*search.Query{term()}}}}
	case 4:
		w := word()
		return &search.Query{Kind: search.NodePrefix, Text: w[:min(len(w), 2+r.IntN(3))]}
	case 5: // a phrase taken from an entry's description, or a random pair
		ids := sortedIDs(o)
		if len(ids) > 0 && r.IntN(3) > 0 {
			ws := strings.Fields(o.entries[ids[r.IntN(len(ids))]].Description)
			if len(ws) > 3 {
				i := r.IntN(len(ws) - 3)
				return &search.Query{Kind: search.NodePhrase, Text: strings.Join(ws[i:i+2+r.IntN(2)], " ")}
			}
		}
		return &search.Query{Kind: search.NodePhrase, Text: word() + " " + word()}
	case 6:
		return &search.Query{Kind: search.NodeTerm, Field: []string{"title", "org"}[r.IntN(2)], Text: word()}
	case 7:
		c := genCountries[r.IntN(len(genCountries))].code
		return &search.Query{Kind: search.NodeAnd, Children: []*search.Query{term(),
			{Kind: search.NodeFilter, Field: search.FacetCountry, Text: strings.ToLower(c)}}}
	case 8:
		return &search.Query{Kind: search.NodeYearRange, From: 2005 + r.IntN(20), To: 2010 + r.IntN(20)}
	case 9:
		return &search.Query{Kind: search.NodeNot, Children: []*search.Query{term()}}
	}
	return term()
}

func sortedIDs(o *oracle) []string {
	ids := make([]string, 0, len(o.entries))
	for id := range o.entries {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// randomFilters selects 0–4 facets with one or two values each (sometimes
// a value no entry has) and sometimes a year range.
func randomFilters(r *rand.Rand) search.Filters {
	var f search.Filters
	pick := map[string]func() string{
		search.FacetActionLine:  func() string { return append(genLines, "C7")[r.IntN(len(genLines)+1)] },
		search.FacetSDG:         func() string { return strconv.Itoa(1 + r.IntN(17)) },
		search.FacetCountry:     func() string { return genCountries[r.IntN(len(genCountries))].code },
		search.FacetRegion:      func() string { return genCountries[r.IntN(len(genCountries))].region },
		search.FacetYear:        func() string { return strconv.Itoa(2005 + r.IntN(22)) },
		search.FacetStakeholder: func() string { return genStakeholders[r.IntN(len(genStakeholders))] },
		search.FacetCollection:  func() string { return genCollections[r.IntN(len(genCollections))] },
		search.FacetPrizeStatus: func() string { return genPrizeStatus[r.IntN(4)] },
		search.FacetLanguage:    func() string { return genLangs[r.IntN(len(genLangs))] },
		search.FacetStatus:      func() string { return genStatuses[r.IntN(3)] },
	}
	for n := r.IntN(5); n > 0; n-- {
		facet := search.FacetNames[r.IntN(len(search.FacetNames))]
		gen := pick[facet]
		if gen == nil {
			gen = func() string { return strconv.Itoa(1 + r.IntN(18)) }
			if facet == search.FacetPrizeYear {
				gen = func() string { return strconv.Itoa(2012 + r.IntN(14)) }
			}
		}
		for k := 1 + r.IntN(2); k > 0; k-- {
			v := gen()
			if r.IntN(30) == 0 {
				v = "absent"
			}
			f.Add(facet, v)
		}
	}
	if r.IntN(5) == 0 {
		f.YearFrom = 2005 + r.IntN(20)
	}
	if r.IntN(5) == 0 {
		f.YearTo = 2008 + r.IntN(20)
	}
	return f
}

// checkSearch compares one search with the oracle.
func checkSearch(t *testing.T, ix *Index, o *oracle, req *search.Request) {
	t.Helper()
	want := o.search(req)
	got, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%s %+v): %v", req.Query, req.Filters, err)
	}
	defer got.Release() // the next search reuses its facet lists
	what := fmt.Sprintf("Search(%q, %+v)", req.Query.String(), req.Filters)
	if got.Total != len(want.ids) {
		t.Fatalf("%s: total = %d, want %d", what, got.Total, len(want.ids))
	}
	for _, h := range got.Hits {
		if _, ok := slices.BinarySearch(want.ids, h.ID); !ok {
			t.Fatalf("%s: hit %s does not match", what, h.ID)
		}
	}
	if wantHits := min(req.Size, len(want.ids)); len(got.Hits) != wantHits {
		t.Fatalf("%s: %d hits, want %d", what, len(got.Hits), wantHits)
	}
	for _, f := range search.FacetNames {
		gotCounts := map[string]int{}
		for _, fv := range got.Facets[f] {
			if fv.Count > 0 {
				gotCounts[fv.Value] = fv.Count
			}
			if fv.Selected != slices.Contains(req.Filters.Values[f], fv.Value) {
				t.Fatalf("%s: facet %s value %s selected = %v", what, f, fv.Value, fv.Selected)
			}
		}
		wantCounts := want.counts[f]
		if len(gotCounts) != len(wantCounts) {
			t.Fatalf("%s: facet %s = %v, want %v", what, f, gotCounts, wantCounts)
		}
		for v, n := range wantCounts {
			if gotCounts[v] != n {
				t.Fatalf("%s: facet %s value %s = %d, want %d", what, f, v, gotCounts[v], n)
			}
		}
		for _, v := range req.Filters.Values[f] {
			if !slices.ContainsFunc(got.Facets[f], func(fv search.FacetValue) bool { return fv.Value == v && fv.Selected }) {
				t.Fatalf("%s: selected value %s of %s missing", what, v, f)
			}
		}
	}
}

// TestFacetCountsMatchBruteForce runs 1 200 random searches against the
// oracle: on a fresh index, after updates, and after deletions.
func TestFacetCountsMatchBruteForce(t *testing.T) {
	entries := genEntries(7, 500)
	ix := mustOpen(t, nil)
	// several batches, so the index has several segments
	for i := 0; i < len(entries); i += 150 {
		if err := ix.Apply(entries[i:min(i+150, len(entries))], uint64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	o := newOracle(ix)
	o.apply(entries)
	r := rand.New(rand.NewPCG(1, 2))
	run := func(n int) {
		for i := 0; i < n; i++ {
			req := &search.Request{Query: randomQuery(r, o), Filters: randomFilters(r), Size: 1 + r.IntN(30)}
			req.Sort = []string{search.SortRelevance, search.SortNewest, search.SortTitle, search.SortOldest}[r.IntN(4)]
			checkSearch(t, ix, o, req)
		}
	}
	run(500)

	// updates: new text and facets for existing ids, plus new entries
	more := genEntries(8, 200)
	for i, e := range more[:120] {
		e.ID = entries[i*3].ID
	}
	if err := ix.Apply(more, 1000); err != nil {
		t.Fatal(err)
	}
	o.apply(more)
	run(350)

	// deletions
	var gone []*search.Entry
	for i := 0; i < len(entries); i += 4 {
		gone = append(gone, &search.Entry{ID: entries[i].ID, Withdrawn: true})
	}
	if err := ix.Apply(gone, 1001); err != nil {
		t.Fatal(err)
	}
	o.apply(gone)
	if n, _ := ix.Count(); n != len(o.entries) {
		t.Fatalf("Count() = %d, want %d", n, len(o.entries))
	}
	run(350)
}
