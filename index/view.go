package index

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// segData is what the facet engine derives from one immutable scorch
// segment, in the segment's local document numbers. Segments never change,
// so it is computed once per segment and reused by every snapshot that holds
// the segment.
type segData struct {
	count     uint64
	ids       []string
	titleKeys []string
	dateKeys  []string
	facets    map[string]map[string]*roaring.Bitmap // field → value → local docs
	hits      []atomic.Pointer[hitDoc]              // decoded hit summaries, filled on first use
	lengths   segLengths                            // field lengths, read on first use (bm25.go)
}

// view is the facet engine's picture of one index snapshot, in the
// snapshot's global document numbers (segment offset + local number).
type view struct {
	snap    *scorch.IndexSnapshot
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	n       uint64 // global numbers are < n
	live    *roaring.Bitmap
	ids     []string
	title   []string
	date    []string
	facets  map[string]map[string]*roaring.Bitmap
	values  map[string][]string // sorted facet values present in the snapshot
	fwd     map[string]*forward // per facet: each document's value indexes
	data    []*segData          // per segment, for the hit summaries
	bm25    snapBM25            // BM25's field statistics, computed on first use (bm25.go)

	countsOnce sync.Once
	counts     map[string][]int // per facet, the live documents of each value

	orderOnce [4]sync.Once
	orders    [4][]uint32 // live documents in each order (see order)

	matches   lru[*matchEntry]  // recent text queries' matches on this snapshot (match.go)
	clauses   lru[*clauseEntry] // recent query clauses' matches and scores (query_clause.go)
	langsOnce sync.Once
	langs     []string // languages with terms in the snapshot (query.go)
	labelSets sync.Map // facet+"\x00"+lang → []search.FacetValue (facets.go)
	orderSets sync.Map // facet → display order of its values
	// recent queries' translations, by matchKey
	translations lru[*translation]
}

// Orders of the live documents; ties are always broken by id.
const (
	orderID     = iota // id
	orderTitle         // title key
	orderOldest        // date key ascending
	orderNewest        // date key descending
)

// viewCache keeps the view of the latest snapshot and the per-segment data
// it was built from.
type viewCache struct {
	mu   sync.Mutex
	cur  *view
	segs map[segment.Segment]*segData
}

// get returns the view of snap, building it when snap is new.
func (c *viewCache) get(snap *scorch.IndexSnapshot) (*view, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.cur.snap == snap {
		return c.cur, nil
	}
	if c.segs == nil {
		c.segs = map[segment.Segment]*segData{}
	}
	keep := make(map[segment.Segment]*segData, len(snap.Segments()))
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		sd := c.segs[seg]
		if sd == nil {
			var err error
			if sd, err = loadSegData(seg); err != nil {
				return nil, err
			}
		}
		keep[seg] = sd
	}
	c.segs = keep
	v := buildView(snap, keep)
	c.cur = v
	return v, nil
}

// of returns the view of snap without making it the cache's: the current
// view when snap is the latest snapshot, else one built for the caller
// (pin.go), with the data of segments merged away since read again.
func (c *viewCache) of(snap *scorch.IndexSnapshot) (*view, error) {
	c.mu.Lock()
	if c.cur != nil && c.cur.snap == snap {
		defer c.mu.Unlock()
		return c.cur, nil
	}
	data := make(map[segment.Segment]*segData, len(snap.Segments()))
	var missing []segment.Segment
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		if sd := c.segs[seg]; sd != nil {
			data[seg] = sd
		} else {
			missing = append(missing, seg)
		}
	}
	c.mu.Unlock()
	for _, seg := range missing {
		sd, err := loadSegData(seg)
		if err != nil {
			return nil, err
		}
		data[seg] = sd
	}
	return buildView(snap, data), nil
}

// loadSegData reads ids, sort keys and facet postings of one segment.
func loadSegData(seg segment.Segment) (*segData, error) {
	n := seg.Count()
	sd := &segData{
		count:     n,
		ids:       make([]string, n),
		titleKeys: make([]string, n),
		dateKeys:  make([]string, n),
		facets:    make(map[string]map[string]*roaring.Bitmap, len(facetFields)),
		hits:      make([]atomic.Pointer[hitDoc], n),
	}
	each := func(field string, fn func(term string, docs *roaring.Bitmap)) error {
		dict, err := seg.Dictionary(field)
		if err != nil {
			return fmt.Errorf("dictionary %s: %w", field, err)
		}
		it := dict.AutomatonIterator(nil, nil, nil)
		var pl segment.PostingsList
		var pi segment.PostingsIterator
		for de, err := it.Next(); de != nil || err != nil; de, err = it.Next() {
			if err != nil {
				return fmt.Errorf("iterate %s: %w", field, err)
			}
			term := de.Term
			pl, err = dict.PostingsList([]byte(term), nil, pl)
			if err != nil {
				return fmt.Errorf("postings %s: %w", field, err)
			}
			pi = pl.Iterator(false, false, false, pi)
			fn(term, postingsBitmap(pi))
		}
		return nil
	}
	var err error
	set := func(dst []string) func(string, *roaring.Bitmap) {
		return func(term string, docs *roaring.Bitmap) {
			it := docs.Iterator()
			for it.HasNext() {
				if d := it.Next(); uint64(d) < n {
					dst[d] = term
				}
			}
		}
	}
	if err = each(fieldID, set(sd.ids)); err != nil {
		return nil, err
	}
	if err = each(fieldSortTitle, set(sd.titleKeys)); err != nil {
		return nil, err
	}
	if err = each(fieldSortDate, set(sd.dateKeys)); err != nil {
		return nil, err
	}
	for _, f := range facetFields {
		m := map[string]*roaring.Bitmap{}
		if err = each(f, func(term string, docs *roaring.Bitmap) { m[term] = docs }); err != nil {
			return nil, err
		}
		sd.facets[f] = m
	}
	return sd, nil
}

// postingsBitmap copies the documents of a postings iterator into a new
// bitmap (the segment's own bitmap may live in memory-mapped data).
func postingsBitmap(pi segment.PostingsIterator) *roaring.Bitmap {
	if op, ok := pi.(segment.OptimizablePostingsIterator); ok {
		if d, ok := op.DocNum1Hit(); ok {
			return roaring.BitmapOf(uint32(d))
		}
		if bm := op.ActualBitmap(); bm != nil {
			return bm.Clone()
		}
	}
	bm := roaring.New()
	for p, err := pi.Next(); p != nil && err == nil; p, err = pi.Next() {
		bm.Add(uint32(p.Number()))
	}
	return bm
}

// buildView lays the segments' data side by side in global numbers and
// removes deleted documents.
func buildView(snap *scorch.IndexSnapshot, data map[segment.Segment]*segData) *view {
	segs := snap.Segments()
	v := &view{
		snap:    snap,
		segs:    segs,
		offsets: make([]uint64, len(segs)),
		data:    make([]*segData, len(segs)),
		live:    roaring.New(),
		facets:  make(map[string]map[string]*roaring.Bitmap, len(facetFields)),
		values:  make(map[string][]string, len(facetFields)),
	}
	v.initCaches()
	lives := make([]*roaring.Bitmap, len(segs))
	for i, ss := range segs {
		v.offsets[i] = v.n
		sd := data[ss.Segment()]
		v.data[i] = sd
		v.n += sd.count
		l := roaring.New()
		l.AddRange(0, sd.count)
		if del := ss.Deleted(); del != nil {
			l.AndNot(del)
		}
		lives[i] = l
		v.live.Or(roaring.AddOffset64(l, int64(v.offsets[i])))
	}
	v.ids = make([]string, 0, v.n)
	v.title = make([]string, 0, v.n)
	v.date = make([]string, 0, v.n)
	for _, ss := range segs {
		sd := data[ss.Segment()]
		v.ids = append(v.ids, sd.ids...)
		v.title = append(v.title, sd.titleKeys...)
		v.date = append(v.date, sd.dateKeys...)
	}
	for _, f := range facetFields {
		m := map[string]*roaring.Bitmap{}
		for i, ss := range segs {
			for val, local := range data[ss.Segment()].facets[f] {
				docs := roaring.And(local, lives[i])
				if docs.IsEmpty() {
					continue
				}
				if v.offsets[i] > 0 {
					docs = roaring.AddOffset64(docs, int64(v.offsets[i]))
				}
				if g := m[val]; g != nil {
					g.Or(docs)
				} else {
					m[val] = docs
				}
			}
		}
		vals := make([]string, 0, len(m))
		for val, bm := range m {
			bm.RunOptimize()
			vals = append(vals, val)
		}
		sort.Strings(vals)
		v.facets[f] = m
		v.values[f] = vals
	}
	v.fwd = make(map[string]*forward, len(facetFields))
	for _, f := range facetFields {
		v.fwd[f] = newForward(v.n, v.values[f], v.facets[f])
	}
	return v
}

// forward lists, for every document, the indexes (in view.values) of its
// values of one facet: vals[start[d]:start[d+1]]. Counting a small result
// through it is cheaper than intersecting it with every value's bitmap.
type forward struct {
	start []uint32
	vals  []uint16
}

func newForward(n uint64, values []string, bms map[string]*roaring.Bitmap) *forward {
	if len(values) > 1<<16 {
		return nil // too many values for uint16 indexes: count with bitmaps
	}
	fw := &forward{start: make([]uint32, n+1)}
	for _, val := range values {
		it := bms[val].Iterator()
		for it.HasNext() {
			fw.start[it.Next()+1]++
		}
	}
	for d := uint64(1); d <= n; d++ {
		fw.start[d] += fw.start[d-1]
	}
	fw.vals = make([]uint16, fw.start[n])
	fill := append([]uint32(nil), fw.start[:n]...)
	for i, val := range values {
		it := bms[val].Iterator()
		for it.HasNext() {
			d := it.Next()
			fw.vals[fill[d]] = uint16(i)
			fill[d]++
		}
	}
	return fw
}

// liveCounts returns, per facet, the number of live documents carrying
// each value (indexed like values): the counts of an empty query without
// filters, computed once.
func (v *view) liveCounts() map[string][]int {
	v.countsOnce.Do(func() {
		v.counts = make(map[string][]int, len(v.facets))
		for f, vals := range v.values {
			c := make([]int, len(vals))
			for i, val := range vals {
				c[i] = int(v.facets[f][val].GetCardinality())
			}
			v.counts[f] = c
		}
	})
	return v.counts
}

// order returns the live documents in one of the orders above; it is
// computed on first use.
func (v *view) order(kind int) []uint32 {
	v.orderOnce[kind].Do(func() {
		docs := v.live.ToArray()
		switch kind {
		case orderID:
			slices.SortFunc(docs, func(a, b uint32) int { return strings.Compare(v.ids[a], v.ids[b]) })
		case orderTitle:
			slices.SortFunc(docs, func(a, b uint32) int {
				if c := strings.Compare(v.title[a], v.title[b]); c != 0 {
					return c
				}
				return strings.Compare(v.ids[a], v.ids[b])
			})
		case orderOldest, orderNewest:
			sign := 1
			if kind == orderNewest {
				sign = -1
			}
			slices.SortFunc(docs, func(a, b uint32) int {
				if c := strings.Compare(v.date[a], v.date[b]); c != 0 {
					return sign * c
				}
				return strings.Compare(v.ids[a], v.ids[b])
			})
		}
		v.orders[kind] = docs
	})
	return v.orders[kind]
}

// locate returns the segment index and local number of a global number.
func (v *view) locate(num uint64) (int, uint64) {
	i := sort.Search(len(v.offsets), func(i int) bool { return v.offsets[i] > num }) - 1
	return i, num - v.offsets[i]
}

// hit returns the decoded summary of document num, decoding it on first
// use; summaries live with their segment, so every later snapshot that
// holds the segment reuses them.
func (v *view) hit(num uint32) (*hitDoc, error) {
	i, local := v.locate(uint64(num))
	slot := &v.data[i].hits[local]
	if hd := slot.Load(); hd != nil {
		return hd, nil
	}
	var raw []byte
	err := v.segs[i].VisitDocument(local, func(field string, _ byte, value []byte, _ []uint64) bool {
		if field == fieldHit {
			raw = append([]byte(nil), value...)
			return false
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("load hit %s: %w", v.ids[num], err)
	}
	hd := new(hitDoc)
	if err := json.Unmarshal(raw, hd); err != nil {
		return nil, fmt.Errorf("decode hit %s: %w", v.ids[num], err)
	}
	slot.Store(hd)
	return hd, nil
}

// description returns the stored description of document num.
func (v *view) description(num uint32) (string, error) {
	b, err := v.appendDescription(nil, num)
	return string(b), err
}

// appendDescription appends the stored description of document num to dst.
func (v *view) appendDescription(dst []byte, num uint32) ([]byte, error) {
	i, local := v.locate(uint64(num))
	err := v.segs[i].VisitDocument(local, func(field string, _ byte, value []byte, _ []uint64) bool {
		if field == fieldDesc {
			dst = append(dst, value...)
			return false
		}
		return true
	})
	if err != nil {
		return dst, fmt.Errorf("load description %s: %w", v.ids[num], err)
	}
	return dst, nil
}
