package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
	"go.etcd.io/bbolt"
)

// allEntries collects the store's entries through ForEach.
func allEntries(tb testing.TB, s *Store) []*search.Entry {
	tb.Helper()
	var out []*search.Entry
	if err := s.ForEach(func(e *search.Entry) error { out = append(out, e); return nil }); err != nil {
		tb.Fatalf("ForEach: %v", err)
	}
	return out
}

func TestBackupRestores(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	for i := 0; i < 50; i++ {
		mustPut(t, s, search.Change{Time: t0}, fullEntry(fmt.Sprintf("%03d", i)))
	}
	mustPut(t, s, search.Change{Time: t1}, &search.Entry{ID: "007", Title: "changed"})
	if err := s.SetMeta("index_mapping", []byte("v3")); err != nil {
		t.Fatalf("SetMeta: %v", err)
	}

	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup = %d, %v; wrote %d bytes", n, err, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open(copy): %v", err)
	}
	defer c.Close()
	if err := c.Check(); err != nil {
		t.Errorf("Check(copy) = %v", err)
	}
	if got, want := allEntries(t, c), allEntries(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("copy holds %d entries that differ from the original's %d", len(got), len(want))
	}
	if got, want := c.Stats(), s.Stats(); got.Seq != want.Seq || got.Revisions != want.Revisions || got.Entries != 50 {
		t.Errorf("copy Stats = %+v, original %+v", got, want)
	}
	if v, err := c.Meta("index_mapping"); err != nil || string(v) != "v3" {
		t.Errorf("copy Meta(index_mapping) = %q, %v, want v3", v, err)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, search.Change{Time: t0}, fullEntry("1"))
	s.Close()

	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open read-only: %v", err)
	}
	defer ro.Close()
	if !ro.ReadOnly() {
		t.Errorf("ReadOnly() = false")
	}
	if _, err := ro.Get("1"); err != nil {
		t.Errorf("Get on read-only store: %v", err)
	}
	writes := []struct {
		name string
		do   func() error
	}{
		{"Put", func() error { _, _, err := ro.Put([]*search.Entry{{ID: "2"}}, search.Change{}); return err }},
		{"SetMeta", func() error { return ro.SetMeta("k", []byte("v")) }},
	}
	for _, w := range writes {
		if err := w.do(); search.ErrorCode(err) != search.EREADONLY {
			t.Errorf("%s on read-only store error = %v, want code %s", w.name, err, search.EREADONLY)
		}
	}
}

func TestOpenLockedFailsAfterTimeout(t *testing.T) {
	s := MustOpen(t, Options{})
	start := time.Now()
	_, err := Open(s.Path(), Options{Timeout: 200 * time.Millisecond})
	if !errors.Is(err, bbolt.ErrTimeout) || !strings.Contains(err.Error(), "locked by another process") {
		t.Fatalf("second Open error = %v, want a lock timeout", err)
	}
	// bbolt polls the lock every 50 ms and stops one poll before the timeout.
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("second Open failed after %v, without waiting for the lock", d)
	}
}

func TestOpenMissingReadOnly(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "none.db"), Options{ReadOnly: true}); err == nil {
		t.Errorf("Open(missing file, read-only) succeeded")
	}
}

func TestOpenNewerFormatFails(t *testing.T) {
	s := MustOpen(t, Options{})
	err := s.DB().Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMeta).Put([]byte(metaFormat), []byte{storeFormat + 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(s.Path(), Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open(newer format) error = %v, want a format error", err)
	}
}

func TestMeta(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	if v, err := s.Meta("absent"); v != nil || err != nil {
		t.Errorf("Meta(absent) = %q, %v, want nil, nil", v, err)
	}
	val := []byte("mapping-7")
	if err := s.SetMeta("mapping", val); err != nil {
		t.Fatalf("SetMeta: %v", err)
	}
	val[0] = 'X' // the store keeps its own copy
	if v, _ := s.Meta("mapping"); string(v) != "mapping-7" {
		t.Errorf("Meta(mapping) = %q, want mapping-7", v)
	}
	if err := s.SetMeta("mapping", nil); err != nil {
		t.Fatalf("SetMeta(nil): %v", err)
	}
	if v, _ := s.Meta("mapping"); v != nil {
		t.Errorf("Meta after delete = %q, want nil", v)
	}
	if err := s.SetMeta(metaFormat, []byte{9}); search.ErrorCode(err) != search.EINVALID {
		t.Errorf("SetMeta(%s) error = %v, want code %s", metaFormat, err, search.EINVALID)
	}
}

func TestStatsAndCheck(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	if st := s.Stats(); st.Entries != 0 || st.Seq != 0 || st.FileSize == 0 {
		t.Errorf("empty Stats = %+v", st)
	}
	mustPut(t, s, search.Change{Time: t0}, fullEntry("1"), fullEntry("2"))
	mustPut(t, s, search.Change{Time: t1}, &search.Entry{ID: "1"})
	st := s.Stats()
	if st.Entries != 2 || st.Revisions != 3 || st.Seq != 3 || st.FileSize < 4096 {
		t.Errorf("Stats = %+v, want 2 entries, 3 revisions, seq 3", st)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
}

// TestConcurrentReadersDuringWrites runs readers against a writer; run it
// with -race. Readers must always see whole batches: every entry of a batch
// carries the same title.
func TestConcurrentReadersDuringWrites(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	const ids, rounds = 40, 30
	batch := func(round int) []*search.Entry {
		var b []*search.Entry
		for i := 0; i < ids; i++ {
			b = append(b, &search.Entry{ID: fmt.Sprintf("%02d", i), Title: fmt.Sprintf("round %d", round)})
		}
		return b
	}
	mustPut(t, s, search.Change{Time: t0}, batch(0)...)

	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 8)
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				title := ""
				err := s.ForEach(func(e *search.Entry) error {
					if title == "" {
						title = e.Title
					}
					if e.Title != title {
						return fmt.Errorf("torn read: %s has %q, first entry %q", e.ID, e.Title, title)
					}
					return nil
				})
				if err == nil {
					_, err = s.Get("07")
				}
				if err == nil {
					_, err = s.Revisions("07")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for round := 1; round <= rounds; round++ {
		if _, _, err := s.Put(batch(round), search.Change{Time: t0}); err != nil {
			t.Errorf("Put round %d: %v", round, err)
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if seq, _ := s.Seq(); seq != uint64(ids*(rounds+1)) {
		t.Errorf("Seq = %d, want %d", seq, ids*(rounds+1))
	}
}

// TestRevisionWithoutSnapshotMustBeNewest damages the history: a revision
// that is not the newest but has no snapshot is reported, not guessed.
func TestRevisionWithoutSnapshotMustBeNewest(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	mustPut(t, s, search.Change{Time: t0}, &search.Entry{ID: "1", Title: "a"})
	mustPut(t, s, search.Change{Time: t1}, &search.Entry{ID: "1", Title: "b"})
	err := s.DB().Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketRevisions).Put(revisionKey("1", 1), encodeRevision(search.Change{Time: t0}, nil))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Revisions("1"); !errors.Is(err, errCorrupt) {
		t.Errorf("Revisions of damaged history error = %v, want errCorrupt", err)
	}
}
