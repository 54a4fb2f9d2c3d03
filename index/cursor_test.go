package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// walk pages through req with cursors, calling between after each page.
func walk(t *testing.T, ix *Index, req search.Request, between func()) []string {
	t.Helper()
	var got []string
	for pages := 0; ; pages++ {
		r := req
		res, err := ix.Search(context.Background(), &r)
		if err != nil {
			t.Fatalf("Search(cursor %q): %v", req.Cursor, err)
		}
		got = append(got, ids(res)...)
		if res.NextCursor == "" {
			return got
		}
		if pages > 1000 {
			t.Fatal("walk does not end")
		}
		req.Cursor = res.NextCursor
		if between != nil {
			between()
		}
	}
}

func TestCursorWalkAndMatchIDs(t *testing.T) {
	entries := genEntries(31, 300)
	ix := mustOpen(t, entries)
	for _, sort := range []string{search.SortRelevance, search.SortNewest, search.SortOldest, search.SortTitle} {
		for _, text := range []string{"", "digital health", `"rural connectivity"`} {
			req := search.Request{Text: text, Sort: sort, Size: 7,
				Filters: search.Filters{Values: map[string][]string{search.FacetStakeholder: {"government", "academia", "civil-society"}}}}
			var want []string
			for page := 1; ; page++ {
				r := req
				r.Page = page
				res, err := ix.Search(context.Background(), &r)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Hits) == 0 {
					break
				}
				want = append(want, ids(res)...)
			}
			var all []string
			r := req
			if err := ix.MatchIDs(context.Background(), &r, func(id string) error { all = append(all, id); return nil }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(all, want) {
				t.Errorf("MatchIDs(%q, %s) = %d ids, pages gave %d (or another order)", text, sort, len(all), len(want))
			}
			if got := walk(t, ix, req, nil); !slices.Equal(got, want) {
				t.Errorf("cursor walk(%q, %s) = %d ids, pages gave %d (or another order)", text, sort, len(got), len(want))
			}
		}
	}
	stop := errors.New("stop")
	n := 0
	err := ix.MatchIDs(context.Background(), &search.Request{}, func(string) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("MatchIDs with fn failing: err %v after %d calls, want stop after 1", err, n)
	}
}

// TestCursorWalkWhileAdding walks every sort order while new entries are
// applied between pages: every entry present at the start comes exactly
// once. (Relevance without text is ordered by id; with text, scores move
// as documents are added, so a ranked walk is exact only on a stable
// index.)
func TestCursorWalkWhileAdding(t *testing.T) {
	entries := genEntries(41, 200)
	ix := mustOpen(t, entries)
	extra := genEntries(42, 600)
	next := 0
	seq := uint64(1)
	add := func() {
		batch := extra[next : next+3]
		for i, e := range batch {
			e.ID = fmt.Sprintf("new-%03d", next+i)
		}
		next += 3
		seq++
		if err := ix.Apply(batch, seq); err != nil {
			t.Fatal(err)
		}
	}
	for _, sort := range []string{search.SortNewest, search.SortOldest, search.SortTitle, search.SortRelevance} {
		got := walk(t, ix, search.Request{Sort: sort, Size: 25}, add)
		seen := map[string]int{}
		for _, id := range got {
			seen[id]++
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("walk(%s): %s came %d times", sort, id, n)
			}
		}
		for _, e := range entries {
			if seen[e.ID] != 1 {
				t.Errorf("walk(%s): %s came %d times, want 1", sort, e.ID, seen[e.ID])
			}
		}
	}
}

func TestCursorInvalid(t *testing.T) {
	ix := mustOpen(t, genEntries(51, 30))
	res, err := ix.Search(context.Background(), &search.Request{Sort: search.SortTitle, Size: 5})
	if err != nil || res.NextCursor == "" {
		t.Fatalf("first page: %v, cursor %q", err, res.NextCursor)
	}
	for _, tc := range []struct{ name, cursor, sort string }{
		{"garbage", "!!not base64!!", search.SortTitle},
		{"not json", "bm90IGpzb24", search.SortTitle},
		{"other sort", res.NextCursor, search.SortNewest},
		{"other version", encodeCursorVersion(9, search.SortTitle, "a", "b"), search.SortTitle},
	} {
		_, err := ix.Search(context.Background(), &search.Request{Sort: tc.sort, Cursor: tc.cursor})
		var se *search.Error
		if !errors.As(err, &se) || se.Code != search.EINVALID || se.Field != "cursor" {
			t.Errorf("%s: Search(cursor %q) = %v, want invalid cursor", tc.name, tc.cursor, err)
		}
	}
}
