package store

import (
	"errors"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

func addSubmission(tb testing.TB, s *Store, title string) *search.Submission {
	tb.Helper()
	sub := &search.Submission{Status: search.SubmissionPending, Entry: &search.Entry{ID: "x", Title: title}, Submitted: t0}
	if err := s.AddSubmission(sub); err != nil {
		tb.Fatalf("AddSubmission(%q): %v", title, err)
	}
	return sub
}

func TestSubmissionRoundTrip(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	a := addSubmission(t, s, "first")
	b := addSubmission(t, s, "second")
	if len(a.Ref) != 26 || a.Ref == b.Ref || a.Seq != 1 || b.Seq != 2 {
		t.Fatalf("refs %q %q seqs %d %d: want two distinct 26-character refs, seqs 1 and 2", a.Ref, b.Ref, a.Seq, b.Seq)
	}
	got, err := s.Submission(a.Ref)
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Fatalf("Submission(%q) = %+v, %v; want %+v", a.Ref, got, err, a)
	}
	for _, ref := range []string{"", "nope", string(make([]byte, 100))} {
		if _, err := s.Submission(ref); search.ErrorCode(err) != search.ENOTFOUND {
			t.Errorf("Submission(%q) error = %v, want not_found", ref, err)
		}
	}
}

func TestSubmissionsByStatus(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	var subs []*search.Submission
	for _, title := range []string{"a", "b", "c", "d"} {
		subs = append(subs, addSubmission(t, s, title))
	}
	if _, err := s.UpdateSubmission(subs[1].Ref, func(sub *search.Submission) error {
		sub.Status, sub.Reason, sub.Ref = search.SubmissionRejected, "off topic", "hijack"
		return nil
	}); err != nil {
		t.Fatalf("UpdateSubmission: %v", err)
	}
	titles := func(status string, after uint64, limit int) []string {
		list, err := s.Submissions(status, after, limit)
		if err != nil {
			t.Fatalf("Submissions(%q): %v", status, err)
		}
		var out []string
		for _, sub := range list {
			out = append(out, sub.Entry.Title)
		}
		return out
	}
	tests := []struct {
		name   string
		status string
		after  uint64
		limit  int
		want   []string
	}{
		{"pending", search.SubmissionPending, 0, 0, []string{"a", "c", "d"}},
		{"pending after 1", search.SubmissionPending, 1, 0, []string{"c", "d"}},
		{"pending limit", search.SubmissionPending, 0, 2, []string{"a", "c"}},
		{"rejected", search.SubmissionRejected, 0, 0, []string{"b"}},
		{"approved", search.SubmissionApproved, 0, 0, nil},
		{"all", "", 0, 0, []string{"a", "c", "d", "b"}},
	}
	for _, tt := range tests {
		if got := titles(tt.status, tt.after, tt.limit); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Submissions(%q, %d, %d) = %v, want %v", tt.name, tt.status, tt.after, tt.limit, got, tt.want)
		}
	}
	if got, _ := s.Submission(subs[1].Ref); got.Ref != subs[1].Ref || got.Reason != "off topic" {
		t.Errorf("after update: %+v; want ref kept and reason set", got)
	}
	if _, err := s.Submissions("bogus", 0, 0); search.ErrorCode(err) != search.EINVALID {
		t.Errorf("Submissions(bogus) error = %v, want invalid", err)
	}
}

func TestUpdateSubmissionAbortsOnError(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	sub := addSubmission(t, s, "a")
	boom := errors.New("boom")
	if _, err := s.UpdateSubmission(sub.Ref, func(x *search.Submission) error {
		x.Status = search.SubmissionApproved
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("UpdateSubmission error = %v, want boom", err)
	}
	if got, _ := s.Submission(sub.Ref); got.Status != search.SubmissionPending {
		t.Errorf("status after aborted update = %q, want pending", got.Status)
	}
	if _, err := s.UpdateSubmission("missing", func(*search.Submission) error { return nil }); search.ErrorCode(err) != search.ENOTFOUND {
		t.Errorf("UpdateSubmission(missing) error = %v, want not_found", err)
	}
}

// TestUpdateSubmissionOnce checks that of many concurrent deciders of one
// submission exactly one sees it open.
func TestUpdateSubmissionOnce(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	sub := addSubmission(t, s, "a")
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateSubmission(sub.Ref, func(x *search.Submission) error {
				if !x.Open() {
					return search.Errorf(search.ECONFLICT, "decided")
				}
				x.Status = search.SubmissionApproved
				return nil
			})
			if err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d deciders succeeded, want 1", won)
	}
}

func TestSubmissionReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := addSubmission(t, s, "a")
	s.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if got, err := ro.Submission(sub.Ref); err != nil || got.Entry.Title != "a" {
		t.Errorf("read-only Submission = %+v, %v", got, err)
	}
	if err := ro.AddSubmission(&search.Submission{Status: search.SubmissionPending, Entry: &search.Entry{}}); search.ErrorCode(err) != search.EREADONLY {
		t.Errorf("read-only AddSubmission error = %v, want read_only", err)
	}
	if _, err := ro.UpdateSubmission(sub.Ref, func(*search.Submission) error { return nil }); search.ErrorCode(err) != search.EREADONLY {
		t.Errorf("read-only UpdateSubmission error = %v, want read_only", err)
	}
}
