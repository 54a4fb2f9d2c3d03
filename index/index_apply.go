package index

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// applyWorkers is the number of bleve batches of one Apply in flight at
// once. Scorch analyses a batch on several goroutines but then builds its
// segment on one; with two batches in flight, both cores stay busy.
const applyWorkers = 2

// applyTo writes entries to e's bleve index in batches; with record, it
// also records seq and waits for persistence.
//
// Batches are committed concurrently. That is safe because each document
// id occurs at most once among them (lastPerID), so the order in which
// bleve introduces them does not matter. When there are several, seq is
// recorded in a batch of its own committed after all of them, so a crash
// never keeps the sequence without the documents.
func (ix *Index) applyTo(e *engine, entries []*search.Entry, seq uint64, record bool) error {
	entries = lastPerID(entries)
	var chunks [][]*search.Entry
	for i := 0; i < len(entries); i += ix.opts.BatchSize {
		chunks = append(chunks, entries[i:min(i+ix.opts.BatchSize, len(entries))])
	}
	seqBatch := func(b *bleve.Batch) *bleve.Batch {
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], seq)
		b.SetInternal(keySeq, v[:])
		return b
	}
	if len(chunks) <= 1 {
		b := e.bleve.NewBatch()
		if len(chunks) == 1 {
			if err := ix.fill(b, chunks[0]); err != nil {
				return err
			}
		}
		if record {
			seqBatch(b)
		}
		if b.Size() == 0 {
			return nil
		}
		return e.commit(b, record)
	}

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		failure error
		queue   = make(chan []*search.Entry)
	)
	for range applyWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range queue {
				mu.Lock()
				failed := failure != nil
				mu.Unlock()
				if failed {
					continue
				}
				b := e.bleve.NewBatch()
				err := ix.fill(b, chunk)
				if err == nil {
					err = e.commit(b, false)
				}
				if err != nil {
					mu.Lock()
					failure = cmp.Or(failure, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, c := range chunks {
		queue <- c
	}
	close(queue)
	wg.Wait()
	if failure != nil || !record {
		return failure
	}
	return e.commit(seqBatch(e.bleve.NewBatch()), true)
}

// fill adds the documents of entries, or their deletion, to b.
func (ix *Index) fill(b *bleve.Batch, entries []*search.Entry) error {
	for _, en := range entries {
		if en.Withdrawn {
			b.Delete(en.ID)
			continue
		}
		doc, err := ix.builder.build(en)
		if err == nil {
			err = b.IndexAdvanced(doc)
		}
		if err != nil {
			return fmt.Errorf("index %s: %w", en.ID, err)
		}
	}
	return nil
}

// lastPerID returns entries without nil entries, entries without an id, and
// every entry whose id occurs again later: applying the result in any order
// gives the index that applying entries in order would.
func lastPerID(entries []*search.Entry) []*search.Entry {
	seen := make(map[string]struct{}, len(entries))
	dup := false
	for _, en := range entries {
		if en == nil || en.ID == "" {
			dup = true
			continue
		}
		if _, ok := seen[en.ID]; ok {
			dup = true
		}
		seen[en.ID] = struct{}{}
	}
	if !dup {
		return entries
	}
	clear(seen)
	out := make([]*search.Entry, 0, len(entries))
	for i := len(entries) - 1; i >= 0; i-- {
		en := entries[i]
		if en == nil || en.ID == "" {
			continue
		}
		if _, ok := seen[en.ID]; ok {
			continue
		}
		seen[en.ID] = struct{}{}
		out = append(out, en)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
