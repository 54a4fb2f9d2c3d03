package index

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/itu-stocktaking/stocktaking/search"
)

// BenchConfig sets up RunBench.
type BenchConfig struct {
	Queries int    // number of queries in the mix (at least 300; 300 if 0)
	Seed    uint64 // seed of the query mix
	Size    int    // page size (20 if 0)
}

// BenchStats are latency percentiles in milliseconds and allocations per query.
type BenchStats struct {
	N                  int
	P50, P90, P99, Max float64
	AllocsPerOp        float64
	BytesPerOp         float64
}

// BenchResult holds RunBench's figures: ours (all facets through the bitmap
// engine) and plain bleve (the same queries as SearchRequest facets).
type BenchResult struct {
	Facets, Plain   BenchStats
	PerMix          map[string][2]BenchStats // mix → {ours, plain}
	Speedup         float64                  // plain p50 / ours p50
	FacetsP50MS     float64
	FacetsP99MS     float64
	PlainP50MS      float64
	EmptyFacetsP50  float64 // ours, empty query with all facets
	MismatchedTotal int     // queries where the two totals differ (should be 0)
}

type benchQuery struct {
	mix string
	req search.Request
}

// RunBench runs a fixed seeded mix of queries (see benchQueries) twice on ix: through Search with
// every facet, and through plain bleve SearchRequest facets. It prints a
// table to w and returns the figures.
func RunBench(ix *Index, cfg BenchConfig, w io.Writer) (BenchResult, error) {
	if cfg.Queries < 300 {
		cfg.Queries = 300
	}
	if cfg.Size <= 0 {
		cfg.Size = 20
	}
	queries, err := benchQueries(ix, cfg)
	if err != nil {
		return BenchResult{}, err
	}
	ctx := context.Background()
	ours := make([]time.Duration, len(queries))
	plain := make([]time.Duration, len(queries))
	totals := make([]int, len(queries))
	var res BenchResult

	// warm up both paths (view, caches, page cache)
	for _, q := range queries[:20] {
		req := q.req
		if _, err := ix.Search(ctx, &req); err != nil {
			return res, err
		}
		if _, err := ix.plainSearch(ctx, &q.req); err != nil {
			return res, err
		}
	}
	oursAllocs, err := measure(func() error {
		for i, q := range queries {
			req := q.req
			start := time.Now()
			r, err := ix.Search(ctx, &req)
			ours[i] = time.Since(start)
			if err != nil {
				return err
			}
			totals[i] = r.Total
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	plainAllocs, err := measure(func() error {
		for i, q := range queries {
			start := time.Now()
			r, err := ix.plainSearch(ctx, &q.req)
			plain[i] = time.Since(start)
			if err != nil {
				return err
			}
			if int(r.Total) != totals[i] {
				res.MismatchedTotal++
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	n := float64(len(queries))
	res.Facets = stats(ours)
	res.Facets.AllocsPerOp, res.Facets.BytesPerOp = oursAllocs[0]/n, oursAllocs[1]/n
	res.Plain = stats(plain)
	res.Plain.AllocsPerOp, res.Plain.BytesPerOp = plainAllocs[0]/n, plainAllocs[1]/n
	res.PerMix = map[string][2]BenchStats{}
	var mixes []string
	for _, q := range queries {
		if !slices.Contains(mixes, q.mix) {
			mixes = append(mixes, q.mix)
		}
	}
	sort.Strings(mixes)
	for _, m := range mixes {
		var a, b []time.Duration
		for i, q := range queries {
			if q.mix == m {
				a, b = append(a, ours[i]), append(b, plain[i])
			}
		}
		res.PerMix[m] = [2]BenchStats{stats(a), stats(b)}
	}
	res.FacetsP50MS, res.FacetsP99MS, res.PlainP50MS = res.Facets.P50, res.Facets.P99, res.Plain.P50
	res.EmptyFacetsP50 = res.PerMix["empty"][0].P50
	if res.Facets.P50 > 0 {
		res.Speedup = res.Plain.P50 / res.Facets.P50
	}

	fmt.Fprintf(w, "%-10s %5s | %8s %8s %8s | %8s %8s %8s  (ms; all %d facets)\n",
		"mix", "n", "ours p50", "p90", "p99", "bleve p50", "p90", "p99", len(search.FacetNames))
	row := func(name string, a, b BenchStats) {
		fmt.Fprintf(w, "%-10s %5d | %8.3f %8.3f %8.3f | %8.3f %8.3f %8.3f\n", name, a.N, a.P50, a.P90, a.P99, b.P50, b.P90, b.P99)
	}
	for _, m := range mixes {
		row(m, res.PerMix[m][0], res.PerMix[m][1])
	}
	row("all", res.Facets, res.Plain)
	fmt.Fprintf(w, "allocs/query: ours %.0f (%.0f KB), bleve %.0f (%.0f KB); speedup at p50 %.1fx; total mismatches %d\n",
		res.Facets.AllocsPerOp, res.Facets.BytesPerOp/1024, res.Plain.AllocsPerOp, res.Plain.BytesPerOp/1024,
		res.Speedup, res.MismatchedTotal)
	return res, nil
}

func measure(fn func() error) ([2]float64, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := fn()
	runtime.ReadMemStats(&after)
	return [2]float64{float64(after.Mallocs - before.Mallocs), float64(after.TotalAlloc - before.TotalAlloc)}, err
}

func stats(d []time.Duration) BenchStats {
	if len(d) == 0 {
		return BenchStats{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(p float64) float64 {
		i := int(p * float64(len(s)-1))
		return float64(s[i].Microseconds()) / 1000
	}
	return BenchStats{N: len(s), P50: at(0.5), P90: at(0.9), P99: at(0.99), Max: at(1)}
}

// benchQueries draws a query mix that resembles what users send, from the
// index's own titles and facet values so that it works on any data set:
// a quarter empty queries (browsing), single common words, two words, and
// two-word phrases taken from real titles; most queries have no or one
// filter, a few up to four, with values drawn by popularity (the values of
// a random entry, so that drilling down keeps results).
func benchQueries(ix *Index, cfg BenchConfig) ([]benchQuery, error) {
	r, err := ix.open()
	if err != nil {
		return nil, err
	}
	defer r.close()
	v := r.v
	docs := v.live.ToArray()
	if len(docs) == 0 {
		return nil, fmt.Errorf("bench: the index is empty")
	}
	rnd := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	stop := map[string]bool{}
	for _, w := range strings.Fields("and the for of in to a an on with by from at des de la le les et du el en los las y del para por e-") {
		stop[w] = true
	}
	// titleWords returns the words (≥ 4 letters, no stop words) of a random title.
	titleWords := func() []string {
		for {
			var out []string
			for _, w := range strings.FieldsFunc(v.title[docs[rnd.IntN(len(docs))]], func(c rune) bool {
				return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c >= 0x80)
			}) {
				if w = strings.Trim(w, "-"); len(w) >= 4 && !stop[w] {
					out = append(out, w)
				}
			}
			if len(out) >= 2 {
				return out
			}
		}
	}
	weights := map[string]int{search.FacetActionLine: 25, search.FacetSDG: 20, search.FacetRegion: 15,
		search.FacetCountry: 15, search.FacetYear: 10, search.FacetStakeholder: 10}
	var facetBag []string
	for _, f := range search.FacetNames {
		n := weights[f]
		if n == 0 {
			n = 1
		}
		for ; n > 0; n-- {
			facetBag = append(facetBag, f)
		}
	}
	out := make([]benchQuery, 0, cfg.Queries)
	for i := 0; i < cfg.Queries; i++ {
		var q benchQuery
		switch p := rnd.IntN(100); {
		case p < 25:
			q.mix = "empty"
		case p < 60:
			q.mix, q.req.Text = "word", titleWords()[0]
		case p < 80:
			w := titleWords()
			rnd.Shuffle(len(w), func(i, j int) { w[i], w[j] = w[j], w[i] })
			q.mix, q.req.Text = "two-words", w[0]+" "+w[1]
		default:
			w := titleWords()
			k := rnd.IntN(len(w) - 1)
			q.mix, q.req.Text = "phrase", `"`+w[k]+" "+w[k+1]+`"`
		}
		q.req.Query = search.ParseQuery(q.req.Text)
		q.req.Size = cfg.Size
		nf := 0
		switch p := rnd.IntN(100); {
		case p < 45:
		case p < 75:
			nf = 1
		case p < 90:
			nf = 2
		case p < 97:
			nf = 3
		default:
			nf = 4
		}
		doc := docs[rnd.IntN(len(docs))]
		for tries := 0; nf > 0 && tries < 20; tries++ {
			facet := facetBag[rnd.IntN(len(facetBag))]
			if len(q.req.Filters.Values[facet]) > 0 {
				continue
			}
			fw := v.fwd[facet]
			if fw == nil || fw.start[doc] == fw.start[doc+1] {
				continue
			}
			vals := fw.vals[fw.start[doc]:fw.start[doc+1]]
			q.req.Filters.Add(facet, v.values[facet][vals[rnd.IntN(len(vals))]])
			nf--
		}
		out = append(out, q)
	}
	return out, nil
}

// plainSearch runs req the plain bleve way: the same bleve query AND the
// filters, with a bleve facet request per facet. It is the benchmark's
// baseline.
func (ix *Index) plainSearch(ctx context.Context, req *search.Request) (*bleve.SearchResult, error) {
	req.Normalize()
	r, err := ix.open()
	if err != nil {
		return nil, err
	}
	t := translator{reader: r.reader, analyzer: ix.builder.analyzers[textAnalyzer], maxTerms: ix.opts.MaxPrefixTerms, rd: newReading(ctx, req)}
	bq, sp, err := t.translate(req.Query)
	r.close()
	if err != nil {
		return nil, err
	}
	var must []query.Query
	switch sp {
	case spanAll:
		must = append(must, query.NewMatchAllQuery())
	case spanNone:
		must = append(must, query.NewMatchNoneQuery())
	default:
		must = append(must, bq)
	}
	for _, facet := range req.Filters.Active() {
		var any []query.Query
		for _, v := range req.Filters.Values[facet] {
			tq := query.NewTermQuery(v)
			tq.SetField(facet)
			any = append(any, tq)
		}
		must = append(must, query.NewDisjunctionQuery(any))
	}
	if req.Filters.YearFrom > 0 || req.Filters.YearTo > 0 {
		lo, hi := "", ""
		if req.Filters.YearFrom > 0 {
			lo = strconv.Itoa(req.Filters.YearFrom)
		}
		if req.Filters.YearTo > 0 {
			hi = strconv.Itoa(req.Filters.YearTo)
		}
		yes := true
		rq := query.NewTermRangeInclusiveQuery(lo, hi, &yes, &yes)
		rq.SetField(search.FacetYear)
		must = append(must, rq)
	}
	sr := bleve.NewSearchRequestOptions(query.NewConjunctionQuery(must), req.Size, (req.Page-1)*req.Size, false)
	for _, f := range search.FacetNames {
		sr.AddFacet(f, bleve.NewFacetRequest(f, 300))
	}
	return r.eng.bleve.SearchInContext(ctx, sr)
}
