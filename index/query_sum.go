package index

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// sumQuery matches documents matching any of its parts and scores them by
// the plain sum of the parts' scores. bleve's disjunction multiplies that
// sum by the fraction of parts matched ("coordination"), which is right for
// an OR the user typed but wrong for the alternatives of one word: a word
// searched in 3 fields × 6 languages, or with 12 synonyms, would score a
// document matching one alternative at 1/18 or 1/13 of its BM25 weight.
type sumQuery struct {
	parts []query.Query
	mode  sumMode
}

// sumMode says how the parts' scores are combined.
type sumMode int

const (
	sumPlain   sumMode = iota // the sum
	sumSquared                // the sum × (parts matched / parts)²
	sumTiered                 // the sum, ranked first by the number of parts matched
	sumMax                    // the best part plus a tenth of the others (Lucene's dis_max)
)

// tierFactor divides the score of a document for each part it misses in
// sumTiered: no BM25 sum of a few words is a thousand times another's.
const tierFactor = 1000

// disMaxTie is the weight of the other parts in sumMax.
const disMaxTie = 0.1

// sumOf returns the sum of parts (nil parts are skipped), the single part
// itself, or nil.
func sumOf(parts []query.Query) query.Query {
	var ps []query.Query
	for _, p := range parts {
		if p != nil {
			ps = append(ps, p)
		}
	}
	switch len(ps) {
	case 0:
		return nil
	case 1:
		return ps[0]
	}
	return &sumQuery{parts: ps}
}

// maxOf returns the dis_max of parts (nil parts are skipped), the single
// part itself, or nil.
func maxOf(parts []query.Query) query.Query {
	q := sumOf(parts)
	if s, ok := q.(*sumQuery); ok {
		s.mode = sumMax
	}
	return q
}

// Searcher builds a bleve disjunction in its score-breakdown mode (which
// reports each part's score instead of the coordinated sum) and adds the
// parts up. Unscored searches use the ordinary disjunction.
func (q *sumQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	subs := make([]bsearch.Searcher, 0, len(q.parts))
	for _, p := range q.parts {
		s, err := p.Searcher(ctx, r, m, opts)
		if err != nil {
			for _, s := range subs {
				_ = s.Close()
			}
			return nil, err
		}
		subs = append(subs, s)
	}
	if opts.Score == "none" {
		return searcher.NewDisjunctionSearcher(ctx, r, subs, 1, opts)
	}
	bctx := context.WithValue(ctx, bsearch.IncludeScoreBreakdownKey, true)
	ds, err := searcher.NewDisjunctionSearcher(bctx, r, subs, 1, opts)
	if err != nil {
		return nil, err
	}
	return &sumSearcher{Searcher: ds, n: len(subs), mode: q.mode}, nil
}

// sumSearcher turns the score breakdown of a disjunction into its sum.
type sumSearcher struct {
	bsearch.Searcher
	n    int // parts, the keys of the breakdown
	mode sumMode
}

func (s *sumSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	return sumBreakdown(dm, s.n, s.mode), err
}

func (s *sumSearcher) Advance(ctx *bsearch.SearchContext, id bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	return sumBreakdown(dm, s.n, s.mode), err
}

// sumBreakdown adds the parts' scores in a fixed order, so that equal
// documents get bit-identical scores.
func sumBreakdown(dm *bsearch.DocumentMatch, n int, mode sumMode) *bsearch.DocumentMatch {
	if dm == nil || dm.ScoreBreakdown == nil {
		return dm
	}
	sum, best := 0.0, 0.0
	for i := 0; i < n; i++ {
		v := dm.ScoreBreakdown[i]
		sum += v
		best = max(best, v)
	}
	matched := float64(len(dm.ScoreBreakdown))
	switch mode {
	case sumSquared:
		sum *= (matched / float64(n)) * (matched / float64(n))
	case sumTiered:
		sum *= math.Pow(tierFactor, matched-float64(n))
	case sumMax:
		sum = best + disMaxTie*(sum-best)
	}
	dm.Score = sum
	clear(dm.ScoreBreakdown)
	return dm
}
