// Package store keeps Stocktaking's source of truth in one bbolt file:
// the current entries, every revision of each entry, a change log that the
// search index catches up from, and a small metadata bucket. It implements
// search.Store; the bleve index is derived from it and can always be rebuilt.
package store

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
	"go.etcd.io/bbolt"
)

// Bucket names. Sibling packages may add their own buckets through DB.
var (
	bucketEntries   = []byte("entries")   // id → encoded entry (codec.go)
	bucketRevisions = []byte("revisions") // id, 0x00, 8-byte seq → encoded revision
	bucketChanges   = []byte("changes")   // 8-byte seq → id; one row per entry, its latest change
	bucketMeta      = []byte("meta")      // key → value, for Meta and SetMeta
)

// metaFormat is the meta key holding the store layout version; Open refuses
// a file written by a newer layout.
const (
	metaFormat  = "store_format"
	storeFormat = 1
)

// DefaultTimeout is how long Open waits for the file lock held by another
// process before it fails.
const DefaultTimeout = 2 * time.Second

// Options configure Open.
type Options struct {
	// ReadOnly opens the file with a shared lock; writes return EREADONLY.
	ReadOnly bool
	// Timeout bounds the wait for the file lock; zero means DefaultTimeout.
	Timeout time.Duration
	// NoSync skips fsync on commit: for tests and bulk loads only, since a
	// crash may then lose or corrupt recent writes.
	NoSync bool
}

// Store is the bbolt-backed implementation of search.Store. It is safe for
// concurrent use: reads run in parallel with each other and with one writer.
type Store struct {
	db       *bbolt.DB
	path     string
	readOnly bool
}

var _ search.Store = (*Store)(nil)

// Stats summarises the store's contents.
type Stats struct {
	Entries   int    `json:"entries"`
	Revisions int    `json:"revisions"`
	FileSize  int64  `json:"file_size"` // bytes of the database as of the read transaction
	Seq       uint64 `json:"seq"`
}

// Open opens or creates the store file at path. A file locked by another
// process makes Open fail after opts.Timeout instead of waiting forever.
func Open(path string, opts Options) (*Store, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout:      timeout,
		ReadOnly:     opts.ReadOnly,
		NoSync:       opts.NoSync,
		FreelistType: bbolt.FreelistMapType,
	})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, fmt.Errorf("open store %s: file is locked by another process (gave up after %s): %w", path, timeout, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{db: db, path: path, readOnly: opts.ReadOnly}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// init creates the buckets of a new file and checks the layout version.
func (s *Store) init() error {
	if s.readOnly {
		return s.db.View(func(tx *bbolt.Tx) error { return checkFormat(tx.Bucket(bucketMeta)) })
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketEntries, bucketRevisions, bucketChanges, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if meta.Get([]byte(metaFormat)) == nil {
			return meta.Put([]byte(metaFormat), []byte{storeFormat})
		}
		return checkFormat(meta)
	})
}

func checkFormat(meta *bbolt.Bucket) error {
	if meta == nil {
		return nil // a read-only view of a file never written: empty
	}
	v := meta.Get([]byte(metaFormat))
	if len(v) == 1 && v[0] > storeFormat {
		return fmt.Errorf("store format %d is newer than this program's %d", v[0], storeFormat)
	}
	if v != nil && len(v) != 1 {
		return fmt.Errorf("store format value %q: %w", v, errCorrupt)
	}
	return nil
}

// Close closes the file; the store must not be used afterwards.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", s.path, err)
	}
	return nil
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// DB exposes the bbolt handle so that sibling code can keep its own buckets
// (submissions, tokens, analytics) in the same file and transactions.
func (s *Store) DB() *bbolt.DB { return s.db }

// ReadOnly reports whether the store refuses writes.
func (s *Store) ReadOnly() bool { return s.readOnly }

// errReadOnly is returned by every write on a read-only store.
func (s *Store) errReadOnly(op string) error {
	return search.Errorf(search.EREADONLY, "the store is open read-only: cannot %s", op)
}

// Meta returns a copy of the metadata value under key, or nil when absent.
// The key "store_format" is used by the store itself.
func (s *Store) Meta(key string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			if v := b.Get([]byte(key)); v != nil {
				out = append([]byte{}, v...)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read meta %q: %w", key, err)
	}
	return out, nil
}

// SetMeta stores val under key in the metadata bucket; a nil val deletes it.
func (s *Store) SetMeta(key string, val []byte) error {
	if s.readOnly {
		return s.errReadOnly("set metadata")
	}
	if key == "" || key == metaFormat {
		return search.Errorf(search.EINVALID, "metadata key %q is reserved", key)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if val == nil {
			return b.Delete([]byte(key))
		}
		return b.Put([]byte(key), append([]byte{}, val...))
	})
	if err != nil {
		return fmt.Errorf("write meta %q: %w", key, err)
	}
	return nil
}

// Backup writes a consistent copy of the whole file to w while the store
// keeps serving: it holds one read transaction, so writers are not blocked.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up store %s: %w", s.path, err)
	}
	return n, nil
}

// Stats counts entries and revisions and reports the file size and sequence.
// It walks the bucket pages (not the values); on error it returns zeros.
func (s *Store) Stats() Stats {
	var st Stats
	_ = s.db.View(func(tx *bbolt.Tx) error {
		st.FileSize = tx.Size()
		if b := tx.Bucket(bucketEntries); b != nil {
			st.Entries = b.Stats().KeyN
		}
		if b := tx.Bucket(bucketRevisions); b != nil {
			st.Revisions = b.Stats().KeyN
		}
		if b := tx.Bucket(bucketChanges); b != nil {
			st.Seq = b.Sequence()
		}
		return nil
	})
	return st
}

// Check runs bbolt's consistency check over the whole file and returns every
// problem it finds, joined, or nil.
func (s *Store) Check() error {
	var errs []error
	err := s.db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check store %s: %w", s.path, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("check store %s: %w", s.path, errors.Join(errs...))
	}
	return nil
}
