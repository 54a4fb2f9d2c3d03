package store

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestDropPages: after the pages are dropped, every entry still reads back
// and writes still work.
func TestDropPages(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "s.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var entries []*search.Entry
	for i := 0; i < 300; i++ {
		entries = append(entries, fullEntry(fmt.Sprintf("e%03d", i)))
	}
	if _, _, err := st.Put(entries, search.Change{Author: "t"}); err != nil {
		t.Fatal(err)
	}
	if err := st.DropPages(); err != nil {
		t.Fatal(err)
	}
	if got := allEntries(t, st); len(got) != 300 || got[299].Title != entries[299].Title {
		t.Fatalf("after DropPages: %d entries", len(got))
	}
	if _, _, err := st.Put([]*search.Entry{fullEntry("e999")}, search.Change{Author: "t"}); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Count(); err != nil || n != 301 {
		t.Fatalf("Count = %d, %v", n, err)
	}
}
