// Package index is the search engine of Stocktaking: a bleve index (BM25,
// explicit mapping) derived from the store, with its own facet engine. Facet
// counts come from roaring bitmaps cached per immutable scorch segment, so a
// search with every facet costs one pass over the text matches plus a few
// hundred bitmap intersections.
package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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
)

// DefaultBatchSize is the number of documents per bleve batch in Apply.
const DefaultBatchSize = 1000

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
	bleve   bleve.Index
	mapping *mapping.IndexMappingImpl
	builder *docBuilder
	opts    Options
	log     zerolog.Logger
	seq     atomic.Uint64

	writeMu sync.Mutex // serialises Apply
	views   viewCache
}

// Open opens the index in dir, creating it when missing. rebuild is true when
// the index was created afresh (missing, unreadable, or written with another
// MappingVersion): the caller must then load every entry through Apply;
// reason says why, for the log.
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
	ix = &Index{mapping: m, builder: b, opts: opts, log: opts.Logger.With().Str("component", "index").Logger()}

	bi, reason := openExisting(dir)
	if bi == nil {
		rebuild = true
		if err := os.RemoveAll(dir); err != nil {
			return nil, false, "", fmt.Errorf("remove index %s: %w", dir, err)
		}
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return nil, false, "", fmt.Errorf("create index parent %s: %w", dir, err)
		}
		bi, err = bleve.NewUsing(dir, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, scorchConfig())
		if err != nil {
			return nil, false, "", fmt.Errorf("create index %s: %w", dir, err)
		}
		ix.bleve = bi
		b := bi.NewBatch()
		b.SetInternal(keyMappingVersion, []byte(strconv.Itoa(MappingVersion)))
		if err := ix.commit(b, true); err != nil {
			bi.Close()
			return nil, false, "", fmt.Errorf("write mapping version: %w", err)
		}
	}
	ix.bleve = bi
	if v, err := bi.GetInternal(keySeq); err == nil && len(v) == 8 {
		ix.seq.Store(binary.BigEndian.Uint64(v))
	}
	return ix, rebuild, reason, nil
}

// openExisting opens the index in dir; it returns nil and the reason when
// the index must be rebuilt.
func openExisting(dir string) (bleve.Index, string) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, "index missing"
		}
		return nil, fmt.Sprintf("index unreadable: %v", err)
	}
	bi, err := bleve.OpenUsing(dir, scorchConfig())
	if err != nil {
		return nil, fmt.Sprintf("index unreadable: %v", err)
	}
	v, err := bi.GetInternal(keyMappingVersion)
	if err != nil {
		bi.Close()
		return nil, fmt.Sprintf("index unreadable: %v", err)
	}
	if string(v) != strconv.Itoa(MappingVersion) {
		bi.Close()
		if len(v) == 0 {
			return nil, "index has no mapping version"
		}
		return nil, fmt.Sprintf("index mapping version %s, want %d", v, MappingVersion)
	}
	return bi, ""
}

// scorchConfig: batches return before persistence, so a large Apply does
// not wait for the disk between its batches; its last batch waits (see
// commit). The sequence number is written in that last batch, so a crash
// loses documents and sequence together and the caller's catch-up
// re-applies them.
func scorchConfig() map[string]any {
	return map[string]any{"unsafe_batch": true}
}

// Apply indexes entries, removes withdrawn ones, and records seq as the last
// store sequence applied, in the same batch as the documents.
func (ix *Index) Apply(entries []*search.Entry, seq uint64) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	batch := ix.bleve.NewBatch()
	flush := func(last bool) error {
		if last {
			var v [8]byte
			binary.BigEndian.PutUint64(v[:], seq)
			batch.SetInternal(keySeq, v[:])
		}
		if batch.Size() == 0 {
			return nil
		}
		if err := ix.commit(batch, last); err != nil {
			return err
		}
		batch.Reset()
		return nil
	}
	for _, e := range entries {
		if e == nil || e.ID == "" {
			continue
		}
		if e.Withdrawn {
			batch.Delete(e.ID)
		} else {
			doc, err := ix.builder.build(e)
			if err != nil {
				return err
			}
			if err := batch.IndexAdvanced(doc); err != nil {
				return fmt.Errorf("index %s: %w", e.ID, err)
			}
		}
		if batch.Size() >= ix.opts.BatchSize {
			if err := flush(false); err != nil {
				return err
			}
		}
	}
	if err := flush(true); err != nil {
		return err
	}
	if seq > ix.seq.Load() {
		ix.seq.Store(seq)
	}
	return nil
}

// commit applies a batch; with wait, it returns once the batch (and every
// batch before it) is persisted, so that an Apply is durable when it returns.
func (ix *Index) commit(b *bleve.Batch, wait bool) error {
	var persisted chan error
	if wait {
		persisted = make(chan error, 1)
		b.SetPersistedCallback(func(err error) { persisted <- err })
	}
	if err := ix.bleve.Batch(b); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	if wait {
		if err := <-persisted; err != nil {
			return fmt.Errorf("persist index batch: %w", err)
		}
	}
	return nil
}

// Seq is the last store sequence applied.
func (ix *Index) Seq() uint64 { return ix.seq.Load() }

// Count is the number of searchable documents.
func (ix *Index) Count() (int, error) {
	n, err := ix.bleve.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count documents: %w", err)
	}
	return int(n), nil
}

// Close closes the bleve index.
func (ix *Index) Close() error {
	if err := ix.bleve.Close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	return nil
}

// Bleve returns the underlying bleve index, for tools and benchmarks.
func (ix *Index) Bleve() bleve.Index { return ix.bleve }
