package index

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// BM25 divides a field's length in a document by the field's average length.
// bleve v2.6.3 takes for that average the field's term dictionary size
// summed over the snapshot's segments, divided by the number of all
// documents, rounded up (searcher.bm25ScoreMetrics,
// IndexSnapshot.FieldCardinality): distinct words, not tokens, so on the
// default set every text field "averaged" 1 token (title_en really 6,
// desc_en 125) and long texts were pushed down hard; languages with few
// entries most, their words being divided by every entry of the index.
// And it grew when the same words sat in more segments, so a background
// merge moved every score.
//
// Here the average is the field's tokens over the live documents having
// the field. A document's length is its number of tokens, the sum of its
// terms' frequencies, which is what bleve's norm encodes; it is read per
// segment from the postings once (segments never change) and summed per
// snapshot without the deleted documents, so it does not depend on how the
// documents are laid out in segments. Cost, on the default set of 15 000
// entries: 140 ms and about 1 MB (2 bytes a field and document) for a
// segment of them all, paid by the first ranked search that reads the
// segment; a snapshot after a small write, 0.4 ms.
//
// It reaches bleve through the search context (search.BM25StatsKey), which
// every term searcher reads, inside phrases and multi-term searchers too.
// bleve computes the average from it as ⌈FieldCardinality/DocCount⌉ and
// also takes DocCount as the N of the idf, so DocCount stays the snapshot's
// live documents (the idf is bleve's) and FieldCardinality is the average,
// rounded to the nearest whole token, times DocCount: bleve's average can
// only be a whole number.

// withBM25 returns ctx asking bleve for BM25 scores with the statistics st
// (from view.bm25Stats); with nil st, bleve uses its own.
func withBM25(ctx context.Context, st *bsearch.BM25Stats) context.Context {
	ctx = context.WithValue(ctx, bsearch.GetScoringModelCallbackKey,
		bsearch.GetScoringModelCallbackFn(func() string { return bindex.BM25Scoring }))
	if st != nil {
		ctx = context.WithValue(ctx, bsearch.BM25StatsKey, st)
	}
	return ctx
}

// bm25 returns ctx asking bleve for BM25 scores with the statistics of the
// run's snapshot.
func (r *run) bm25(ctx context.Context) (context.Context, error) {
	st, err := r.v.bm25Stats()
	if err != nil {
		return ctx, err
	}
	return withBM25(ctx, st), nil
}

// fieldLengths is the length in tokens of one field in each document of a
// segment.
type fieldLengths struct {
	docs   uint64            // documents with at least one token
	tokens uint64            // tokens in all
	n      []uint16          // per local document, at most math.MaxUint16
	long   map[uint32]uint32 // the lengths of math.MaxUint16 and more
}

func (f *fieldLengths) of(d uint32) uint64 {
	if n := f.n[d]; n < math.MaxUint16 {
		return uint64(n)
	}
	return uint64(f.long[d])
}

// segLengths holds the field lengths of one segment, read on first use
// (segments never change).
type segLengths struct {
	once   sync.Once
	fields map[string]*fieldLengths
	err    error
}

// get returns the lengths of every indexed field of seg, which has n
// documents.
func (l *segLengths) get(seg segment.Segment, n uint64) (map[string]*fieldLengths, error) {
	l.once.Do(func() { l.fields, l.err = readLengths(seg, n) })
	return l.fields, l.err
}

// readLengths adds up the frequencies of every term of every field of seg
// by document.
func readLengths(seg segment.Segment, n uint64) (map[string]*fieldLengths, error) {
	out := map[string]*fieldLengths{}
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	for _, field := range seg.Fields() {
		dict, err := seg.Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("dictionary %s: %w", field, err)
		}
		var count []uint32
		it := dict.AutomatonIterator(nil, nil, nil)
		for de, err := it.Next(); de != nil || err != nil; de, err = it.Next() {
			if err != nil {
				return nil, fmt.Errorf("iterate %s: %w", field, err)
			}
			if pl, err = dict.PostingsList([]byte(de.Term), nil, pl); err != nil {
				return nil, fmt.Errorf("postings %s: %w", field, err)
			}
			pi = pl.Iterator(true, false, false, pi)
			for p, err := pi.Next(); p != nil || err != nil; p, err = pi.Next() {
				if err != nil {
					return nil, fmt.Errorf("postings %s: %w", field, err)
				}
				if count == nil {
					count = make([]uint32, n)
				}
				if d := p.Number(); d < n {
					count[d] += uint32(p.Frequency())
				}
			}
		}
		if count == nil {
			continue // stored only, or no document has a token
		}
		fl := &fieldLengths{n: make([]uint16, n)}
		for d, c := range count {
			if c == 0 {
				continue
			}
			fl.docs++
			fl.tokens += uint64(c)
			if c >= math.MaxUint16 {
				if fl.long == nil {
					fl.long = map[uint32]uint32{}
				}
				fl.long[uint32(d)] = c
				c = math.MaxUint16
			}
			fl.n[d] = uint16(c)
		}
		out[field] = fl
	}
	return out, nil
}

// snapBM25 is the BM25 statistics of a view's snapshot, computed on first use.
type snapBM25 struct {
	once  sync.Once
	stats *bsearch.BM25Stats
	err   error
}

// bm25Stats returns the BM25 statistics of v's snapshot: for every field,
// its tokens and the documents having it among the live documents.
func (v *view) bm25Stats() (*bsearch.BM25Stats, error) {
	v.bm25.once.Do(func() { v.bm25.stats, v.bm25.err = v.readBM25() })
	return v.bm25.stats, v.bm25.err
}

func (v *view) readBM25() (*bsearch.BM25Stats, error) {
	live, err := v.snap.DocCount()
	if err != nil {
		return nil, err
	}
	totals := map[string]*fieldTotal{}
	for i, ss := range v.segs {
		fields, err := v.data[i].lengths.get(ss.Segment(), v.data[i].count)
		if err != nil {
			return nil, err
		}
		addLengths(totals, fields, ss.Deleted())
	}
	return bm25StatsOf(totals, live), nil
}

// fieldTotal is one field's documents and tokens in a snapshot.
type fieldTotal struct{ docs, tokens uint64 }

// addLengths adds to totals the lengths of a segment's fields without its
// deleted documents.
func addLengths(totals map[string]*fieldTotal, fields map[string]*fieldLengths, deleted *roaring.Bitmap) {
	for name, fl := range fields {
		t := totals[name]
		if t == nil {
			t = &fieldTotal{}
			totals[name] = t
		}
		t.docs += fl.docs
		t.tokens += fl.tokens
	}
	if deleted == nil {
		return
	}
	it := deleted.Iterator()
	for it.HasNext() {
		d := it.Next()
		for name, fl := range fields {
			if uint64(d) < uint64(len(fl.n)) && fl.n[d] > 0 {
				totals[name].docs--
				totals[name].tokens -= fl.of(d)
			}
		}
	}
}

// bm25StatsOf returns the statistics for bleve of a snapshot of live
// documents with the given field totals.
func bm25StatsOf(totals map[string]*fieldTotal, live uint64) *bsearch.BM25Stats {
	st := &bsearch.BM25Stats{DocCount: float64(live), FieldCardinality: map[string]int{}}
	// bleve wants every field a term searcher reads, "*" too (the field of
	// an unscored disjunction it optimises into one term searcher)
	st.FieldCardinality["*"] = 0
	for _, name := range indexedFields() {
		st.FieldCardinality[name] = 0
	}
	for name, t := range totals {
		if t.docs == 0 {
			continue
		}
		avg := math.Round(float64(t.tokens) / float64(t.docs))
		st.FieldCardinality[name] = int(avg) * int(live)
	}
	return st
}

// indexedFields lists every field of the mapping (some only stored).
func indexedFields() []string {
	m, ok := searchMapping().(*mapping.IndexMappingImpl)
	if !ok || m.DefaultMapping == nil {
		return nil
	}
	names := []string{fieldID}
	for name := range m.DefaultMapping.Properties {
		names = append(names, name)
	}
	return names
}
