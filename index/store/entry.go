package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
	"go.etcd.io/bbolt"
)

// fillPercent packs pages fuller than bbolt's default of 0.5: the changes
// and revisions keys grow at the end (sequence numbers), and entries are
// mostly appended by imports, so half-empty split pages would only waste
// space. Measured in BenchmarkPut.
const fillPercent = 0.9

// changesChunk is how many changes ChangesSince reads per read transaction.
const changesChunk = 256

// Get returns the current entry, withdrawn or not; ENOTFOUND if absent.
func (s *Store) Get(id string) (*search.Entry, error) {
	var e *search.Entry
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEntries)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(id))
		if v == nil {
			return nil
		}
		var err error
		e, err = decodeEntry(v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get entry %q: %w", id, err)
	}
	if e == nil {
		return nil, search.Errorf(search.ENOTFOUND, "entry %q not found", id)
	}
	return e, nil
}

// GetMany returns the current entries of ids, withdrawn or not, in the
// order of ids and read in one transaction; an absent id has nil in its
// place. Exports read their batches with it: a read transaction per entry
// made an eighth of an export's garbage.
func (s *Store) GetMany(ids []string) ([]*search.Entry, error) {
	out := make([]*search.Entry, len(ids))
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEntries)
		if b == nil {
			return nil
		}
		for i, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			e, err := decodeEntry(v)
			if err != nil {
				return fmt.Errorf("entry %q: %w", id, err)
			}
			out[i] = e
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("get %d entries: %w", len(ids), err)
	}
	return out, nil
}

// Put upserts entries in one write transaction. An entry equal to the stored
// one (Created and Updated ignored) is skipped; a new one gets Created and
// Updated set to ch.Time unless it carries them; a changed one keeps its
// Created and gets Updated = ch.Time. Each changed entry gets the next
// sequence number, its previous row in the change log is replaced, and a
// Revision is recorded. After a successful commit Put sets Created and
// Updated on every entry of the slice to the stored values (UTC), so callers
// such as search.Service pass complete entries on to the index. An empty ID
// or one holding a NUL byte fails the whole batch with EINVALID.
func (s *Store) Put(entries []*search.Entry, ch search.Change) (seq uint64, changed int, err error) {
	if s.readOnly {
		return 0, 0, s.errReadOnly("write entries")
	}
	if ch.Time.IsZero() {
		ch.Time = time.Now()
	}
	ch.Time = normTime(ch.Time)
	type stamp struct{ created, updated time.Time }
	stamps := make([]stamp, len(entries))
	var body []byte
	err = s.db.Update(func(tx *bbolt.Tx) error {
		eb, rb, cb := tx.Bucket(bucketEntries), tx.Bucket(bucketRevisions), tx.Bucket(bucketChanges)
		eb.FillPercent, rb.FillPercent, cb.FillPercent = fillPercent, fillPercent, fillPercent
		for i, e := range entries {
			if err := validID(e); err != nil {
				return err
			}
			key := []byte(e.ID)
			body = encodeBody(body[:0], e)
			old := eb.Get(key)
			var oldEntry *search.Entry
			created, updated := normTime(e.Created), normTime(e.Updated)
			if old != nil {
				if len(old) >= headerSize && old[0] == entryFormat && bytes.Equal(old[headerSize:], body) {
					stamps[i] = stamp{entryCreated(old), entryUpdated(old)}
					continue
				}
				var err error
				if oldEntry, err = decodeEntry(old); err != nil {
					return fmt.Errorf("entry %q: %w", e.ID, err)
				}
				if err := cb.Delete(seqKey(entrySeq(old))); err != nil {
					return err
				}
				if err := finishRevision(rb, e.ID, old); err != nil {
					return err
				}
				created, updated = oldEntry.Created, ch.Time
			} else {
				if created.IsZero() {
					created = ch.Time
				}
				if updated.IsZero() {
					updated = ch.Time
				}
			}
			n, err := cb.NextSequence()
			if err != nil {
				return err
			}
			value := encodeEntry(n, created, updated, body)
			rev := encodeRevision(ch, changedFields(oldEntry, e))
			if err := cb.Put(seqKey(n), key); err != nil {
				return err
			}
			if err := eb.Put(key, value); err != nil {
				return err
			}
			if err := rb.Put(revisionKey(e.ID, n), rev); err != nil {
				return err
			}
			stamps[i] = stamp{created, updated}
			changed++
		}
		seq = cb.Sequence()
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("put %d entries: %w", len(entries), err)
	}
	for i, e := range entries {
		e.Created, e.Updated = stamps[i].created, stamps[i].updated
	}
	return seq, changed, nil
}

// validID rejects entries the store cannot key.
func validID(e *search.Entry) error {
	switch {
	case e == nil:
		return search.Errorf(search.EINVALID, "nil entry")
	case e.ID == "":
		return &search.Error{Code: search.EINVALID, Field: "id", Message: "an entry needs an id"}
	case strings.IndexByte(e.ID, 0) >= 0 || len(e.ID) > 512:
		return &search.Error{Code: search.EINVALID, Field: "id", Message: fmt.Sprintf("id %q is not a valid entry id", e.ID)}
	}
	return nil
}

// ForEach calls fn for every entry in id order, in one read transaction,
// and returns fn's first error as is. fn must not use the store: a nested
// transaction can deadlock with a waiting writer.
func (s *Store) ForEach(fn func(e *search.Entry) error) error {
	var fnErr error
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEntries)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			e, err := decodeEntry(v)
			if err != nil {
				return fmt.Errorf("entry %q: %w", k, err)
			}
			fnErr = fn(e)
			return fnErr
		})
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("for each entry: %w", err)
	}
	return nil
}

// ChangesSince calls fn, in sequence order, for every entry whose last
// change has a sequence number above seq; each entry appears once, with its
// latest change. It reads the log in chunks of short read transactions and
// calls fn outside them, so fn may be slow (indexing) or even write to the
// store; an entry changed during the walk shows up again, later, with its
// new sequence number.
func (s *Store) ChangesSince(seq uint64, fn func(seq uint64, e *search.Entry) error) error {
	type change struct {
		seq   uint64
		entry *search.Entry
	}
	batch := make([]change, 0, changesChunk)
	for {
		batch = batch[:0]
		err := s.db.View(func(tx *bbolt.Tx) error {
			cb, eb := tx.Bucket(bucketChanges), tx.Bucket(bucketEntries)
			if cb == nil || eb == nil {
				return nil
			}
			c := cb.Cursor()
			for k, id := c.Seek(seqKey(seq + 1)); k != nil && len(batch) < changesChunk; k, id = c.Next() {
				v := eb.Get(id)
				if v == nil {
					return fmt.Errorf("change %d names missing entry %q: %w", binary.BigEndian.Uint64(k), id, errCorrupt)
				}
				e, err := decodeEntry(v)
				if err != nil {
					return fmt.Errorf("entry %q: %w", id, err)
				}
				batch = append(batch, change{binary.BigEndian.Uint64(k), e})
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("changes since %d: %w", seq, err)
		}
		for _, c := range batch {
			if err := fn(c.seq, c.entry); err != nil {
				return err
			}
		}
		if len(batch) < changesChunk {
			return nil
		}
		seq = batch[len(batch)-1].seq
	}
}

// Seq is the sequence number of the last committed change (0 when empty).
func (s *Store) Seq() (uint64, error) {
	var seq uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketChanges); b != nil {
			seq = b.Sequence()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read sequence: %w", err)
	}
	return seq, nil
}

// Count is the number of entries, withdrawn ones included.
func (s *Store) Count() (int, error) {
	n := 0
	err := s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketEntries); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count entries: %w", err)
	}
	return n, nil
}

// Empty reports whether the store holds no entry. Unlike Count it reads
// one page, not the whole bucket (which would also bring the whole file
// into memory).
func (s *Store) Empty() (bool, error) {
	empty := true
	err := s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketEntries); b != nil {
			k, _ := b.Cursor().First()
			empty = k == nil
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read entries: %w", err)
	}
	return empty, nil
}

// seqKey is the big-endian key of a sequence number, so keys sort by number.
func seqKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq)
}
