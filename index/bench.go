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

// RunBench runs a fixed seeded mix of queries (single words, phrases, two
// words, empty query; 0–4 active filters) twice on ix: through Search with
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

// benchQueries draws the query mix from the index's own vocabulary and
// facet values, so that it works on any data set.
func benchQueries(ix *Index, cfg BenchConfig) ([]benchQuery, error) {
	r, err := ix.open()
	if err != nil {
		return nil, err
	}
	defer r.close()
	dict, err := r.reader.FieldDict(fieldTitle)
	if err != nil {
		return nil, err
	}
	type tc struct {
		term  string
		count uint64
	}
	var terms []tc
	for de, err := dict.Next(); de != nil && err == nil; de, err = dict.Next() {
		if len(de.Term) > 2 {
			terms = append(terms, tc{de.Term, de.Count})
		}
	}
	dict.Close()
	if len(terms) == 0 {
		return nil, fmt.Errorf("bench: the index is empty")
	}
	sort.SliceStable(terms, func(i, j int) bool { return terms[i].count > terms[j].count })
	terms = terms[:min(len(terms), 400)]
	rnd := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	word := func() string { return terms[rnd.IntN(len(terms))].term }
	out := make([]benchQuery, 0, cfg.Queries)
	for i := 0; i < cfg.Queries; i++ {
		var q benchQuery
		switch i % 4 {
		case 0:
			q.mix = "empty"
		case 1:
			q.mix, q.req.Text = "word", word()
		case 2:
			q.mix, q.req.Text = "phrase", `"`+word()+" "+word()+`"`
		case 3:
			q.mix, q.req.Text = "two-words", word()+" "+word()
		}
		q.req.Query = search.ParseQuery(q.req.Text)
		q.req.Size = cfg.Size
		for n := rnd.IntN(5); n > 0; n-- {
			facet := search.FacetNames[rnd.IntN(len(search.FacetNames))]
			vals := r.v.values[facet]
			if len(vals) > 0 {
				q.req.Filters.Add(facet, vals[rnd.IntN(len(vals))])
			}
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
	t := translator{reader: r.reader, analyzer: ix.builder.analyzers[textAnalyzer], maxTerms: ix.opts.MaxPrefixTerms}
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
	return ix.bleve.SearchInContext(ctx, sr)
}
