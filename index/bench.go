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
	bsearch "github.com/blevesearch/bleve/v2/search"
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
// engine, as served), ours cold (the same with the per-snapshot match
// cache off, so every query runs its text search) and plain bleve (the same
// queries as SearchRequest facets).
type BenchResult struct {
	Facets, Cold, Plain BenchStats
	PerMix              map[string][3]BenchStats // mix → {ours, cold, plain}
	Speedup             float64                  // plain p50 / ours p50
	SpeedupCold         float64                  // plain p50 / cold p50
	FacetsP50MS         float64
	FacetsP99MS         float64
	ColdP50MS           float64
	PlainP50MS          float64
	EmptyFacetsP50      float64 // ours, empty query with all facets
	MismatchedTotal     int     // queries where the engines' totals differ (should be 0)
}

type benchQuery struct {
	mix string
	req search.Request
}

// RunBench runs a fixed seeded mix of queries (see benchQueries) three
// times on ix: through Search with every facet, cold (match cache off) and
// as served, and through plain bleve SearchRequest facets. It prints a
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
	var res BenchResult
	totals := make([]int, len(queries))
	pass := func(fn func(req *search.Request) (int, error)) ([]time.Duration, BenchStats, error) {
		d := make([]time.Duration, len(queries))
		allocs, err := measure(func() error {
			for i, q := range queries {
				req := q.req
				start := time.Now()
				n, err := fn(&req)
				d[i] = time.Since(start)
				if err != nil {
					return err
				}
				if totals[i] < 0 {
					totals[i] = n
				} else if n != totals[i] {
					res.MismatchedTotal++
				}
			}
			return nil
		})
		st := stats(d)
		st.AllocsPerOp, st.BytesPerOp = allocs[0]/float64(len(queries)), allocs[1]/float64(len(queries))
		return d, st, err
	}
	ourSearch := func(req *search.Request) (int, error) {
		r, err := ix.Search(ctx, req)
		if err != nil {
			return 0, err
		}
		return r.Total, nil
	}
	plainSearch := func(req *search.Request) (int, error) {
		r, err := ix.plainSearch(ctx, req)
		if err != nil {
			return 0, err
		}
		return int(r.Total), nil
	}

	// Warm up both paths (view, labels, page cache) on other queries.
	ix.noMatchCache.Store(true)
	warm, err := benchQueries(ix, BenchConfig{Queries: 300, Seed: cfg.Seed + 1000, Size: cfg.Size})
	if err != nil {
		return res, err
	}
	for _, q := range warm[:40] {
		a, b := q.req, q.req
		if _, err := ourSearch(&a); err != nil {
			return res, err
		}
		if _, err := plainSearch(&b); err != nil {
			return res, err
		}
	}
	for i := range totals {
		totals[i] = -1
	}
	cold, coldStats, err := pass(ourSearch)
	ix.noMatchCache.Store(false)
	if err != nil {
		return res, err
	}
	ours, oursStats, err := pass(ourSearch)
	if err != nil {
		return res, err
	}
	plain, plainStats, err := pass(plainSearch)
	if err != nil {
		return res, err
	}
	res.Facets, res.Cold, res.Plain = oursStats, coldStats, plainStats
	res.PerMix = map[string][3]BenchStats{}
	var mixes []string
	for _, q := range queries {
		if !slices.Contains(mixes, q.mix) {
			mixes = append(mixes, q.mix)
		}
	}
	sort.Strings(mixes)
	for _, m := range mixes {
		var a, b, c []time.Duration
		for i, q := range queries {
			if q.mix == m {
				a, b, c = append(a, ours[i]), append(b, cold[i]), append(c, plain[i])
			}
		}
		res.PerMix[m] = [3]BenchStats{stats(a), stats(b), stats(c)}
	}
	res.FacetsP50MS, res.FacetsP99MS, res.PlainP50MS = res.Facets.P50, res.Facets.P99, res.Plain.P50
	res.ColdP50MS = res.Cold.P50
	res.EmptyFacetsP50 = res.PerMix["empty"][0].P50
	if res.Facets.P50 > 0 {
		res.Speedup = res.Plain.P50 / res.Facets.P50
	}
	if res.Cold.P50 > 0 {
		res.SpeedupCold = res.Plain.P50 / res.Cold.P50
	}

	fmt.Fprintf(w, "%-10s %4s | %8s %7s %7s | %8s %7s %7s | %9s %7s %7s  (ms; all %d facets)\n",
		"mix", "n", "ours p50", "p90", "p99", "cold p50", "p90", "p99", "bleve p50", "p90", "p99", len(search.FacetNames))
	row := func(name string, a, b, c BenchStats) {
		fmt.Fprintf(w, "%-10s %4d | %8.3f %7.3f %7.3f | %8.3f %7.3f %7.3f | %9.3f %7.3f %7.3f\n",
			name, a.N, a.P50, a.P90, a.P99, b.P50, b.P90, b.P99, c.P50, c.P90, c.P99)
	}
	for _, m := range mixes {
		row(m, res.PerMix[m][0], res.PerMix[m][1], res.PerMix[m][2])
	}
	row("all", res.Facets, res.Cold, res.Plain)
	fmt.Fprintf(w, "allocs/query: ours %.0f (%.0f KB), cold %.0f (%.0f KB), bleve %.0f (%.0f KB); speedup at p50 %.1fx (cold %.1fx); total mismatches %d\n",
		res.Facets.AllocsPerOp, res.Facets.BytesPerOp/1024, res.Cold.AllocsPerOp, res.Cold.BytesPerOp/1024,
		res.Plain.AllocsPerOp, res.Plain.BytesPerOp/1024, res.Speedup, res.SpeedupCold, res.MismatchedTotal)
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
	// addFilter selects one more value of doc's, in a facet not yet filtered.
	addFilter := func(req *search.Request, doc uint32) {
		for tries := 0; tries < 20; tries++ {
			facet := facetBag[rnd.IntN(len(facetBag))]
			fw := v.fwd[facet]
			if len(req.Filters.Values[facet]) > 0 || fw == nil || fw.start[doc] == fw.start[doc+1] {
				continue
			}
			vals := fw.vals[fw.start[doc]:fw.start[doc+1]]
			req.Filters.Add(facet, v.values[facet][vals[rnd.IntN(len(vals))]])
			return
		}
	}
	out := make([]benchQuery, 0, cfg.Queries)
	for len(out) < cfg.Queries {
		// A session: a first query, then up to three refinements by one
		// more facet value each (or the next page).
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
		doc := docs[rnd.IntN(len(docs))]
		if rnd.IntN(100) < 30 {
			addFilter(&q.req, doc)
		}
		out = append(out, q)
		steps := []int{0, 0, 0, 0, 1, 1, 1, 2, 2, 3}[rnd.IntN(10)]
		for ; steps > 0 && len(out) < cfg.Queries; steps-- {
			next := q
			next.req.Filters = search.Filters{}
			for f, vals := range q.req.Filters.Values {
				for _, val := range vals {
					next.req.Filters.Add(f, val)
				}
			}
			if rnd.IntN(10) == 0 {
				next.req.Page = 2
			} else {
				addFilter(&next.req, doc)
			}
			out = append(out, next)
			q = next
		}
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
	defer r.close() // the engine stays open until bleve has answered
	st, err := r.v.bm25Stats()
	if err != nil {
		return nil, err
	}
	t := translator{reader: r.reader, analyzer: ix.builder.analyzers[textAnalyzer], maxTerms: ix.opts.MaxPrefixTerms, rd: newReading(ctx, req), bm25: st}
	bq, sp, err := t.translate(req.Query)
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
	prizes := false
	for _, facet := range req.Filters.Active() {
		if search.IsPrizeFacet(facet) {
			prizes = true // matched within one prize record, below
			continue
		}
		var any []query.Query
		for _, v := range req.Filters.Values[facet] {
			tq := query.NewTermQuery(v)
			tq.SetField(facet)
			any = append(any, tq)
		}
		must = append(must, query.NewDisjunctionQuery(any))
	}
	if prizes {
		var any []query.Query
		for _, rec := range r.v.values[search.FacetPrizeRecord] {
			if search.PrizeRecordMatches(rec, req.Filters.Values, "") {
				tq := query.NewTermQuery(rec)
				tq.SetField(search.FacetPrizeRecord)
				any = append(any, tq)
			}
		}
		if len(any) == 0 {
			must = append(must, query.NewMatchNoneQuery())
		} else {
			must = append(must, query.NewDisjunctionQuery(any))
		}
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
	sr.PreSearchData = map[string]any{bsearch.BM25PreSearchDataKey: st} // the statistics ours scores with
	for _, f := range search.FacetNames {
		sr.AddFacet(f, bleve.NewFacetRequest(f, 300))
	}
	return r.eng.bleve.SearchInContext(ctx, sr)
}
