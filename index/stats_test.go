package index

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestStatsMatchBruteForce compares Stats with counts made entry by entry
// over the ids MatchIDs returns.
func TestStatsMatchBruteForce(t *testing.T) {
	entries := genEntries(21, 500)
	ix := mustOpen(t, entries)
	byID := map[string]*search.Entry{}
	for _, e := range entries {
		byID[e.ID] = e
	}
	r := rand.New(rand.NewPCG(5, 6))
	reqs := []search.Request{
		{},
		{Text: "digital"},
		{Text: "rural schools", Lang: "fr"},
		{Filters: search.Filters{Values: map[string][]string{search.FacetRegion: {"africa"}}}},
	}
	for i := 0; i < 20; i++ {
		reqs = append(reqs, search.Request{Filters: randomFilters(r)})
	}
	for _, req := range reqs {
		st, err := ix.Stats(context.Background(), &req)
		if err != nil {
			t.Fatal(err)
		}
		var matched []*search.Entry
		err = ix.MatchIDs(context.Background(), &search.Request{Text: req.Text, Filters: req.Filters}, func(id string) error {
			matched = append(matched, byID[id])
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if st.Total != len(matched) {
			t.Fatalf("Stats(%q, %v).Total = %d, MatchIDs gave %d", req.Text, req.Filters, st.Total, len(matched))
		}
		ys := map[int]map[string]int{}
		al, sdg, country, region := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
		matrix := map[string]map[int]int{}
		for _, e := range matched {
			if req.Text == "" && !req.Filters.Matches(e, "") {
				t.Fatalf("MatchIDs(%v) returned %s, which fails the filters", req.Filters, e.ID)
			}
			vals := search.FacetValues(e)
			if e.Year > 0 && e.Stakeholder != "" {
				if ys[e.Year] == nil {
					ys[e.Year] = map[string]int{}
				}
				ys[e.Year][e.Stakeholder]++
			}
			for _, a := range vals[search.FacetActionLine] {
				al[a]++
				for _, g := range vals[search.FacetSDG] {
					if matrix[a] == nil {
						matrix[a] = map[int]int{}
					}
					matrix[a][atoi(g)]++
				}
			}
			for _, g := range vals[search.FacetSDG] {
				sdg[g]++
			}
			country[e.Country]++
			region[e.Region]++
		}
		check := func(name string, got []search.FacetValue, want map[string]int, all int) {
			t.Helper()
			if all > 0 && len(got) != all {
				t.Errorf("Stats(%q).%s has %d values, want %d", req.Text, name, len(got), all)
			}
			for _, fv := range got {
				if fv.Count != want[fv.Value] {
					t.Errorf("Stats(%q, %v).%s[%s] = %d, want %d", req.Text, req.Filters, name, fv.Value, fv.Count, want[fv.Value])
				}
				if fv.Label == "" {
					t.Errorf("Stats.%s[%s] has no label", name, fv.Value)
				}
			}
		}
		check("ActionLines", st.ActionLines, al, 19)
		check("SDGs", st.SDGs, sdg, 17)
		check("Regions", st.Regions, region, 0)
		check("Countries", st.Countries, country, len(country))
		for y, row := range ys {
			for sh, n := range row {
				if st.YearStakeholder[y][sh] != n {
					t.Errorf("YearStakeholder[%d][%s] = %d, want %d", y, sh, st.YearStakeholder[y][sh], n)
				}
			}
		}
		for _, a := range search.ActionLines {
			for g := 1; g <= 17; g++ {
				if got, want := st.Matrix[a.Code][g], matrix[a.Code][g]; got != want {
					t.Errorf("Matrix[%s][%d] = %d, want %d", a.Code, g, got, want)
				}
			}
		}
	}
	st, _ := ix.Stats(context.Background(), &search.Request{Lang: "fr"})
	if st.SDGs[2].Color != "#4C9F38" || st.SDGs[2].Value != strconv.Itoa(3) || st.ActionLines[3].Label != "C4 · Renforcement des capacités" {
		t.Errorf("Stats labels: SDG 3 = %+v, C4 = %+v", st.SDGs[2], st.ActionLines[3])
	}
}

func BenchmarkStats(b *testing.B) {
	ix := benchIndex(b)
	for _, bc := range []struct {
		name string
		req  search.Request
	}{{"all", search.Request{}}, {"word", search.Request{Text: "digital"}}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				req := bc.req
				if _, err := ix.Stats(context.Background(), &req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
