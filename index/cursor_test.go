package index

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/fixtures"
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

// TestCursorSnapshotGone: when the walk's snapshot is no longer kept
// (expired, dropped by a withdrawal, made by another process, or a
// version 1 cursor), the next page continues on the current snapshot and
// says so; it is never an error.
func TestCursorSnapshotGone(t *testing.T) {
	entries := genEntries(81, 200)
	ix := mustOpen(t, entries)
	clock := fakeClock(ix)
	req := search.Request{Text: "digital health", Sort: search.SortRelevance, Size: 5}
	first := func() (*search.Result, *cursor) {
		t.Helper()
		r := req
		res, err := ix.Search(context.Background(), &r)
		if err != nil || res.NextCursor == "" {
			t.Fatalf("first page: %v, cursor %q", err, res.NextCursor)
		}
		c, err := decodeCursor(res.NextCursor, req.Sort)
		if err != nil || c.snap == "" {
			t.Fatalf("decodeCursor(first page's) = %+v, %v; want a pinned snapshot", c, err)
		}
		return res, c
	}
	next := func(name, cur string) *search.Result {
		t.Helper()
		r := req
		r.Cursor = cur
		res, err := ix.Search(context.Background(), &r)
		if err != nil {
			t.Fatalf("%s: Search = %v, want a page with a warning", name, err)
		}
		if !slices.Contains(res.Warnings, warnSnapshotGone) {
			t.Errorf("%s: warnings %q, want %q", name, res.Warnings, warnSnapshotGone)
		}
		if len(res.Hits) == 0 || res.NextCursor == "" {
			t.Errorf("%s: %d hits, next cursor %q: the walk should go on", name, len(res.Hits), res.NextCursor)
		}
		return res
	}

	res, c := first()
	clock.expire(ix)
	if n := ix.pins.count(); n != 0 {
		t.Fatalf("%d pins after expiry, want 0", n)
	}
	again := next("expired", res.NextCursor)
	if c2, _ := decodeCursor(again.NextCursor, req.Sort); c2 == nil || c2.snap == "" || c2.snap == c.snap {
		t.Errorf("after expiry the next cursor pins %+v, want the current snapshot", c2)
	}

	next("forged token", encodeCursor(req.Sort, c.key, c.id, "0123456789abcdef"))
	next("version 1", encodeCursorVersion(1, req.Sort, c.key, c.id))

	// A withdrawal drops every pin: the walk goes on without the entry.
	res, _ = first()
	gone := res.Hits[0].ID
	for _, id := range matchSet(t, ix, req) {
		if !slices.Contains(ids(res), id) {
			gone = id // one the walk has not listed yet
			break
		}
	}
	if err := ix.Apply([]*search.Entry{{ID: gone, Withdrawn: true}}, 2); err != nil {
		t.Fatal(err)
	}
	if n := ix.pins.count(); n != 0 {
		t.Errorf("%d pins after a withdrawal, want 0", n)
	}
	next("withdrawal", res.NextCursor)
	r := req
	r.Cursor = res.NextCursor
	rest, _ := walkWarn(t, ix, r, nil)
	if slices.Contains(rest, gone) {
		t.Errorf("the walk lists %s after its withdrawal", gone)
	}
}

// TestCursorPinsBounded: however many snapshots searches read, at most
// maxPins are kept, the least recently used going first, and Close
// releases them all.
func TestCursorPinsBounded(t *testing.T) {
	ix := mustOpen(t, genEntries(91, 100))
	a := newAdder(t, ix, 92)
	req := search.Request{Text: "digital", Sort: search.SortRelevance, Size: 2}
	r := req
	res, err := ix.Search(context.Background(), &r)
	if err != nil {
		t.Fatal(err)
	}
	walking := res.NextCursor
	for i := 0; i < 3*maxPins; i++ {
		a.add(1)
		r := req
		if _, err := ix.Search(context.Background(), &r); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 { // a walk in progress keeps its pin by using it
			r := req
			r.Cursor = walking
			res, err := ix.Search(context.Background(), &r)
			if err != nil || len(res.Warnings) > 0 {
				t.Fatalf("walk page after %d snapshots: %v, warnings %q", i+1, err, res.Warnings)
			}
			walking = res.NextCursor
		}
		if n := ix.pins.count(); n > maxPins {
			t.Fatalf("%d pins, want at most %d", n, maxPins)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if n := ix.pins.count(); n != 0 {
		t.Errorf("%d pins after Close, want 0", n)
	}
}

// TestCursorRoundTrip: a cursor reads back as made, and the largest one
// (a 64-byte title key, an id of search.MaxIDLen four-byte characters)
// stays under the API's 512 bytes.
func TestCursorRoundTrip(t *testing.T) {
	for _, tc := range []cursor{
		{sort: search.SortRelevance, key: "12.3456789012345", id: "e-1", snap: "0123456789abcdef"},
		{sort: search.SortRelevance, key: "", id: "e-1"},
		{sort: search.SortNewest, key: "2024\x00\"&<>", id: "\x01\"", snap: "ffffffffffffffff"},
		{sort: search.SortTitle, key: strings.Repeat("\u00e9", 32), id: strings.Repeat("\U0001F600", search.MaxIDLen), snap: "0123456789abcdef"},
	} {
		s := encodeCursor(tc.sort, tc.key, tc.id, tc.snap)
		if len(s) > 512 {
			t.Errorf("encodeCursor(%q, %d-byte key, %d-byte id) is %d bytes, over 512", tc.sort, len(tc.key), len(tc.id), len(s))
		}
		got, err := decodeCursor(s, tc.sort)
		if err != nil || got.key != tc.key || got.id != tc.id || got.snap != tc.snap {
			t.Errorf("decodeCursor(encodeCursor(%+v)) = %+v, %v", tc, got, err)
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
		{"version 2 without token", encodeCursorVersion(cursorVersion, search.SortTitle, "a", "b"), search.SortTitle},
		{"token too short", encodeCursor(search.SortTitle, "a", "b", "0123"), search.SortTitle},
		{"token not hex", encodeCursor(search.SortTitle, "a", "b", "0123456789abcdeg"), search.SortTitle},
		{"token not a string", rawCursor(`[2,"title","a","b",7]`), search.SortTitle},
		{"version 1 with token", rawCursor(`[1,"title","a","b","0123456789abcdef"]`), search.SortTitle},
		{"binary, empty", rawCursor("\x02"), search.SortTitle},
		{"binary, unknown sort", rawCursor("\x02\x09\x00\x00"), search.SortTitle},
		{"binary, key past the end", rawCursor("\x02\x03\x00\x09ab"), search.SortTitle},
		{"binary, token past the end", rawCursor("\x02\x03\x08\x01"), search.SortTitle},
		{"binary, bad varint", rawCursor("\x02\x03\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), search.SortTitle},
		{"relevance key not a number", encodeCursor(search.SortRelevance, "high", "b", ""), search.SortRelevance},
	} {
		_, err := ix.Search(context.Background(), &search.Request{Sort: tc.sort, Cursor: tc.cursor})
		var se *search.Error
		if !errors.As(err, &se) || se.Code != search.EINVALID || se.Field != "cursor" {
			t.Errorf("%s: Search(cursor %q) = %v, want invalid cursor", tc.name, tc.cursor, err)
		}
	}
}

func rawCursor(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }

// FuzzCursor: whatever the cursor, Search answers a page or an invalid
// cursor error, never another error or a panic.
func FuzzCursor(f *testing.F) {
	ix := mustOpen(f, genEntries(51, 60))
	res, err := ix.Search(context.Background(), &search.Request{Text: "digital", Size: 3})
	if err != nil || res.NextCursor == "" {
		f.Fatalf("first page: %v, cursor %q", err, res.NextCursor)
	}
	f.Add(res.NextCursor, search.SortRelevance)
	f.Add(res.NextCursor, search.SortTitle)
	f.Add(encodeCursorVersion(1, search.SortRelevance, "0.5", "x"), search.SortRelevance)
	f.Add(rawCursor(`[2,"relevance","NaN","x","0123456789abcdef"]`), search.SortRelevance)
	f.Add(rawCursor(`[2,"relevance","1e400","","ffffffffffffffff"]`), search.SortRelevance)
	f.Add(rawCursor(`[2,"title","zz","zz",""]`), search.SortTitle)
	f.Add(rawCursor(`[2.0,"newest",null,"a","0123456789abcdef"]`), search.SortNewest)
	f.Fuzz(func(t *testing.T, cur, sort string) {
		req := search.Request{Text: "digital", Sort: sort, Size: 3, Cursor: cur}
		if _, err := ix.Search(context.Background(), &req); err != nil {
			var se *search.Error
			if !errors.As(err, &se) || se.Code != search.EINVALID {
				t.Errorf("Search(cursor %q, sort %q) = %v, want a page or an invalid cursor", cur, sort, err)
			}
		}
	})
}

// BenchmarkPinnedSnapshotMemory measures what pins cost on 15 000 entries:
// the heap added by maxPins pins of successive snapshots (one write and one
// first page each) while no walk goes on from them, then once a second page
// has been read from each, and the slowest of those second pages (it builds
// the view of a snapshot that is no longer the latest).
//
//	go test -run XXX -bench PinnedSnapshotMemory -benchtime 1x ./index
func BenchmarkPinnedSnapshotMemory(b *testing.B) {
	heap := func() float64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.HeapAlloc) / (1 << 20)
	}
	for range b.N {
		b.StopTimer()
		ix := mustOpen(b, fixtures.Generate(1, 15000))
		extra := fixtures.Generate(2, maxPins)
		for i, e := range extra {
			e.ID = fmt.Sprintf("pin-%d", i)
		}
		req := search.Request{Text: "health", Size: 20, Snippets: true}
		r := req
		if _, err := ix.Search(context.Background(), &r); err != nil {
			b.Fatal(err)
		}
		time.Sleep(2 * time.Second) // let scorch persist and merge
		base := heap()
		var cursors []string
		for i := range maxPins {
			if err := ix.Apply(extra[i:i+1], uint64(10+i)); err != nil {
				b.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
			r := req
			res, err := ix.Search(context.Background(), &r)
			if err != nil {
				b.Fatal(err)
			}
			cursors = append(cursors, res.NextCursor)
		}
		time.Sleep(2 * time.Second)
		idle := heap()
		b.StartTimer()
		var slowest time.Duration
		for _, c := range cursors {
			r := req
			r.Cursor = c
			start := time.Now()
			res, err := ix.Search(context.Background(), &r)
			slowest = max(slowest, time.Since(start))
			if err != nil || len(res.Warnings) > 0 {
				b.Fatalf("second page: %v, warnings %q", err, res.Warnings)
			}
		}
		b.StopTimer()
		walked := heap()
		b.ReportMetric(idle-base, "MB-idle-pins")
		b.ReportMetric(walked-base, "MB-walked-pins")
		b.ReportMetric(float64(slowest.Microseconds())/1000, "ms-slowest-page")
		ix.Close()
	}
}
