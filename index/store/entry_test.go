package store

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// MustOpen opens a new store in a temporary directory and closes it at the
// end of the test.
func MustOpen(tb testing.TB, opts Options) *Store {
	tb.Helper()
	s, err := Open(filepath.Join(tb.TempDir(), "stocktaking.db"), opts)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// mustPut puts entries and fails the test on error.
func mustPut(tb testing.TB, s *Store, ch search.Change, entries ...*search.Entry) (uint64, int) {
	tb.Helper()
	seq, n, err := s.Put(entries, ch)
	if err != nil {
		tb.Fatalf("Put: %v", err)
	}
	return seq, n
}

var (
	t0 = time.Date(2025, 1, 31, 10, 0, 0, 0, time.UTC)
	t1 = t0.Add(24 * time.Hour)
)

func TestPutGetRoundTrip(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	full := fullEntry("1234567890")
	want := *full
	noTimes := fullEntry("2")
	noTimes.Created, noTimes.Updated = time.Time{}, time.Time{}
	mustPut(t, s, search.Change{Author: "import", Time: t0}, full, noTimes)

	got, err := s.Get(full.ID)
	if err != nil {
		t.Fatalf("Get(%q): %v", full.ID, err)
	}
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("Get(%q) = %+v, want %+v", full.ID, got, &want)
	}
	got, err = s.Get("2")
	if err != nil {
		t.Fatalf("Get(2): %v", err)
	}
	if !got.Created.Equal(t0) || !got.Updated.Equal(t0) {
		t.Errorf("Get(2) times = %v, %v, want both %v (the change time)", got.Created, got.Updated, t0)
	}
	if !reflect.DeepEqual(got, noTimes) {
		t.Errorf("Put did not set the stored times on the caller's entry: got %+v, stored %+v", noTimes, got)
	}
}

func TestGetNotFound(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	if _, err := s.Get("nope"); search.ErrorCode(err) != search.ENOTFOUND {
		t.Errorf("Get(nope) error = %v, want code %s", err, search.ENOTFOUND)
	}
	if _, err := s.Revisions("nope"); search.ErrorCode(err) != search.ENOTFOUND {
		t.Errorf("Revisions(nope) error = %v, want code %s", err, search.ENOTFOUND)
	}
}

func TestPutIdempotent(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	batch := func() []*search.Entry {
		return []*search.Entry{fullEntry("1"), fullEntry("2"), {ID: "3", Title: "bare"}}
	}
	seq1, n1, err := s.Put(batch(), search.Change{Time: t0})
	if err != nil || n1 != 3 || seq1 != 3 {
		t.Fatalf("first Put = %d, %d, %v, want seq 3, changed 3", seq1, n1, err)
	}
	second := batch()
	second[2].Created = t1 // timestamps are not content
	seq2, n2, err := s.Put(second, search.Change{Time: t1})
	if err != nil || n2 != 0 || seq2 != seq1 {
		t.Errorf("second Put = %d, %d, %v, want seq %d, changed 0", seq2, n2, err, seq1)
	}
	if !second[2].Created.Equal(t0) {
		t.Errorf("unchanged entry Created = %v, want the stored %v", second[2].Created, t0)
	}
	st := s.Stats()
	if st.Revisions != 3 || st.Entries != 3 || st.Seq != 3 {
		t.Errorf("Stats = %+v, want 3 entries, 3 revisions, seq 3", st)
	}
}

func TestPutUpdateRecordsRevisions(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	t2 := t1.Add(time.Hour)
	mustPut(t, s, search.Change{Author: "import", Note: "2023 call", Time: t0},
		&search.Entry{ID: "42", Title: "Old", SDGs: []int{4}, Year: 2023}, &search.Entry{ID: "7"})
	seq, n := mustPut(t, s, search.Change{Author: "alice", Note: "fix title", Time: t1},
		&search.Entry{ID: "42", Title: "New", SDGs: []int{4, 5}, Year: 2023}, &search.Entry{ID: "7"})
	if seq != 3 || n != 1 {
		t.Fatalf("update Put = %d, %d, want seq 3, changed 1", seq, n)
	}
	mustPut(t, s, search.Change{Author: "bob", Time: t2},
		&search.Entry{ID: "42", Title: "New", SDGs: []int{4, 5}, Year: 2023, Withdrawn: true})
	got, _ := s.Get("42")
	if !got.Created.Equal(t0) || !got.Updated.Equal(t2) {
		t.Errorf("after updates Created, Updated = %v, %v, want %v, %v", got.Created, got.Updated, t0, t2)
	}
	revs, err := s.Revisions("42")
	if err != nil {
		t.Fatalf("Revisions: %v", err)
	}
	want := []search.Revision{
		{Seq: 1, EntryID: "42", Author: "import", Note: "2023 call", Time: t0, Changed: []string{"id", "title", "year", "sdgs"},
			Entry: &search.Entry{ID: "42", Title: "Old", SDGs: []int{4}, Year: 2023, Created: t0, Updated: t0}},
		{Seq: 3, EntryID: "42", Author: "alice", Note: "fix title", Time: t1, Changed: []string{"title", "sdgs"},
			Entry: &search.Entry{ID: "42", Title: "New", SDGs: []int{4, 5}, Year: 2023, Created: t0, Updated: t1}},
		{Seq: 4, EntryID: "42", Author: "bob", Time: t2, Changed: []string{"withdrawn"},
			Entry: &search.Entry{ID: "42", Title: "New", SDGs: []int{4, 5}, Year: 2023, Withdrawn: true, Created: t0, Updated: t2}},
	}
	if !reflect.DeepEqual(revs, want) {
		t.Errorf("Revisions(42) =\n%+v\nwant\n%+v", revs, want)
	}
}

// TestPutSameIDTwiceInBatch checks that a batch naming an id twice records
// both versions, in order, and keeps the last.
func TestPutSameIDTwiceInBatch(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	seq, n := mustPut(t, s, search.Change{Time: t0}, &search.Entry{ID: "1", Title: "a"}, &search.Entry{ID: "1", Title: "b"})
	if seq != 2 || n != 2 {
		t.Errorf("Put = %d, %d, want seq 2, changed 2", seq, n)
	}
	revs, err := s.Revisions("1")
	if err != nil || len(revs) != 2 || revs[0].Entry.Title != "a" || revs[1].Entry.Title != "b" {
		t.Errorf("Revisions(1) = %+v, %v, want titles a then b", revs, err)
	}
	if e, _ := s.Get("1"); e.Title != "b" {
		t.Errorf("Get(1).Title = %q, want b", e.Title)
	}
}

func TestPutZeroChangeTimeUsesNow(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	before := time.Now()
	e := &search.Entry{ID: "1"}
	mustPut(t, s, search.Change{}, e)
	if e.Created.Before(before.Add(-time.Second)) || e.Created.After(time.Now()) || e.Created.Location() != time.UTC {
		t.Errorf("Created = %v, want about %v in UTC", e.Created, before)
	}
}

// TestRevisionsPrefix checks that the revisions of "12" exclude those of "123".
func TestRevisionsPrefix(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	mustPut(t, s, search.Change{Time: t0}, &search.Entry{ID: "12"}, &search.Entry{ID: "123"}, &search.Entry{ID: "1"})
	for _, id := range []string{"1", "12", "123"} {
		revs, err := s.Revisions(id)
		if err != nil || len(revs) != 1 || revs[0].EntryID != id {
			t.Errorf("Revisions(%q) = %+v, %v, want one revision of %q", id, revs, err, id)
		}
	}
}

func TestPutInvalidRollsBack(t *testing.T) {
	cases := []struct {
		name string
		bad  *search.Entry
	}{
		{"nil", nil},
		{"empty id", &search.Entry{Title: "no id"}},
		{"nul in id", &search.Entry{ID: "a\x00b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := MustOpen(t, Options{NoSync: true})
			_, _, err := s.Put([]*search.Entry{{ID: "ok"}, tc.bad}, search.Change{Time: t0})
			if search.ErrorCode(err) != search.EINVALID {
				t.Errorf("Put(%s) error = %v, want code %s", tc.name, err, search.EINVALID)
			}
			if n, _ := s.Count(); n != 0 {
				t.Errorf("Count after failed Put = %d, want 0 (rolled back)", n)
			}
		})
	}
}

func TestChangesSince(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	var batch []*search.Entry
	for i := 0; i < 5; i++ {
		batch = append(batch, &search.Entry{ID: fmt.Sprint(i), Title: "v1"})
	}
	mustPut(t, s, search.Change{Time: t0}, batch...) // seqs 1..5 for ids 0..4
	mustPut(t, s, search.Change{Time: t1}, &search.Entry{ID: "1", Title: "v2"}, &search.Entry{ID: "3", Title: "v2"})
	mustPut(t, s, search.Change{Time: t1}, &search.Entry{ID: "1", Title: "v3"}, &search.Entry{ID: "9", Title: "v1"})
	// ids and seqs now: 0:1 2:3 4:5 3:7 1:8 9:9

	type change struct {
		Seq   uint64
		ID    string
		Title string
	}
	cases := []struct {
		since uint64
		want  []change
	}{
		{0, []change{{1, "0", "v1"}, {3, "2", "v1"}, {5, "4", "v1"}, {7, "3", "v2"}, {8, "1", "v3"}, {9, "9", "v1"}}},
		{5, []change{{7, "3", "v2"}, {8, "1", "v3"}, {9, "9", "v1"}}},
		{7, []change{{8, "1", "v3"}, {9, "9", "v1"}}},
		{9, nil},
	}
	for _, tc := range cases {
		var got []change
		err := s.ChangesSince(tc.since, func(seq uint64, e *search.Entry) error {
			got = append(got, change{seq, e.ID, e.Title})
			return nil
		})
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ChangesSince(%d) = %v, %v, want %v", tc.since, got, err, tc.want)
		}
	}
}

// TestChangesSinceChunks walks more changes than one chunk holds, and writes
// from inside fn, which the chunked walk allows.
func TestChangesSinceChunks(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	n := 2*changesChunk + 10
	var batch []*search.Entry
	for i := 0; i < n; i++ {
		batch = append(batch, &search.Entry{ID: fmt.Sprintf("%05d", i)})
	}
	mustPut(t, s, search.Change{Time: t0}, batch...)
	var seqs []uint64
	var titles []string
	err := s.ChangesSince(0, func(seq uint64, e *search.Entry) error {
		seqs = append(seqs, seq)
		if e.ID == "00000" && e.Title == "" {
			_, _, err := s.Put([]*search.Entry{{ID: "00000", Title: "edited"}}, search.Change{Time: t1})
			return err
		}
		titles = append(titles, e.Title)
		return nil
	})
	if err != nil {
		t.Fatalf("ChangesSince: %v", err)
	}
	if len(seqs) != n+1 {
		t.Fatalf("ChangesSince visited %d changes, want %d", len(seqs), n+1)
	}
	for i, seq := range seqs {
		if seq != uint64(i+1) {
			t.Fatalf("change %d has seq %d, want %d", i, seq, i+1)
		}
	}
	if last := titles[len(titles)-1]; last != "edited" {
		t.Errorf("last change title = %q, want the edit made during the walk", last)
	}
}

func TestForEachInIDOrder(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	mustPut(t, s, search.Change{Time: t0}, fullEntry("b"), fullEntry("c"), fullEntry("a"))
	var ids []string
	err := s.ForEach(func(e *search.Entry) error {
		ids = append(ids, e.ID)
		if e.Title != fullEntry("").Title {
			t.Errorf("ForEach entry %s title = %q", e.ID, e.Title)
		}
		return nil
	})
	if err != nil || !reflect.DeepEqual(ids, []string{"a", "b", "c"}) {
		t.Errorf("ForEach ids = %v, %v, want [a b c]", ids, err)
	}
	stop := fmt.Errorf("stop")
	calls := 0
	if err := s.ForEach(func(*search.Entry) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("ForEach with failing fn = %v after %d calls, want fn's error after 1", err, calls)
	}
}

func TestSeqAndCountPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	mustPut(t, s, search.Change{Time: t0}, &search.Entry{ID: "1"}, &search.Entry{ID: "2"})
	mustPut(t, s, search.Change{Time: t1}, &search.Entry{ID: "1", Title: "x"})
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	seq, err := s.Seq()
	if err != nil || seq != 3 {
		t.Errorf("Seq after reopen = %d, %v, want 3", seq, err)
	}
	if n, err := s.Count(); err != nil || n != 2 {
		t.Errorf("Count after reopen = %d, %v, want 2", n, err)
	}
}
