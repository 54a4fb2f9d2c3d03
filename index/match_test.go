package index

import (
	"context"
	"slices"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestMatchIDsStreamsLargeUnrankedResults checks the path of MatchIDs that
// walks the view's order without materialising the result (more than 2 048
// unranked matches) against the pages of Search.
func TestMatchIDsStreamsLargeUnrankedResults(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 4 000 entries; skipped with -short")
	}
	ix := mustOpen(t, genEntries(47, 4000))
	for _, sort := range []string{search.SortRelevance, search.SortNewest, search.SortOldest, search.SortTitle} {
		for _, filters := range []search.Filters{{}, {Values: map[string][]string{search.FacetStakeholder: {"government", "academia", "civil-society", "private-sector"}}}} {
			req := search.Request{Sort: sort, Size: 100, Filters: filters}
			var want []string
			total := 0
			for page := 1; ; page++ {
				r := req
				r.Page = page
				res, err := ix.Search(context.Background(), &r)
				if err != nil {
					t.Fatal(err)
				}
				total = res.Total
				if len(res.Hits) == 0 {
					break
				}
				want = append(want, ids(res)...)
			}
			if total <= 2048 {
				t.Fatalf("%s %v: %d matches, the test needs more than 2 048", sort, filters.Values, total)
			}
			var got []string
			r := req
			if err := ix.MatchIDs(context.Background(), &r, func(id string) error { got = append(got, id); return nil }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("MatchIDs(%s, %v) = %d ids, pages gave %d (or another order)", sort, filters.Values, len(got), len(want))
			}
		}
	}
}
