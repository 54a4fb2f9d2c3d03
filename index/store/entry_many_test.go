package store

import (
	"reflect"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

func TestGetManyMatchesGet(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	gone := fullEntry("3")
	gone.Withdrawn = true
	mustPut(t, s, search.Change{Author: "import", Time: t0}, fullEntry("1"), fullEntry("2"), gone)
	ids := []string{"2", "absent", "1", "3", "2"}
	got, err := s.GetMany(ids)
	if err != nil {
		t.Fatalf("GetMany(%q): %v", ids, err)
	}
	if len(got) != len(ids) {
		t.Fatalf("GetMany(%q) = %d entries, want %d", ids, len(got), len(ids))
	}
	for i, id := range ids {
		want, err := s.Get(id)
		if search.ErrorCode(err) == search.ENOTFOUND {
			want = nil
		} else if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("GetMany(%q)[%d] = %+v, want %+v", ids, i, got[i], want)
		}
	}
	if got, err := s.GetMany(nil); err != nil || len(got) != 0 {
		t.Errorf("GetMany(nil) = %v, %v, want none", got, err)
	}
}
