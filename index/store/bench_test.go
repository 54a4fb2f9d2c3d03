package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

const benchEntries, benchBatch = 15000, 1000

// benchSet returns n entries shaped like real ones: ~200-word short and
// ~500-word long descriptions, ITU-style 10-digit ids in creation order.
func benchSet(n int) []*search.Entry {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("ict development broadband access rural health education government digital " +
		"inclusion women youth capacity training platform mobile services community network data security")
	text := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	out := make([]*search.Entry, n)
	for i := range out {
		e := fullEntry(fmt.Sprint(1100000000 + i*1000))
		e.Created, e.Updated = time.Time{}, time.Time{}
		e.Title = text(8)
		e.ShortDescription = text(200)
		e.Description = text(500)
		e.Withdrawn = false
		out[i] = e
	}
	return out
}

// putAll puts entries in batches of benchBatch.
func putAll(b *testing.B, s *Store, entries []*search.Entry) {
	for i := 0; i < len(entries); i += benchBatch {
		if _, _, err := s.Put(entries[i:min(i+benchBatch, len(entries))], search.Change{Author: "bench", Time: t0}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPut imports 15 000 entries in 15 batches into a new file, with
// fsync on (the default) and off.
func BenchmarkPut(b *testing.B) {
	entries := benchSet(benchEntries)
	for _, noSync := range []bool{false, true} {
		b.Run(fmt.Sprintf("nosync=%v", noSync), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s, err := Open(filepath.Join(b.TempDir(), "s.db"), Options{NoSync: noSync})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				putAll(b, s, entries)
				b.StopTimer()
				b.ReportMetric(float64(s.Stats().FileSize)/(1<<20), "MiB")
				s.Close()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkPutUnchanged re-imports the same 15 000 entries: every one is
// compared and skipped.
func BenchmarkPutUnchanged(b *testing.B) {
	entries := benchSet(benchEntries)
	s := MustOpen(b, Options{})
	putAll(b, s, entries)
	for b.Loop() {
		putAll(b, s, entries)
	}
}

// BenchmarkForEach decodes all 15 000 entries.
func BenchmarkForEach(b *testing.B) {
	s := MustOpen(b, Options{NoSync: true})
	putAll(b, s, benchSet(benchEntries))
	for b.Loop() {
		n := 0
		if err := s.ForEach(func(*search.Entry) error { n++; return nil }); err != nil || n != benchEntries {
			b.Fatalf("ForEach = %d, %v", n, err)
		}
	}
}

// BenchmarkChangesSince walks the whole change log, as a full catch-up does.
func BenchmarkChangesSince(b *testing.B) {
	s := MustOpen(b, Options{NoSync: true})
	putAll(b, s, benchSet(benchEntries))
	for b.Loop() {
		if err := s.ChangesSince(0, func(uint64, *search.Entry) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCount measures Count, which walks the pages of the entries bucket.
func BenchmarkCount(b *testing.B) {
	s := MustOpen(b, Options{NoSync: true})
	putAll(b, s, benchSet(benchEntries))
	for b.Loop() {
		if n, err := s.Count(); err != nil || n != benchEntries {
			b.Fatalf("Count = %d, %v", n, err)
		}
	}
}
