package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestRebuildWhileServing rebuilds the index while searches run in a loop
// and entries are applied: no search fails, the entries applied during the
// rebuild are in the new generation, the old one is deleted (once the
// cursors of the searches no longer pin it), and a reopen finds the new one.
func TestRebuildWhileServing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, _, _, err := Open(dir, Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	entries := genEntries(71, 600)
	if err := ix.Apply(entries, 10); err != nil {
		t.Fatal(err)
	}
	if err := ix.MarkBuilt(); err != nil {
		t.Fatal(err)
	}
	oldEng := ix.cur.Load()
	oldGen := oldEng.dir
	clock := fakeClock(ix)

	var stop atomic.Bool
	var searches, failures atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				res, err := ix.Search(context.Background(), &search.Request{Text: "digital", Size: 5})
				if err == nil && res.Total == 0 {
					err = errors.New("no hits")
				}
				if err != nil {
					failures.Add(1)
					t.Errorf("Search during Rebuild: %v", err)
					return
				}
				searches.Add(1)
			}
		}()
	}
	late := &search.Entry{ID: "late-1", Title: "Quokka telemetry", Country: "KEN", Region: "africa", Year: 2024}
	each := func(fn func([]*search.Entry) error) error {
		for i := 0; i < len(entries); i += 100 {
			if err := fn(entries[i : i+100]); err != nil {
				return err
			}
			if i == 300 { // a write lands while the store is being read
				if err := ix.Apply([]*search.Entry{late}, 11); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := ix.Rebuild(context.Background(), each, 10); err != nil {
		t.Fatal(err)
	}
	for searches.Load() < 20 && failures.Load() == 0 {
		if _, err := ix.Search(context.Background(), &search.Request{}); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()

	check := func(when string) {
		t.Helper()
		res, err := ix.Search(context.Background(), &search.Request{Text: "quokka"})
		if err != nil || res.Total != 1 || ix.Seq() != 11 {
			t.Fatalf("%s: Search(quokka) = %v, %v; seq %d, want 1 hit, seq 11", when, res, err, ix.Seq())
		}
		if n, _ := ix.Count(); n != len(entries)+1 {
			t.Fatalf("%s: Count = %d, want %d", when, n, len(entries)+1)
		}
	}
	check("after Rebuild")
	// The searches' cursors pinned the old generation: it is deleted once
	// their pins expire.
	clock.expire(ix)
	<-oldEng.done
	if _, err := os.Stat(oldGen); !os.IsNotExist(err) {
		t.Errorf("old generation %s still there: %v", oldGen, err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	var rebuild bool
	ix, rebuild, _, err = Open(dir, Options{Logger: zerolog.Nop()})
	if err != nil || rebuild {
		t.Fatalf("reopen after Rebuild: rebuild=%v err=%v", rebuild, err)
	}
	check("after reopen")
}

// TestRebuildFailureKeepsCurrent checks that a failed Rebuild leaves the
// current generation serving and removes the new one.
func TestRebuildFailureKeepsCurrent(t *testing.T) {
	ix := mustOpen(t, handEntries())
	cur := ix.cur.Load().dir
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ix.Rebuild(ctx, func(fn func([]*search.Entry) error) error { return fn(handEntries()) }, 5)
	if err == nil {
		t.Fatal("Rebuild with a cancelled context succeeded")
	}
	if got := ix.cur.Load().dir; got != cur {
		t.Errorf("after a failed Rebuild the index reads %s, want %s", got, cur)
	}
	if gens := generations(ix.dir); len(gens) != 1 {
		t.Errorf("generations after a failed Rebuild: %v", gens)
	}
	if res, err := ix.Search(context.Background(), &search.Request{}); err != nil || res.Total != 4 {
		t.Errorf("Search after a failed Rebuild: %v, %v", res, err)
	}
}

// TestOpenRemovesStaleGeneration: a generation left by a Rebuild cut short
// is deleted at Open and the current one is used.
func TestOpenRemovesStaleGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, _, _, err := Open(dir, Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(handEntries(), 3); err != nil {
		t.Fatal(err)
	}
	if err := ix.MarkBuilt(); err != nil {
		t.Fatal(err)
	}
	stale, err := createGeneration(dir, nextGeneration(dir), ix.mapping)
	if err != nil {
		t.Fatal(err)
	}
	stale.release()
	ix.Close()
	ix, rebuild, reason, err := Open(dir, Options{Logger: zerolog.Nop()})
	if err != nil || rebuild {
		t.Fatalf("Open: rebuild=%v (%s) err=%v", rebuild, reason, err)
	}
	defer ix.Close()
	if gens := generations(dir); len(gens) != 1 || ix.Seq() != 3 {
		t.Errorf("after Open: generations %v, seq %d", gens, ix.Seq())
	}
}
