package index

import (
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// scratch holds the buffers a run reuses between its steps; runs take one
// from scratchPool when they first need it and give it back on close, so a
// search under load allocates little besides its answer.
type scratch struct {
	counts []int       // count's per-value counts
	nums   [256]uint32 // bitmap iteration
	dense  []uint64    // bitmapOfSorted's bit set, all zero between uses
	desc   []byte      // a description being cut into a snippet
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// scratch returns the run's buffers.
func (r *run) scratch() *scratch {
	if r.sc == nil {
		r.sc = scratchPool.Get().(*scratch)
	}
	return r.sc
}

// bitmapOfSorted returns the bitmap of docs, which are in increasing
// order. It sets the bits in a dense scratch set and converts it in one
// pass: the containers are allocated at their final size, where adding
// the numbers one by one grows each container step by step.
func bitmapOfSorted(docs []uint32, sc *scratch) *roaring.Bitmap {
	if len(docs) == 0 {
		return roaring.New()
	}
	n := int(docs[len(docs)-1]>>6) + 1
	if cap(sc.dense) < n {
		sc.dense = make([]uint64, n)
	}
	words := sc.dense[:n]
	for _, d := range docs {
		words[d>>6] |= 1 << (d & 63)
	}
	b := roaring.FromDense(words, true)
	clear(words)
	return b
}
