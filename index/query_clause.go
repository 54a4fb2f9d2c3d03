package index

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Keyword queries, the bulk of what people type, are read loosely (see
// query_loose.go): each word becomes a concept clause searched in three
// fields of six languages with its synonyms, and the query is
//
//	must:   sum of the concepts (tiered or squared by the number matched)
//	should: [proximity of adjacent words, conjunction of every concept]
//
// Through bleve that is a tree of some 80 searchers for two words, merged
// document by document. Here the same scores come from the parts: each
// concept and proximity clause is run once per index snapshot on its own
// (with bleve, unnormalised) and kept; a query combines the kept lists in
// one pass over dense arrays with bleve's formulas (the conjunction and
// disjunction sums, the disjunction's coordination factor, the query norm
// 1/√Σweight² of the whole tree). clause_test.go checks the scores against
// bleve's own for thousands of queries. Any other query shape goes through
// bleve as before.

// clauseQuery is a concept or proximity clause with the key it is kept
// under in a snapshot's clause cache. As a bleve query it is its inner
// query.
type clauseQuery struct {
	key string
	q   query.Query
}

func (c *clauseQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	return c.q.Searcher(ctx, r, m, opts)
}

// looseQuery is the loose reading of two or more concepts, or of one
// concept of several words and their proximity, without any other clause;
// as a bleve query it is the boolean query above.
type looseQuery struct {
	concepts []*clauseQuery
	mode     sumMode
	prox     *clauseQuery // nil without adjacent words
	bool     query.Query
}

func (l *looseQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	return l.bool.Searcher(ctx, r, m, opts)
}

// clauseEntry is a clause's matches in document order with their scores
// before the query norm, and the clause's sum of squared weights.
type clauseEntry struct {
	docs   []uint32
	scores []float64
	weight float64
}

func (e *clauseEntry) size() int { return 12*len(e.docs) + 64 }

// weightOrZero is e's weight, 0 for no entry.
func (e *clauseEntry) weightOrZero() float64 {
	if e == nil {
		return 0
	}
	return e.weight
}

// clause returns c's entry, running it when the snapshot has not kept it.
func (r *run) clause(ctx context.Context, c *clauseQuery, cache bool) (*clauseEntry, error) {
	if cache {
		if e, ok := r.v.clauses.get(c.key); ok {
			return e, nil
		}
	}
	bctx, err := r.bm25(ctx)
	if err != nil {
		return nil, err
	}
	s, err := c.q.Searcher(bctx, r.reader, r.ix.mapping, bsearch.SearcherOptions{})
	if err != nil {
		return nil, fmt.Errorf("searcher: %w", err)
	}
	defer s.Close()
	e := &clauseEntry{weight: s.Weight()}
	s.SetQueryNorm(1) // scores before the norm: the query's is applied when combining
	sctx := &bsearch.SearchContext{
		DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0),
		IndexReader:       r.reader,
	}
	for n := 1; ; n++ {
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if dm == nil {
			break
		}
		e.docs = append(e.docs, uint32(dm.IndexInternalID.Value()))
		e.scores = append(e.scores, dm.Score)
		sctx.DocumentMatchPool.Put(dm)
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, search.Errorf(search.EUNAVAILABLE, "search timed out")
			}
		}
	}
	if cache {
		r.v.clauses.put(c.key, e)
	}
	return e, nil
}

// fastMatch computes the matches and scores of bq when it is a loose
// keyword query (or one concept of several alternatives) from the kept
// clauses, and reports whether it did.
func (r *run) fastMatch(ctx context.Context, bq query.Query, ranked, cache bool) (bool, error) {
	var concepts []*clauseQuery
	var prox *clauseQuery
	mode := sumPlain
	switch q := bq.(type) {
	case *looseQuery:
		concepts, prox, mode = q.concepts, q.prox, q.mode
	case *clauseQuery:
		// one concept alone is its own top searcher: a bare term query
		// is not normalised by bleve, so only sums take this way
		if _, ok := q.q.(*sumQuery); !ok {
			return false, nil
		}
		concepts = []*clauseQuery{q}
	default:
		return false, nil
	}
	entries := make([]*clauseEntry, len(concepts))
	for i, c := range concepts {
		e, err := r.clause(ctx, c, cache)
		if err != nil {
			return true, err
		}
		entries[i] = e
	}
	var pe *clauseEntry
	if prox != nil {
		e, err := r.clause(ctx, prox, cache)
		if err != nil {
			return true, err
		}
		pe = e
	}
	combineClauses(r, entries, pe, mode, ranked)
	return true, nil
}

// scoredPool recycles the score lists of fast matches: they are not kept
// in the match cache (combining again is cheaper than keeping them) and go
// back to the pool when the run closes.
var scoredPool = sync.Pool{New: func() any { s := make([]scored, 0, 4096); return &s }}

// docsPool recycles the document lists combineClauses builds its bitmap from.
var docsPool = sync.Pool{New: func() any { s := make([]uint32, 0, 4096); return &s }}

// combineClauses sets r.matches and (when ranked) r.scored from the
// concepts' and proximity clause's entries, with the scores bleve gives
// the boolean query of looseQuery (or, for one concept, the concept). It
// merges the concepts' lists, which are in document order, adding each
// document's scores in concept order as bleve's sum does.
func combineClauses(r *run, concepts []*clauseEntry, prox *clauseEntry, mode sumMode, ranked bool) {
	k := len(concepts)
	var weight float64 // Σweight² of the whole tree: must, then should
	for _, e := range concepts {
		weight += e.weight
	}
	// should: [proximity, conjunction of the concepts], each when present
	conj := k > 1
	shouldParts := 0
	var pdocs []uint32 // the proximity clause's documents, walked in order below
	if prox != nil {
		shouldParts++
		weight += prox.weight
		pdocs = prox.docs
	}
	if conj {
		shouldParts++
		weight += weight - prox.weightOrZero() // Σ of the concepts once more
	}
	norm := 1 / math.Sqrt(weight)
	// the factor of a document matching m of the k concepts, as sumBreakdown
	// computes it
	factor := make([]float64, k+1)
	for m := 1; m <= k; m++ {
		switch mode {
		case sumSquared:
			f := float64(m) / float64(k)
			factor[m] = f * f
		case sumTiered:
			factor[m] = math.Pow(tierFactor, float64(m)-float64(k))
		default:
			factor[m] = 1
		}
	}
	pos := make([]int, k) // each concept's next document
	dbuf := docsPool.Get().(*[]uint32)
	defer docsPool.Put(dbuf)
	docs := (*dbuf)[:0]
	defer func() { *dbuf = docs[:0] }()
	if ranked {
		r.scoredBuf = scoredPool.Get().(*[]scored)
		r.scored = (*r.scoredBuf)[:0]
	}
	pj := 0
	for {
		// the smallest next document of the concepts
		d := uint32(math.MaxUint32)
		for i, e := range concepts {
			if pos[i] < len(e.docs) && e.docs[pos[i]] < d {
				d = e.docs[pos[i]]
			}
		}
		if d == math.MaxUint32 {
			break
		}
		var s float64
		m := 0
		for i, e := range concepts {
			if pos[i] < len(e.docs) && e.docs[pos[i]] == d {
				s += e.scores[pos[i]]
				pos[i]++
				m++
			}
		}
		docs = append(docs, d)
		if !ranked {
			continue
		}
		score := s * factor[m] * norm
		if mode == sumPlain || mode == sumMax {
			score = s * norm
		}
		if shouldParts > 0 {
			var should float64
			matched := 0
			for pj < len(pdocs) && pdocs[pj] < d {
				pj++
			}
			if pj < len(pdocs) && pdocs[pj] == d {
				should += prox.scores[pj]
				matched++
			}
			if conj && m == k {
				should += s
				matched++
			}
			if matched > 0 {
				score += should * float64(matched) / float64(shouldParts) * norm
			}
		}
		r.scored = append(r.scored, scored{num: d, score: score})
	}
	matches := bitmapOfSorted(docs, r.scratch())
	matches.And(r.v.live)
	matches.RunOptimize()
	r.matches = matches
}
