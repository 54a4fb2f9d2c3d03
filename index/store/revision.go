package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/itu-stocktaking/stocktaking/search"
	"go.etcd.io/bbolt"
)

// A revision value is
//
//	[1] format version (revisionFormat)
//	[12] time
//	author, note       (uvarint length + bytes)
//	changed            (uvarint count + strings)
//	the rest           the entry snapshot, a complete entry value (codec.go)
//
// The newest revision of an entry leaves the snapshot empty: it is the
// current entry, and storing it twice would double the bytes of every
// import. When the entry changes again, Put moves the old value into that
// revision (finishRevision) before it writes the new one.
//
// The key is the entry id, a NUL byte and the 8-byte big-endian sequence
// number, so that one entry's revisions are adjacent and oldest first, and
// the id "12" never matches the revisions of "123".
const revisionFormat = 1

// revisionKey is the key of entry id's revision number seq.
func revisionKey(id string, seq uint64) []byte {
	k := make([]byte, 0, len(id)+9)
	k = append(k, id...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

// encodeRevision builds a revision value without a snapshot.
func encodeRevision(ch search.Change, changed []string) []byte {
	v := make([]byte, 1+timeSize, 1+timeSize+len(ch.Author)+len(ch.Note)+16*len(changed)+8)
	v[0] = revisionFormat
	putTime(v[1:], ch.Time)
	v = putString(v, ch.Author)
	v = putString(v, ch.Note)
	return putStrings(v, changed)
}

// finishRevision stores old, the entry value being replaced, as the snapshot
// of the revision that published it.
func finishRevision(rb *bbolt.Bucket, id string, old []byte) error {
	key := revisionKey(id, entrySeq(old))
	v := rb.Get(key)
	if v == nil {
		return fmt.Errorf("revision %d of %q is missing: %w", entrySeq(old), id, errCorrupt)
	}
	_, snapshot, err := splitRevision(v)
	if err != nil {
		return fmt.Errorf("revision %d of %q: %w", entrySeq(old), id, err)
	}
	if len(snapshot) > 0 {
		return nil
	}
	nv := make([]byte, 0, len(v)+len(old))
	return rb.Put(key, append(append(nv, v...), old...))
}

// splitRevision returns the metadata of a revision value (Entry unset) and
// its snapshot, empty for an entry's newest revision.
func splitRevision(v []byte) (search.Revision, []byte, error) {
	if len(v) < 1+timeSize {
		return search.Revision{}, nil, fmt.Errorf("revision value of %d bytes: %w", len(v), errCorrupt)
	}
	if v[0] != revisionFormat {
		return search.Revision{}, nil, fmt.Errorf("revision format version %d is not supported", v[0])
	}
	r := search.Revision{Time: getTime(v[1:])}
	d := decoder{s: string(v[1+timeSize:])}
	r.Author = d.string()
	r.Note = d.string()
	r.Changed = d.strings()
	if d.err != nil {
		return search.Revision{}, nil, d.err
	}
	return r, v[1+timeSize+d.off:], nil
}

// decodeRevision decodes the revision value v stored under seq; current is
// the entry's current value, the snapshot of its newest revision.
func decodeRevision(seq uint64, v, current []byte) (search.Revision, error) {
	r, snapshot, err := splitRevision(v)
	if err != nil {
		return r, err
	}
	if len(snapshot) == 0 {
		if current == nil || entrySeq(current) != seq {
			return r, fmt.Errorf("revision %d has no snapshot and is not the newest: %w", seq, errCorrupt)
		}
		snapshot = current
	}
	e, err := decodeEntry(snapshot)
	if err != nil {
		return r, fmt.Errorf("revision %d snapshot: %w", seq, err)
	}
	r.Seq, r.Entry, r.EntryID = seq, e, e.ID
	return r, nil
}

// Revisions returns an entry's revisions, oldest first; ENOTFOUND if the
// entry does not exist.
func (s *Store) Revisions(id string) ([]search.Revision, error) {
	var revs []search.Revision
	found := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		eb, rb := tx.Bucket(bucketEntries), tx.Bucket(bucketRevisions)
		if eb == nil || rb == nil {
			return nil
		}
		current := eb.Get([]byte(id))
		found = current != nil
		prefix := append([]byte(id), 0)
		c := rb.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != len(prefix)+8 {
				return fmt.Errorf("revision key %q: %w", k, errCorrupt)
			}
			r, err := decodeRevision(binary.BigEndian.Uint64(k[len(prefix):]), v, current)
			if err != nil {
				return err
			}
			revs = append(revs, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("revisions of %q: %w", id, err)
	}
	if !found {
		return nil, search.Errorf(search.ENOTFOUND, "entry %q not found", id)
	}
	return revs, nil
}
