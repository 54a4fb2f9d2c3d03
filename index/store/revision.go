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
// Its key is the entry id, a NUL byte and the 8-byte big-endian sequence
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

// encodeRevision builds a revision value around an entry value.
func encodeRevision(ch search.Change, changed []string, entry []byte) []byte {
	v := make([]byte, 1+timeSize, 1+timeSize+len(ch.Author)+len(ch.Note)+16*len(changed)+len(entry)+8)
	v[0] = revisionFormat
	putTime(v[1:], ch.Time)
	v = putString(v, ch.Author)
	v = putString(v, ch.Note)
	v = putStrings(v, changed)
	return append(v, entry...)
}

// decodeRevision decodes a revision value stored under seq.
func decodeRevision(seq uint64, v []byte) (search.Revision, error) {
	if len(v) < 1+timeSize {
		return search.Revision{}, fmt.Errorf("revision value of %d bytes: %w", len(v), errCorrupt)
	}
	if v[0] != revisionFormat {
		return search.Revision{}, fmt.Errorf("revision format version %d is not supported", v[0])
	}
	r := search.Revision{Seq: seq, Time: getTime(v[1:])}
	d := decoder{s: string(v[1+timeSize:])}
	r.Author = d.string()
	r.Note = d.string()
	r.Changed = d.strings()
	if d.err != nil {
		return search.Revision{}, d.err
	}
	e, err := decodeEntry(v[1+timeSize+d.off:])
	if err != nil {
		return search.Revision{}, fmt.Errorf("revision snapshot: %w", err)
	}
	r.Entry, r.EntryID = e, e.ID
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
		found = eb.Get([]byte(id)) != nil
		prefix := append([]byte(id), 0)
		c := rb.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != len(prefix)+8 {
				return fmt.Errorf("revision key %q: %w", k, errCorrupt)
			}
			r, err := decodeRevision(binary.BigEndian.Uint64(k[len(prefix):]), v)
			if err != nil {
				return fmt.Errorf("revision %x: %w", k, err)
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
