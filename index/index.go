// Package index is the search engine of Stocktaking: a bleve index (BM25,
// explicit mapping) derived from the store, with its own facet engine. Facet
// counts come from roaring bitmaps cached per immutable scorch segment, so a
// search with every facet costs one pass over the text matches plus a few
// hundred bitmap intersections.
//
// On disk, the index directory holds generations (g000001, g000002 …), each
// a bleve index, and a CURRENT file naming the one in use; Rebuild writes a
// new generation beside the current one and swaps it in.
package index

import (
	"encoding/binary"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Keys of the values the index keeps in bleve's internal storage.
var (
	keyMappingVersion = []byte("stocktaking.mapping_version")
	keySeq            = []byte("stocktaking.seq")
	// keyBuilding is present while a generation is being filled: an index
	// that still carries it was left half-built and is rebuilt at start.
	keyBuilding = []byte("stocktaking.building")
)

// DefaultBatchSize is the number of documents per bleve batch in Apply
// (2 000 built the default set 10 % faster than 1 000 or 4 000).
const DefaultBatchSize = 2000

// Options configure an Index.
type Options struct {
	Logger zerolog.Logger
	// BatchSize is the number of documents per bleve batch (DefaultBatchSize if 0).
	BatchSize int
	// MaxPrefixTerms caps the terms a prefix query expands to (256 if 0).
	MaxPrefixTerms int
}

// Index is the bleve index of the entries with its facet engine. It is safe
// for concurrent use.
type Index struct {
	dir     string
	cur     atomic.Pointer[engine] // nil once closed
	mapping *mapping.IndexMappingImpl
	builder *docBuilder
	opts    Options
	log     zerolog.Logger
	seq     atomic.Uint64

	writeMu   sync.Mutex  // serialises Apply, MarkBuilt, the swap of Rebuild and Close
	pending   *pendingLog // entries applied while a Rebuild runs; nil otherwise
	rebuildMu sync.Mutex  // one Rebuild at a time

	suggest      suggestCache
	pins         pins        // snapshots kept for cursor walks (pin.go)
	noMatchCache atomic.Bool // for RunBench's cold pass: no match nor clause cache
	noFastMatch  atomic.Bool // for tests: every query through bleve's searchers
}

// Open opens the index in dir, creating it when missing. rebuild is true when
// the index was created afresh (missing, unreadable, half-built, or written
// with another MappingVersion): the caller must then load every entry
// through Apply and call MarkBuilt; reason says why, for the log.
func Open(dir string, opts Options) (ix *Index, rebuild bool, reason string, err error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.MaxPrefixTerms <= 0 {
		opts.MaxPrefixTerms = 256
	}
	m, err := newMapping()
	if err != nil {
		return nil, false, "", err
	}
	b, err := newDocBuilder(m)
	if err != nil {
		return nil, false, "", err
	}
	ix = &Index{dir: dir, mapping: m, builder: b, opts: opts, log: opts.Logger.With().Str("component", "index").Logger()}

	e, reason := openCurrent(dir)
	if e == nil {
		rebuild = true
		if e, err = createFresh(dir, m); err != nil {
			return nil, false, "", err
		}
	}
	removeStaleGenerations(dir, e.dir)
	ix.cur.Store(e)
	if v, err := e.bleve.GetInternal(keySeq); err == nil && len(v) == 8 {
		ix.seq.Store(binary.BigEndian.Uint64(v))
	}
	return ix, rebuild, reason, nil
}

// Apply indexes entries, removes withdrawn ones, and records seq as the last
// store sequence applied, in the same batch as the documents.
func (ix *Index) Apply(entries []*search.Entry, seq uint64) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	e := ix.cur.Load()
	if e == nil {
		return errClosed
	}
	if err := ix.applyTo(e, entries, seq, true); err != nil {
		return err
	}
	if ix.pending != nil {
		ix.pending.add(entries, seq)
	}
	if slices.ContainsFunc(entries, func(en *search.Entry) bool { return en != nil && en.Withdrawn }) {
		ix.pins.dropAll(false) // a walk never lists an entry after its withdrawal
	}
	if seq > ix.seq.Load() {
		ix.seq.Store(seq)
	}
	ix.suggest.invalidate()
	return nil
}

// MarkBuilt records that the index holds every entry: the caller calls it
// after loading the store into an index that Open reported as rebuilt. Until
// then, a restart rebuilds the index again, so that a crash during a
// rebuild never leaves a partial index that passes for current.
func (ix *Index) MarkBuilt() error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	e := ix.cur.Load()
	if e == nil {
		return errClosed
	}
	return e.markBuilt()
}

// BuildGCPercent is the collector's GOGC while a whole index is built
// (WithBuildGC): indexing allocates much short-lived memory, and collecting
// a third as often built the default set in 2.2 s instead of 2.7 s.
const BuildGCPercent = 300

// WithBuildGC runs fn, a bulk load of the index, with the collector at
// BuildGCPercent, then restores it and returns the memory the build
// freed to the system.
func WithBuildGC(fn func() error) error {
	old := debug.SetGCPercent(BuildGCPercent)
	oldLimit := debug.SetMemoryLimit(-1)
	if os.Getenv("GOMEMLIMIT") == "" {
		// also above a serving process's own lower limit (serve -memory-limit):
		// a reindex while serving was twice as slow under it
		debug.SetMemoryLimit(buildMemoryLimit)
	}
	defer func() {
		debug.SetGCPercent(old)
		debug.SetMemoryLimit(oldLimit)
		debug.FreeOSMemory()
	}()
	return fn()
}

// buildMemoryLimit bounds what the higher GOGC of WithBuildGC may use: a
// 15 000-entry build peaks near 1.2 GiB and is not slowed; a million-entry
// build, whose live heap reaches about 3 GiB, collects from 6 GiB on, about
// where the default GOGC would (a 2 GiB bound made it collect without end).
const buildMemoryLimit = 6 << 30

// Seq is the last store sequence applied.
func (ix *Index) Seq() uint64 { return ix.seq.Load() }

// Count is the number of searchable documents.
func (ix *Index) Count() (int, error) {
	e, err := ix.acquire()
	if err != nil {
		return 0, err
	}
	defer e.release()
	n, err := e.bleve.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count documents: %w", err)
	}
	return int(n), nil
}

// Close closes the index once the searches in flight have finished; later
// calls do nothing.
func (ix *Index) Close() error {
	ix.rebuildMu.Lock() // let a running Rebuild finish or fail first
	defer ix.rebuildMu.Unlock()
	ix.writeMu.Lock()
	e := ix.cur.Swap(nil)
	ix.writeMu.Unlock()
	if e == nil {
		return nil
	}
	held := ix.pins.dropAll(true) // they hold references on e and on retired generations
	e.release()
	<-e.done
	for _, old := range held {
		<-old.done // a retired generation kept for a walk is closed and deleted too
	}
	if e.closeErr != nil {
		return fmt.Errorf("close index: %w", e.closeErr)
	}
	return nil
}

// Bleve returns the current underlying bleve index, for tools and
// benchmarks; a Rebuild replaces it.
func (ix *Index) Bleve() bleve.Index {
	if e := ix.cur.Load(); e != nil {
		return e.bleve
	}
	return nil
}

// acquire returns the current engine with a reference the caller must
// release; an engine retired by Rebuild is never handed out once its last
// reference is gone.
func (ix *Index) acquire() (*engine, error) {
	for {
		e := ix.cur.Load()
		if e == nil {
			return nil, errClosed
		}
		if e.acquire() {
			return e, nil
		}
	}
}

var errClosed = search.Errorf(search.EUNAVAILABLE, "the search index is closed")
