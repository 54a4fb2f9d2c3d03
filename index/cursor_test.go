package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// walk pages through req with cursors, calling between after each page;
// it fails on a page read on another snapshot than the first.
func walk(t *testing.T, ix *Index, req search.Request, between func()) []string {
	t.Helper()
	got, warnings := walkWarn(t, ix, req, between)
	if len(warnings) > 0 {
		t.Fatalf("walk(%q, %s): warnings %q", req.Text, req.Sort, warnings)
	}
	return got
}

// walkWarn is walk, returning the warnings of the pages after the first.
func walkWarn(t *testing.T, ix *Index, req search.Request, between func()) (got, warnings []string) {
	t.Helper()
	for pages := 0; ; pages++ {
		r := req
		res, err := ix.Search(context.Background(), &r)
		if err != nil {
			t.Fatalf("Search(cursor %q): %v", req.Cursor, err)
		}
		got = append(got, ids(res)...)
		if pages > 0 {
			warnings = append(warnings, res.Warnings...)
		}
		if res.NextCursor == "" {
			return got, warnings
		}
		if len(res.NextCursor) > 512 {
			t.Fatalf("cursor of %d bytes, over the API's 512", len(res.NextCursor))
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

// matchSet is the ids req matches now, in one search.
func matchSet(t *testing.T, ix *Index, req search.Request) []string {
	t.Helper()
	var out []string
	if err := ix.MatchIDs(context.Background(), &req, func(id string) error { out = append(out, id); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// checkExactlyOnce fails unless got holds every id of want exactly once
// and nothing else.
func checkExactlyOnce(t *testing.T, what string, got, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
	}
	missing, repeated, extra := 0, 0, 0
	for _, id := range want {
		switch n := seen[id]; {
		case n == 0:
			missing++
		case n > 1:
			repeated++
		}
		delete(seen, id)
	}
	extra = len(seen)
	if missing+repeated+extra > 0 {
		t.Errorf("%s: of %d entries matching at the start, %d missing, %d repeated; %d others", what, len(want), missing, repeated, extra)
	}
}

// pinClock is a clock for the index's pins that the test moves.
type pinClock struct{ offset atomic.Int64 }

// fakeClock makes ix's pins read a clock that only expire moves.
func fakeClock(ix *Index) *pinClock {
	c := &pinClock{}
	base := time.Now()
	ix.pins.mu.Lock()
	ix.pins.now = func() time.Time { return base.Add(time.Duration(c.offset.Load())) }
	ix.pins.mu.Unlock()
	return c
}

// expire moves the clock past every pin's deadline and sweeps.
func (c *pinClock) expire(ix *Index) {
	c.offset.Add(int64(pinMaxAge + time.Minute))
	ix.pins.sweep()
}

// adder applies new entries, a few at a time, as sequence numbers seq+1 …
type adder struct {
	t     *testing.T
	ix    *Index
	extra []*search.Entry
	mu    sync.Mutex
	next  int
	seq   uint64
}

func newAdder(t *testing.T, ix *Index, seed uint64) *adder {
	extra := genEntries(seed, 2000)
	for i, e := range extra {
		e.ID = fmt.Sprintf("new-%d-%04d", seed, i)
	}
	return &adder{t: t, ix: ix, extra: extra, seq: ix.Seq()}
}

// add applies the next n entries; false once they are used up.
func (a *adder) add(n int) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.next+n > len(a.extra) {
		return false
	}
	batch := a.extra[a.next : a.next+n]
	a.next += n
	a.seq++
	if err := a.ix.Apply(batch, a.seq); err != nil {
		a.t.Error(err)
		return false
	}
	return true
}

// added returns the entries applied so far.
func (a *adder) added() []*search.Entry {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.extra[:a.next])
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

// TestCursorWalkWhileAdding walks every sort order, with and without
// text, while new entries are applied between pages and another client
// searches the new snapshot (its pin lets the walk's view go until the
// walk's next page builds it again): the walk reads the snapshot of its
// first page, so it returns exactly the entries that matched then, each
// once (scores included: they change with every write, but not on the
// pinned snapshot).
func TestCursorWalkWhileAdding(t *testing.T) {
	entries := genEntries(41, 200)
	ix := mustOpen(t, entries)
	a := newAdder(t, ix, 42)
	other := func() {
		a.add(3)
		r := search.Request{Text: "school", Size: 2}
		if res, err := ix.Search(context.Background(), &r); err != nil || res.NextCursor == "" {
			t.Fatalf("another search: %v, cursor %q", err, res.NextCursor)
		}
	}
	for _, sort := range []string{search.SortNewest, search.SortOldest, search.SortTitle, search.SortRelevance} {
		for _, text := range []string{"", "digital health"} {
			req := search.Request{Text: text, Sort: sort, Size: 25}
			want := matchSet(t, ix, req)
			got := walk(t, ix, req, other)
			checkExactlyOnce(t, fmt.Sprintf("walk(%q, %s)", text, sort), got, want)
		}
	}
	ix.pins.mu.Lock()
	defer ix.pins.mu.Unlock()
	idle := 0
	for _, p := range ix.pins.byToken {
		if !p.walked && p.v.Load() != nil {
			idle++
		}
	}
	if idle > 1 {
		t.Errorf("%d pins hold a view no walk has read; want only the latest", idle)
	}
}

// TestCursorWalkConcurrentApply walks a text query in relevance order
// while another goroutine applies new entries: once between every two
// pages (so that every page follows a write), and, in the second run,
// without pause while the walk runs. Every entry matching at the start
// comes exactly once. Before snapshots were pinned, the first run lost and
// repeated entries: each write moves BM25's statistics and so the scores
// the cursor continues from.
func TestCursorWalkConcurrentApply(t *testing.T) {
	ix := mustOpen(t, genEntries(61, 400))
	a := newAdder(t, ix, 62)
	req := search.Request{Text: "digital health", Sort: search.SortRelevance, Size: 10}

	t.Run("between pages", func(t *testing.T) {
		want := matchSet(t, ix, req)
		tick, ack := make(chan struct{}), make(chan struct{})
		go func() {
			for range tick {
				a.add(4)
				ack <- struct{}{}
			}
		}()
		got := walk(t, ix, req, func() { tick <- struct{}{}; <-ack })
		close(tick)
		checkExactlyOnce(t, "walk with a write between pages", got, want)
		if len(want) < 50 {
			t.Fatalf("only %d matches: too few pages to test", len(want))
		}
	})
	t.Run("free running", func(t *testing.T) {
		want := matchSet(t, ix, req)
		var stop atomic.Bool
		done := make(chan struct{})
		go func() {
			defer close(done)
			for !stop.Load() && a.add(2) {
			}
		}()
		got := walk(t, ix, req, nil)
		stop.Store(true)
		<-done
		checkExactlyOnce(t, "walk while writes run", got, want)
	})
}

// TestCursorWalkAcrossRebuild walks a text query in relevance order while
// entries are applied and a Rebuild swaps in a new generation: the walk
// goes on reading the old generation, which is deleted once its pin
// expires.
func TestCursorWalkAcrossRebuild(t *testing.T) {
	entries := genEntries(71, 400)
	ix := mustOpen(t, entries)
	if err := ix.MarkBuilt(); err != nil {
		t.Fatal(err)
	}
	clock := fakeClock(ix)
	old := ix.cur.Load()
	a := newAdder(t, ix, 72)
	req := search.Request{Text: "digital health", Sort: search.SortRelevance, Size: 10}
	want := matchSet(t, ix, req)

	rebuilt := make(chan error, 1)
	page := 0
	got := walk(t, ix, req, func() {
		page++
		a.add(3)
		switch page {
		case 1:
			go func() {
				each := func(fn func([]*search.Entry) error) error {
					if err := fn(entries); err != nil {
						return err
					}
					return fn(a.added())
				}
				rebuilt <- ix.Rebuild(context.Background(), each, ix.Seq())
			}()
		case 3:
			if err := <-rebuilt; err != nil {
				t.Fatalf("Rebuild: %v", err)
			}
			if ix.cur.Load() == old {
				t.Fatal("Rebuild did not swap in a new generation")
			}
		}
	})
	if page < 4 {
		t.Fatalf("walk of %d pages: too few to test", page+1)
	}
	checkExactlyOnce(t, "walk across a Rebuild", got, want)

	if _, err := os.Stat(old.dir); err != nil {
		t.Fatalf("the pinned old generation is gone before its pin: %v", err)
	}
	clock.expire(ix)
	<-old.done
	if _, err := os.Stat(old.dir); !os.IsNotExist(err) {
		t.Errorf("old generation %s still there once unpinned: %v", old.dir, err)
	}
	res, err := ix.Search(context.Background(), &req)
	if err != nil || res.Total != len(matchSet(t, ix, req)) {
		t.Fatalf("Search after the Rebuild: %v, %v", res, err)
	}
}
