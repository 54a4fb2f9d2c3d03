package index

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/itu-stocktaking/stocktaking/search"
)

// run is one search in progress: the engine and snapshot it reads, its
// view, and the bitmaps computed so far.
type run struct {
	ix     *Index
	eng    *engine
	reader *scorch.IndexSnapshot
	v      *view
	groups map[string]*roaring.Bitmap // facet → documents passing that facet's filter
	// prizeSel is the filters' values when a prize facet is selected: the
	// prize facets are then one group, search.FacetPrizeRecord's.
	prizeSel map[string][]string
	filter   *roaring.Bitmap // documents passing every filter; nil = no filter
	matches  *roaring.Bitmap // documents matching the query (live only)
	scored   []scored        // every match with its score, in document order, when ranked
	rd       *reading        // how the query is read (set by Search)
	dym      string          // the did-you-mean text of the query
	key      string          // the query's matchKey
	tr       *translation    // its kept translation, if any

	sc        *scratch  // pooled buffers, returned by close
	scoredBuf *[]scored // scored's pooled backing array, returned by close
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
	if r.scoredBuf != nil {
		*r.scoredBuf = r.scored[:0]
		scoredPool.Put(r.scoredBuf)
		r.scoredBuf, r.scored = nil, nil
	}
	if r.sc != nil {
		scratchPool.Put(r.sc)
		r.sc = nil
	}
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

// Search runs req: one pass over the query's matches (or none, when the
// snapshot has just answered the same text), exact totals and disjunctive
// facet counts from bitmaps, hit summaries from the view's cache. A cursor
// continues after the hit it was made from, on the snapshot the walk's
// first page read while it is kept (pin.go), else on the current one with
// a warning; NextCursor is set while more hits follow.
func (ix *Index) Search(ctx context.Context, req *search.Request) (*search.Result, error) {
	start := time.Now()
	req.Normalize()
	after, err := decodeCursor(req.Cursor, req.Sort)
	if err != nil {
		return nil, err
	}
	r, gone, err := ix.matchedAfter(ctx, req, after)
	if err != nil {
		return nil, err
	}
	defer r.close()
	result := r.result()
	res := &search.Result{Total: int(result.GetCardinality()), ReadAs: req.Query.String()}
	res.Warnings = append(res.Warnings, req.Query.Warnings...)
	if gone {
		res.Warnings = append(res.Warnings, warnSnapshotGone)
	}
	res.DidYouMean = r.dym

	from := (req.Page - 1) * req.Size
	if after != nil {
		from = 0
	}
	page := r.ordered(req.Sort, result, after, from+req.Size+1)
	more := len(page) > from+req.Size
	page = page[min(from, len(page)):min(from+req.Size, len(page))]
	if res.Hits, err = r.hits(page, req); err != nil {
		return nil, err
	}
	if more && len(page) > 0 {
		last := page[len(page)-1]
		res.NextCursor = encodeCursor(req.Sort, r.sortKey(req.Sort, last), r.v.ids[last.num], ix.pins.keep(r))
	}
	if !req.NoFacets {
		arena := facetArenas.Get().(*facetArena)
		res.Facets = r.facets(req, facetList(req.Facets), arena)
		res.OnRelease(arena.free)
	}
	if err := ctx.Err(); err != nil {
		return nil, search.Errorf(search.EUNAVAILABLE, "search timed out")
	}
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

// result is the query's matches that pass every filter.
func (r *run) result() *roaring.Bitmap {
	if r.filter == nil {
		return r.matches
	}
	return roaring.And(r.matches, r.filter)
}

// warnSnapshotGone says that a cursor's page was read on the current index.
const warnSnapshotGone = "the index as it was on the first page is no longer kept: this page continues on the current one, so entries changed since may be missing or repeated"

// matched opens a run over the current view with req's filters applied and
// its query matched: the common start of Search, Stats, MatchIDs and
// FacetValues. The caller closes the run.
func (ix *Index) matched(ctx context.Context, req *search.Request) (*run, error) {
	r, err := ix.open()
	if err != nil {
		return nil, err
	}
	return r.prepare(ctx, req)
}

// matchedAfter is matched on the snapshot pinned for the cursor's walk;
// gone reports that it is no longer kept and the current one was read.
func (ix *Index) matchedAfter(ctx context.Context, req *search.Request, after *cursor) (r *run, gone bool, err error) {
	if after == nil {
		r, err = ix.matched(ctx, req)
		return r, false, err
	}
	if after.snap != "" {
		if r, err = ix.pins.open(ix, after.snap); err != nil {
			return nil, false, err
		}
	}
	if r == nil {
		gone = true
		if r, err = ix.open(); err != nil {
			return nil, false, err
		}
	}
	r, err = r.prepare(ctx, req)
	return r, gone, err
}

// prepare applies req's filters and matches its query; on error it closes
// the run.
func (r *run) prepare(ctx context.Context, req *search.Request) (*run, error) {
	r.applyFilters(req.Filters)
	r.rd = newReading(ctx, req)
	if err := r.match(ctx, req); err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

// applyFilters computes, per filtered facet, the documents passing it, and
// their intersection. The group of a single value is the view's own bitmap:
// groups and the filter are read, never changed.
func (r *run) applyFilters(f search.Filters) {
	r.groups = map[string]*roaring.Bitmap{}
	r.prizeSel = nil
	for facet, vals := range f.Values {
		if len(vals) == 0 {
			continue
		}
		if search.IsPrizeFacet(facet) {
			// matched within one prize record: one group for them all
			r.prizeSel = f.Values
			continue
		}
		var bms []*roaring.Bitmap
		for _, val := range vals {
			if bm := r.v.facets[facet][val]; bm != nil {
				bms = append(bms, bm)
			}
		}
		switch len(bms) {
		case 0:
			r.groups[facet] = roaring.New()
		case 1:
			r.groups[facet] = bms[0]
		default:
			r.groups[facet] = roaring.FastOr(bms...)
		}
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
	if r.prizeSel != nil {
		r.groups[search.FacetPrizeRecord] = r.prizeRecords()
	}
	r.filter = r.intersectGroups("", nil)
}

// prizeRecords returns the documents with a prize record that matches the
// selected prize values in every dimension (prizeValueSets, in facets.go,
// is its per-value form for the counts).
func (r *run) prizeRecords() *roaring.Bitmap {
	var bms []*roaring.Bitmap
	for _, rec := range r.v.values[search.FacetPrizeRecord] {
		if search.PrizeRecordMatches(rec, r.prizeSel, "") {
			bms = append(bms, r.v.facets[search.FacetPrizeRecord][rec])
		}
	}
	if len(bms) == 0 {
		return roaring.New()
	}
	return roaring.FastOr(bms...)
}

// intersectGroups returns the documents of with (when not nil) that pass
// every facet group except skip's; nil means no filter and no with. The
// answer may be one of the groups or with itself: callers do not change it.
func (r *run) intersectGroups(skip string, with *roaring.Bitmap) *roaring.Bitmap {
	var list [8]*roaring.Bitmap
	bms := list[:0]
	if with != nil {
		bms = append(bms, with)
	}
	for facet, g := range r.groups {
		if facet != skip {
			bms = append(bms, g)
		}
	}
	switch len(bms) {
	case 0:
		return nil
	case 1:
		return bms[0]
	case 2:
		return roaring.And(bms[0], bms[1])
	}
	return roaring.FastAnd(bms...)
}

// match sets r.matches to the live documents matching the request's
// query and, when it is ranked, r.scored to every match with its BM25
// score. The answer is kept in the view for the next searches with the
// same text (a user refining by facets or paging).
func (r *run) match(ctx context.Context, req *search.Request) error {
	q := req.Query
	ranked := req.Sort == search.SortRelevance && !q.IsMatchAll()
	key := matchKey(req, ranked)
	r.key = key
	cache := !r.ix.noMatchCache.Load()
	if m := r.v.cachedMatch(key); cache && m != nil {
		r.matches, r.dym = m.matches, m.dym
		if ranked {
			r.scored = m.scored
		}
		if m.rd != nil {
			r.rd = m.rd
		}
		return nil
	}
	bq, sp, err := r.translate(ctx, req, key, cache)
	if err != nil {
		return err
	}
	switch sp {
	case spanAll:
		r.matches = r.v.live
		return nil
	case spanNone:
		r.matches = roaring.New()
		return nil
	}
	fast, err := false, error(nil)
	if !r.ix.noFastMatch.Load() {
		fast, err = r.fastMatch(ctx, bq, ranked, cache)
	}
	if !fast {
		if ranked {
			r.scored = make([]scored, 0, 256)
		}
		err = r.stream(ctx, bq, ranked, func(num uint32, score float64) {
			r.scored = append(r.scored, scored{num: num, score: score})
		})
	}
	if err != nil {
		return err
	}
	if cache && !fast {
		var rd *reading
		if r.rd != nil { // kept for highlighting; without the request's context
			cp := *r.rd
			cp.ctx = context.Background()
			rd = &cp
		}
		r.v.matches.put(key, &matchEntry{matches: r.matches, scored: r.scored, dym: r.dym, rd: rd})
	}
	return nil
}

// stream runs bq on the run's snapshot and collects its matches in
// r.matches; onHit (when ranked) sees every match with its score.
func (r *run) stream(ctx context.Context, bq query.Query, ranked bool, onHit func(uint32, float64)) error {
	ctx, err := r.bm25(ctx)
	if err != nil {
		return err
	}
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
	r.matches.RunOptimize()
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

// hits builds the page's hits from the view's hit summaries.
func (r *run) hits(page []scored, req *search.Request) ([]search.Hit, error) {
	hits := make([]search.Hit, 0, len(page))
	var hl *highlighter
	tr := r.tr
	if tr == nil && r.key != "" && !r.ix.noMatchCache.Load() {
		tr, _ = r.v.translations.get(r.key) // kept by the search that filled the match cache
	}
	if req.Snippets {
		build := func() *highlighter {
			return newHighlighter(req.Query, r.ix.builder.analyzers[textAnalyzer]).with(r.rd)
		}
		if tr != nil {
			hl = tr.highlighter(build)
		} else {
			hl = build()
		}
	}
	for _, d := range page {
		hd, err := r.v.hit(d.num)
		if err != nil {
			return nil, err
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
			if tr != nil {
				if sn, ok := tr.snippet(d.num); ok {
					h.Snippet = sn
					hits = append(hits, h)
					continue
				}
			}
			sc := r.scratch()
			sc.desc, err = r.v.appendDescription(sc.desc[:0], d.num)
			if err != nil {
				return nil, err
			}
			h.Snippet = hl.snippet(sc.desc)
			if tr != nil {
				tr.keepSnippet(d.num, h.Snippet)
			}
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
