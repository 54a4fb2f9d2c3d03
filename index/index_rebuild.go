package index

import (
	"context"
	"fmt"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// pendingLog keeps the entries applied while a Rebuild reads the store, to
// be replayed into the new generation before it is swapped in.
type pendingLog struct {
	entries []*search.Entry
	seq     uint64
}

func (p *pendingLog) add(entries []*search.Entry, seq uint64) {
	p.entries = append(p.entries, entries...)
	p.seq = max(p.seq, seq)
}

// Rebuild builds a new generation of the index beside the current one while
// it keeps serving, then swaps it in. each must call fn with every entry of
// the store (in batches) as of sequence seq; entries applied through Apply
// meanwhile are replayed into the new generation before the swap. Searches
// never block or fail during a Rebuild; the old generation is closed and
// deleted once the searches reading it have finished. On error the current
// generation stays in use and the new one is deleted.
func (ix *Index) Rebuild(ctx context.Context, each func(fn func([]*search.Entry) error) error, seq uint64) (err error) {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	start := time.Now()

	ix.writeMu.Lock()
	if ix.cur.Load() == nil {
		ix.writeMu.Unlock()
		return errClosed
	}
	gen := nextGeneration(ix.dir)
	ix.pending = &pendingLog{}
	ix.writeMu.Unlock()

	ne, err := createGeneration(ix.dir, gen, ix.mapping)
	if err != nil {
		ix.stopPending()
		return err
	}
	swapped := false
	defer func() {
		if !swapped {
			ix.stopPending()
			ne.remove.Store(true)
			ne.release()
			<-ne.done // nothing else holds it: deleted before Rebuild returns
		}
	}()
	n := 0
	err = each(func(entries []*search.Entry) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		n += len(entries)
		return ix.applyTo(ne, entries, 0, false)
	})
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	// Warm the new generation's views outside the write lock, so that
	// neither the swap nor the first searches after it pay for them.
	if _, _, err := ne.warm(false); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}

	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	old := ix.cur.Load()
	if old == nil {
		return errClosed
	}
	p := ix.pending
	final := max(seq, p.seq)
	if err := ix.applyTo(ne, p.entries, final, true); err != nil {
		return fmt.Errorf("rebuild: replay %d entries: %w", len(p.entries), err)
	}
	if err := ne.markBuilt(); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	if err := writeCurrent(ix.dir, gen); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	v, sg, err := ne.warm(true) // the replayed segment, and the suggester
	if err != nil {
		ix.log.Warn().Err(err).Msg("warm rebuilt index")
	}
	ix.cur.Store(ne)
	swapped = true
	ix.pending = nil
	ix.seq.Store(max(final, ix.seq.Load()))
	if err == nil {
		ix.suggest.install(v, sg)
	} else {
		ix.suggest.invalidate()
	}
	old.remove.Store(true)
	old.release()
	ix.log.Info().Int("entries", n).Int("replayed", len(p.entries)).Str("generation", gen).
		Dur("took", time.Since(start)).Msg("index rebuilt")
	return nil
}

// stopPending ends the recording of applied entries.
func (ix *Index) stopPending() {
	ix.writeMu.Lock()
	ix.pending = nil
	ix.writeMu.Unlock()
}

// warm builds the facet view of the engine's current snapshot.
// warm builds the facet view of the engine's current snapshot and its BM25
// field lengths (bm25.go) and, with suggest, the view's suggester, so that
// the first searches and suggestions after a swap do not wait for them.
func (e *engine) warm(suggest bool) (*view, *suggester, error) {
	r, err := e.reader()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	v, err := e.views.get(r)
	if err != nil {
		return nil, nil, err
	}
	if _, err := v.bm25Stats(); err != nil {
		return nil, nil, err
	}
	if !suggest {
		return v, nil, nil
	}
	s, err := newSuggester(v)
	if err != nil {
		return nil, nil, err
	}
	return v, s, nil
}
