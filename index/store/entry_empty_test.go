package store

import (
	"path/filepath"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

func TestEmpty(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "s.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if empty, err := st.Empty(); err != nil || !empty {
		t.Fatalf("new store: Empty = %v, %v", empty, err)
	}
	if _, _, err := st.Put([]*search.Entry{fullEntry("e1")}, search.Change{Author: "tester"}); err != nil {
		t.Fatal(err)
	}
	if empty, err := st.Empty(); err != nil || empty {
		t.Fatalf("after a put: Empty = %v, %v", empty, err)
	}
}
