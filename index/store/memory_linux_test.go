//go:build linux

package store

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// mappedRSS returns the resident kilobytes of the process's mappings of path.
func mappedRSS(t *testing.T, path string) int {
	t.Helper()
	kb, err := ResidentKB(path)
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	return kb
}

// TestReleaseMemory checks that ReleaseMemory takes the file's pages out of
// the process's resident memory and that every entry reads back the same.
func TestReleaseMemory(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	var all []*search.Entry
	for i := range 3000 {
		e := fullEntry(fmt.Sprintf("%010d", i))
		e.Description = strings.Repeat(fmt.Sprintf("words of entry %d ", i), 20)
		all = append(all, e)
	}
	mustPut(t, s, search.Change{Author: "import", Time: t0}, all...)
	read := func() {
		for _, e := range all {
			got, err := s.Get(e.ID)
			if err != nil {
				t.Fatalf("Get(%s): %v", e.ID, err)
			}
			if !reflect.DeepEqual(got, e) {
				t.Fatalf("Get(%s) = %+v, want %+v", e.ID, got, e)
			}
		}
	}
	read()
	before := mappedRSS(t, s.path)
	if before < 1024 {
		t.Fatalf("the file's mapping holds %d kB after reading every entry; want more than 1 MB", before)
	}
	if err := s.ReleaseMemory(); err != nil {
		t.Fatalf("ReleaseMemory: %v", err)
	}
	if after := mappedRSS(t, s.path); after > before/10 {
		t.Errorf("resident kB of the mapping: %d before, %d after ReleaseMemory", before, after)
	}
	read()
	// and writes go on as before
	extra := fullEntry("9999999999")
	mustPut(t, s, search.Change{Author: "import", Time: t1}, extra)
	if got, err := s.Get(extra.ID); err != nil || got.Title != extra.Title {
		t.Fatalf("Get after ReleaseMemory and Put: %v, %v", got, err)
	}
}
