package index

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
)

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
