package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/index"
	"github.com/itu-stocktaking/stocktaking/search"
)

// runBench builds the default data set (or -entries N generated entries) in
// a fresh index and measures our search with all facets against plain bleve
// facets on the same index, in the same run.
func runBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	entries := fs.Int("entries", fixtures.DefaultCount, "generated entries to index")
	queries := fs.Int("queries", 600, "queries in the mix (≥ 300)")
	seed := fs.Uint64("seed", 1, "seed of the query mix")
	dir := fs.String("dir", "", "index directory (default: a temporary one, removed afterwards)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "stocktaking-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	w := os.Stdout
	fmt.Fprintf(w, "stocktaking bench: %d entries, %d queries, GOMAXPROCS=%d, %s/%s\n",
		*entries, *queries, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)

	genStart := time.Now()
	all := fixtures.Generate(fixtures.DefaultSeed, *entries)
	genDur := time.Since(genStart)

	ix, _, _, err := index.Open(*dir+"/index", index.Options{Logger: zerolog.Nop()})
	if err != nil {
		return err
	}
	defer ix.Close()
	// Built as a first start builds it (CatchUp): 8 000 entries per Apply,
	// with the collector of index.WithBuildGC.
	buildStart := time.Now()
	err = index.WithBuildGC(func() error {
		for i := 0; i < len(all); i += 8000 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := ix.Apply(all[i:min(i+8000, len(all))], uint64(i+1)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	build := time.Since(buildStart)
	n, _ := ix.Count()
	fmt.Fprintf(w, "generate: %s   build index: %s (%d documents)\n", genDur.Round(time.Millisecond), build.Round(time.Millisecond), n)
	// Warm up once so that both engines start from the same caches.
	_, _ = ix.Search(ctx, &search.Request{})

	res, err := index.RunBench(ix, index.BenchConfig{Queries: *queries, Seed: *seed}, w)
	if err != nil {
		return err
	}
	rss := rssMB()
	fmt.Fprintf(w, "rss_mb=%.0f\n", rss)
	fmt.Fprintf(w, "facets_p50_ms=%.3f facets_p99_ms=%.3f plain_bleve_p50_ms=%.3f speedup=%.1fx build_s=%.2f empty_p50_ms=%.3f\n",
		res.FacetsP50MS, res.FacetsP99MS, res.PlainP50MS, res.Speedup, build.Seconds(), res.EmptyFacetsP50)
	if res.MismatchedTotal > 0 {
		return fmt.Errorf("%d queries gave different totals in the two engines", res.MismatchedTotal)
	}
	return nil
}

// rssMB reads the resident set size from /proc (0 where unavailable).
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
