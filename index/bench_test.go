package index

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

var (
	benchOnce sync.Once
	benchIx   *Index
	benchDir  string
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchIx != nil {
		benchIx.Close()
		os.RemoveAll(benchDir)
	}
	if defaultSetIx != nil {
		defaultSetIx.Close()
		os.RemoveAll(defaultSetDir)
	}
	os.Exit(code)
}

// benchIndex builds, once per test binary, an index of 15 000 generated entries.
func benchIndex(b *testing.B) *Index {
	benchOnce.Do(func() {
		if benchDir, benchErr = os.MkdirTemp("", "stocktaking-bench"); benchErr != nil {
			return
		}
		var ix *Index
		if ix, _, _, benchErr = Open(benchDir+"/index", Options{Logger: zerolog.Nop()}); benchErr != nil {
			return
		}
		start := time.Now()
		benchErr = ix.Apply(genEntries(11, 15000), 1)
		b.Logf("built 15000 entries in %v", time.Since(start))
		benchIx = ix
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchIx
}

func BenchmarkBuild15k(b *testing.B) {
	entries := genEntries(11, 15000)
	for i := 0; i < b.N; i++ {
		ix, _, _, err := Open(b.TempDir()+"/index", Options{Logger: zerolog.Nop()})
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Apply(entries, 1); err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

var benchRequests = []struct {
	name string
	req  search.Request
}{
	{"empty", search.Request{}},
	{"word", search.Request{Text: "digital"}},
	{"rare-word", search.Request{Text: "hackathon"}},
	{"phrase", search.Request{Text: `"rural connectivity"`}},
	{"word+3filters", search.Request{Text: "health", Filters: search.Filters{Values: map[string][]string{
		"region": {"africa", "europe"}, "sdg": {"3"}, "stakeholder": {"government"}}}}},
	{"empty+2filters", search.Request{Filters: search.Filters{Values: map[string][]string{
		"action_line": {"C7"}, "language": {"en"}}, YearFrom: 2015}}},
}

func BenchmarkSearchAllFacets(b *testing.B) {
	ix := benchIndex(b)
	for _, bc := range benchRequests {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req := bc.req
				if _, err := ix.Search(context.Background(), &req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPlainBleveFacets(b *testing.B) {
	ix := benchIndex(b)
	for _, bc := range benchRequests {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req := bc.req
				if _, err := ix.plainSearch(context.Background(), &req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRunBench(b *testing.B) {
	ix := benchIndex(b)
	for i := 0; i < b.N; i++ {
		var out strings.Builder
		res, err := RunBench(ix, BenchConfig{Seed: 1}, &out)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("\n%s", out.String())
		b.ReportMetric(res.FacetsP50MS, "facets_p50_ms")
		b.ReportMetric(res.Speedup, "speedup")
	}
}

// TestRunBench checks that the benchmark runs and that both ways agree on
// every total.
func TestRunBench(t *testing.T) {
	ix := mustOpen(t, genEntries(9, 600))
	var out strings.Builder
	res, err := RunBench(ix, BenchConfig{Seed: 3}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.MismatchedTotal != 0 || res.Facets.N != 300 || !strings.Contains(out.String(), "phrase") {
		t.Errorf("RunBench = %+v\n%s", res, out.String())
	}
}

// BenchmarkMix runs RunBench's query mix through Search only, for profiling
// the per-query cost (go test -bench Mix -cpuprofile).
func BenchmarkMix(b *testing.B) {
	ix := benchIndex(b)
	queries, err := benchQueries(ix, BenchConfig{Queries: 600, Seed: 1, Size: 20})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := queries[i%len(queries)].req
		if _, err := ix.Search(context.Background(), &req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMixPlain is BenchmarkMix through plain bleve facets.
func BenchmarkMixPlain(b *testing.B) {
	ix := benchIndex(b)
	queries, err := benchQueries(ix, BenchConfig{Queries: 600, Seed: 1, Size: 20})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := queries[i%len(queries)].req
		if _, err := ix.plainSearch(context.Background(), &req); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPlainSearchPrizeRecords checks that the plain bleve baseline filters
// prize facets within one prize record, as Search does, so that the bench
// compares the same result sets.
func TestPlainSearchPrizeRecords(t *testing.T) {
	ix := mustOpen(t, genEntries(11, 600))
	for y := 2012; y <= 2026; y++ {
		for _, st := range genPrizeStatus {
			req := search.Request{}
			req.Filters.Add(search.FacetPrizeYear, strconv.Itoa(y))
			req.Filters.Add(search.FacetPrizeStatus, st)
			plainReq := req
			plain, err := ix.plainSearch(context.Background(), &plainReq)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := ix.Search(context.Background(), &req)
			if err != nil {
				t.Fatal(err)
			}
			if int(plain.Total) != ours.Total {
				t.Errorf("prize_year=%d prize_status=%s: plain bleve %d, Search %d", y, st, plain.Total, ours.Total)
			}
		}
	}
}
