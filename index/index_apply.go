package index

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// applyWorkers is the number of bleve batches of one Apply in flight at
// once. Scorch analyses a batch on several goroutines but then builds its
// segment on one; with two batches in flight, one is analysed while the
// other's segment is built, so both cores stay busy.
const applyWorkers = 2

// applyTo writes entries to e's bleve index in batches; with record, the
// last batch also records seq and waits for persistence.
//
// Batches other than the last are committed concurrently. That is safe
// because each document id occurs at most once among them (lastPerID), so
// the order in which bleve introduces them does not matter; the last batch
// is committed after all the others have been.
func (ix *Index) applyTo(e *engine, entries []*search.Entry, seq uint64, record bool) error {
	entries = lastPerID(entries)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		failure error
		queue   = make(chan *bleve.Batch)
	)
	for range applyWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range queue {
				mu.Lock()
				failed := failure != nil
				mu.Unlock()
				if failed {
					continue
				}
				if err := e.commit(b, false); err != nil {
					mu.Lock()
					failure = err
					mu.Unlock()
				}
			}
		}()
	}
	finish := func() error {
		close(queue)
		wg.Wait()
		return failure
	}

	batch := e.bleve.NewBatch()
	for i, en := range entries {
		if en.Withdrawn {
			batch.Delete(en.ID)
		} else {
			doc, err := ix.builder.build(en)
			if err == nil {
				err = batch.IndexAdvanced(doc)
			}
			if err != nil {
				finish()
				return fmt.Errorf("index %s: %w", en.ID, err)
			}
		}
		if batch.Size() >= ix.opts.BatchSize && i < len(entries)-1 {
			queue <- batch
			batch = e.bleve.NewBatch()
		}
	}
	if err := finish(); err != nil {
		return err
	}
	if record {
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], seq)
		batch.SetInternal(keySeq, v[:])
	}
	if batch.Size() == 0 {
		return nil
	}
	return e.commit(batch, record)
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
