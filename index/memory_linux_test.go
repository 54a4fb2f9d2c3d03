//go:build linux

package index

import (
	"context"
	"testing"

	"github.com/itu-stocktaking/stocktaking/index/store"
	"github.com/itu-stocktaking/stocktaking/search"
)

// segmentRSS returns the resident kilobytes of the process's mappings of
// files under dir.
func segmentRSS(t *testing.T, dir string) int {
	t.Helper()
	kb, err := store.ResidentKB(dir)
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	return kb
}

func TestReleaseMemoryDropsSegmentPages(t *testing.T) {
	ix := mustOpen(t, genEntries(3, 3000))
	if err := ix.Compact(context.Background()); err != nil { // one persisted file segment
		t.Fatal(err)
	}
	search1 := func() int {
		req := &search.Request{Text: "digital health", Snippets: true}
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	want := search1()
	before := segmentRSS(t, ix.dir)
	if before == 0 {
		t.Skip("no resident segment pages to drop (segments not memory-mapped here)")
	}
	if err := ix.ReleaseMemory(); err != nil {
		t.Fatal(err)
	}
	after := segmentRSS(t, ix.dir)
	if after >= before/2 {
		t.Errorf("segment pages resident: %d kB before, %d kB after ReleaseMemory", before, after)
	}
	if got := search1(); got != want {
		t.Errorf("after ReleaseMemory: %d results, want %d", got, want)
	}
	t.Logf("segment pages resident: %d kB, after ReleaseMemory %d kB", before, after)
}
