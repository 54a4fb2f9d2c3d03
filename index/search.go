package index

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/itu-stocktaking/stocktaking/search"
)

// run is one search in progress: the engine and snapshot it reads, its
// view, and the bitmaps computed so far.
type run struct {
	ix      *Index
	eng     *engine
	reader  *scorch.IndexSnapshot
	v       *view
	groups  map[string]*roaring.Bitmap // facet → documents passing that facet's filter
	filter  *roaring.Bitmap            // documents passing every filter; nil = no filter
	matches *roaring.Bitmap            // documents matching the query (live only)
	top     *topK                      // best documents by score, when ranked by relevance
	rd      *reading                   // how the query is read (set by Search)
}

// open starts a run on the current snapshot; the caller must call close.
func (ix *Index) open() (*run, error) {
	e, err := ix.acquire()
	if err != nil {
		return nil, err
	}
	snap, err := e.reader()
	if err != nil {
		e.release()
		return nil, err
	}
	v, err := e.views.get(snap)
	if err != nil {
		snap.Close()
		e.release()
		return nil, fmt.Errorf("facet view: %w", err)
	}
	return &run{ix: ix, eng: e, reader: snap, v: v}, nil
}

func (r *run) close() {
	r.reader.Close()
	r.eng.release()
}

// reader opens the engine's current scorch snapshot.
func (e *engine) reader() (*scorch.IndexSnapshot, error) {
	adv, err := e.bleve.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("open reader: %w", err)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, fmt.Errorf("index reader is %T, want a scorch snapshot", r)
	}
	return snap, nil
}

// Search runs req: one pass over the query's matches, exact totals and
// disjunctive facet counts from bitmaps, stored fields only for the page.
func (ix *Index) Search(ctx context.Context, req *search.Request) (*search.Result, error) {
	start := time.Now()
	req.Normalize()
	r, err := ix.open()
	if err != nil {
		return nil, err
	}
	defer r.close()
	r.applyFilters(req.Filters)
	k := req.Page * req.Size
	ranked := req.Sort == search.SortRelevance && !req.Query.IsMatchAll()
	if ranked {
		r.top = newTopK(k, r.v.ids)
	}
	r.rd = newReading(ctx, req)
	if err := r.match(ctx, req.Query, ranked); err != nil {
		return nil, err
	}
	result := r.matches
	if r.filter != nil {
		result = roaring.And(r.matches, r.filter)
	}
	res := &search.Result{Total: int(result.GetCardinality()), ReadAs: req.Query.String()}
	res.Warnings = append(res.Warnings, req.Query.Warnings...)
	res.DidYouMean = r.rd.didYouMean(req.Query)

	var page []scored
	if ranked {
		page = r.top.sorted()
	} else {
		page = r.walk(sortOrder(req.Sort), result, k)
	}
	if from := (req.Page - 1) * req.Size; from < len(page) {
		page = page[from:]
	} else {
		page = nil
	}
	if res.Hits, err = r.hits(page, req); err != nil {
		return nil, err
	}
	if !req.NoFacets {
		res.Facets = r.facets(req, facetList(req.Facets))
	}
	if err := ctx.Err(); err != nil {
		return nil, search.Errorf(search.EUNAVAILABLE, "search timed out")
	}
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

// applyFilters computes, per filtered facet, the documents passing it, and
// their intersection.
func (r *run) applyFilters(f search.Filters) {
	r.groups = map[string]*roaring.Bitmap{}
	for facet, vals := range f.Values {
		if len(vals) == 0 {
			continue
		}
		var bms []*roaring.Bitmap
		for _, val := range vals {
			if bm := r.v.facets[facet][val]; bm != nil {
				bms = append(bms, bm)
			}
		}
		r.groups[facet] = roaring.FastOr(bms...)
	}
	if f.YearFrom > 0 || f.YearTo > 0 {
		var bms []*roaring.Bitmap
		for _, val := range r.v.values[search.FacetYear] {
			y := atoi(val)
			if (f.YearFrom <= 0 || y >= f.YearFrom) && (f.YearTo <= 0 || y <= f.YearTo) {
				bms = append(bms, r.v.facets[search.FacetYear][val])
			}
		}
		rng := roaring.FastOr(bms...)
		if g := r.groups[search.FacetYear]; g != nil {
			rng.And(g)
		}
		r.groups[search.FacetYear] = rng
	}
	r.filter = r.intersectGroups("")
}

// intersectGroups ANDs every facet group except skip; nil means no filter.
func (r *run) intersectGroups(skip string) *roaring.Bitmap {
	var out *roaring.Bitmap
	for facet, g := range r.groups {
		if facet == skip {
			continue
		}
		if out == nil {
			out = g.Clone()
		} else {
			out.And(g)
		}
	}
	return out
}

// match sets r.matches to the live documents matching q, streaming them
// from a bleve searcher; when ranked, documents passing the filters are
// offered to r.top with their BM25 score.
func (r *run) match(ctx context.Context, q *search.Query, ranked bool) error {
	t := translator{reader: r.reader, analyzer: r.ix.builder.analyzers[textAnalyzer], maxTerms: r.ix.opts.MaxPrefixTerms, rd: r.rd}
	bq, sp, err := t.translate(q)
	if err != nil {
		return fmt.Errorf("translate query: %w", err)
	}
	switch sp {
	case spanAll:
		r.matches = r.v.live
		return nil
	case spanNone:
		r.matches = roaring.New()
		return nil
	}
	return r.stream(ctx, bq, ranked, func(num uint32, score float64) {
		if r.filter == nil || r.filter.Contains(num) {
			r.top.offer(num, score)
		}
	})
}

// stream runs bq on the run's snapshot and collects its matches in
// r.matches; onHit (when ranked) sees every match with its score.
func (r *run) stream(ctx context.Context, bq query.Query, ranked bool, onHit func(uint32, float64)) error {
	ctx = context.WithValue(ctx, bsearch.GetScoringModelCallbackKey,
		bsearch.GetScoringModelCallbackFn(func() string { return bindex.BM25Scoring }))
	opts := bsearch.SearcherOptions{Score: "none"}
	if ranked {
		opts.Score = ""
	}
	s, err := bq.Searcher(ctx, r.reader, r.ix.mapping, opts)
	if err != nil {
		return fmt.Errorf("searcher: %w", err)
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{
		DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0),
		IndexReader:       r.reader,
	}
	buf := make([]uint32, 0, 1024)
	r.matches = roaring.New()
	n := 0
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if dm == nil {
			break
		}
		num := uint32(dm.IndexInternalID.Value())
		buf = append(buf, num)
		if ranked {
			onHit(num, dm.Score)
		}
		sctx.DocumentMatchPool.Put(dm)
		if n++; n&1023 == 0 {
			r.matches.AddMany(buf)
			buf = buf[:0]
			if err := ctx.Err(); err != nil {
				return search.Errorf(search.EUNAVAILABLE, "search timed out")
			}
		}
	}
	r.matches.AddMany(buf)
	r.matches.And(r.v.live)
	return nil
}

func sortOrder(s string) int {
	switch s {
	case search.SortNewest:
		return orderNewest
	case search.SortOldest:
		return orderOldest
	case search.SortTitle:
		return orderTitle
	}
	return orderID
}

// walk returns the first k documents of result in a precomputed order.
func (r *run) walk(kind int, result *roaring.Bitmap, k int) []scored {
	total := int(result.GetCardinality())
	if k > total {
		k = total
	}
	out := make([]scored, 0, k)
	if k == 0 {
		return out
	}
	for _, num := range r.v.order(kind) {
		if result.Contains(num) {
			out = append(out, scored{num: num})
			if len(out) == k {
				break
			}
		}
	}
	return out
}

// hits builds the page's hits from the stored summaries.
func (r *run) hits(page []scored, req *search.Request) ([]search.Hit, error) {
	hits := make([]search.Hit, 0, len(page))
	var hl *highlighter
	if req.Snippets {
		hl = newHighlighter(req.Query, r.ix.builder.analyzers[textAnalyzer]).with(r.rd)
	}
	for _, d := range page {
		ss, local := r.v.locate(uint64(d.num))
		var hitJSON, desc []byte
		err := ss.VisitDocument(local, func(field string, _ byte, value []byte, _ []uint64) bool {
			switch field {
			case fieldHit:
				hitJSON = append([]byte(nil), value...)
			case fieldDesc:
				if hl != nil {
					desc = append([]byte(nil), value...)
				}
			}
			return true
		})
		if err != nil {
			return nil, fmt.Errorf("load hit %s: %w", r.v.ids[d.num], err)
		}
		var hd hitDoc
		if err := json.Unmarshal(hitJSON, &hd); err != nil {
			return nil, fmt.Errorf("decode hit %s: %w", r.v.ids[d.num], err)
		}
		h := search.Hit{
			ID: r.v.ids[d.num], Score: d.score, Title: hd.Title, Organization: hd.Organization,
			Country: hd.Country, Region: hd.Region, Stakeholder: hd.Stakeholder, Year: hd.Year,
			ActionLines: hd.ActionLines, SDGs: hd.SDGs, Prizes: hd.Prizes,
		}
		switch req.Sort {
		case search.SortTitle:
			h.SortKey = r.v.title[d.num]
		case search.SortNewest, search.SortOldest:
			h.SortKey = r.v.date[d.num]
		}
		if hl != nil {
			h.Snippet = hl.snippet(string(desc))
		}
		hits = append(hits, h)
	}
	return hits, nil
}

// facetList returns the facets to count: all when nil.
func facetList(names []string) []string {
	if names == nil {
		return search.FacetNames
	}
	return names
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// lowerASCII is strings.ToLower without allocation for ASCII input.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}
