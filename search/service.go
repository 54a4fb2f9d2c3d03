package search

import (
	"context"
	"sync"
	"time"
)

// Revision is one published change of an entry.
type Revision struct {
	Seq     uint64    `json:"seq"`
	EntryID string    `json:"entry_id"`
	Author  string    `json:"author"`
	Time    time.Time `json:"time"`
	Note    string    `json:"note,omitempty"`
	Changed []string  `json:"changed,omitempty"` // JSON field names that differ from the previous revision
	Entry   *Entry    `json:"entry,omitempty"`   // the entry as published by this revision
}

// Change says who makes a write and why; it becomes the revision's metadata.
type Change struct {
	Author string
	Note   string
	Time   time.Time
}

// Store is the source of truth: entries and their history. index/store
// implements it with bbolt.
type Store interface {
	// Get returns the current entry, withdrawn or not; ENOTFOUND if absent.
	Get(id string) (*Entry, error)
	// Put upserts entries in one transaction, records a revision for each
	// entry that really changed (unchanged ones are skipped), and returns the
	// store's sequence number after the commit and how many changed.
	Put(entries []*Entry, ch Change) (seq uint64, changed int, err error)
	// ForEach calls fn for every entry in id order, in one read transaction.
	ForEach(fn func(e *Entry) error) error
	// ChangesSince calls fn for every entry whose last change has a sequence
	// number > seq, in sequence order.
	ChangesSince(seq uint64, fn func(seq uint64, e *Entry) error) error
	// Revisions returns an entry's revisions, oldest first.
	Revisions(id string) ([]Revision, error)
	// Seq is the sequence number of the last committed change.
	Seq() (uint64, error)
	// Count is the number of entries (withdrawn included).
	Count() (int, error)
	Close() error
}

// Index is the derived, rebuildable search index. index implements it with bleve.
type Index interface {
	Searcher
	// Apply indexes entries (withdrawn ones are removed) and records seq as
	// the last store sequence it has seen.
	Apply(entries []*Entry, seq uint64) error
	// Seq is the last store sequence applied.
	Seq() uint64
	// Count is the number of searchable documents.
	Count() (int, error)
	Close() error
}

// Service orders writes: store first, then index, then acknowledge.
type Service struct {
	Store Store
	Index Index
	// writeMu serialises writes so that the index sees changes in the
	// order the store committed them: otherwise a crash between two
	// concurrent writes could leave the index's sequence ahead of an entry
	// it never received, and catch-up would skip it.
	writeMu sync.Mutex
}

// Put validates nothing (callers validate first), commits to the store,
// then applies the change to the index.
func (s *Service) Put(ctx context.Context, entries []*Entry, ch Change) (int, error) {
	if ch.Time.IsZero() {
		ch.Time = time.Now().UTC()
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	seq, changed, err := s.Store.Put(entries, ch)
	if err != nil {
		return 0, err
	}
	if changed == 0 {
		return 0, nil
	}
	if err := s.Index.Apply(entries, seq); err != nil {
		return changed, err
	}
	return changed, nil
}

// catchUpBatch is the number of entries CatchUp hands the index at once:
// enough for the index to build several batches side by side.
const catchUpBatch = 8000

// CatchUp applies to the index every store change it has not seen yet.
func (s *Service) CatchUp(ctx context.Context) (int, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var batch []*Entry
	var last uint64
	n := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.Index.Apply(batch, last)
		n += len(batch)
		batch = batch[:0]
		return err
	}
	err := s.Store.ChangesSince(s.Index.Seq(), func(seq uint64, e *Entry) error {
		batch = append(batch, e)
		last = seq
		if len(batch) >= catchUpBatch {
			return flush()
		}
		return ctx.Err()
	})
	if err != nil {
		return n, err
	}
	return n, flush()
}

// Search runs a search on the index.
func (s *Service) Search(ctx context.Context, req *Request) (*Result, error) {
	req.Normalize()
	return s.Index.Search(ctx, req)
}
