package main

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
)

// TestReindexWhileServing rebuilds the index while searches run in a loop:
// none may fail, and the total afterwards equals the store's count.
func TestReindexWhileServing(t *testing.T) {
	_, app, base := testServer(t, t.TempDir(), true)
	ctx := context.Background()
	entries := append(fixtures.Generate(3, 2000), fixtures.HandWritten()...)
	if _, err := app.Service.Put(ctx, entries, search.Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	var before search.Result
	getJSON(t, base+"/api/v1/search?size=1", &before)

	stop := make(chan struct{})
	var failures, searches atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Get(base + "/api/v1/search?q=digital&size=5&region=africa")
				searches.Add(1)
				if err != nil {
					failures.Add(1)
					continue
				}
				var res search.Result
				if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&res) != nil {
					failures.Add(1)
				}
				resp.Body.Close()
			}
		}()
	}
	start := time.Now()
	if err := app.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if failures.Load() > 0 {
		t.Fatalf("%d of %d searches failed during the reindex", failures.Load(), searches.Load())
	}
	if app.LastReindex().Before(start) {
		t.Fatalf("LastReindex %v not updated", app.LastReindex())
	}
	var after search.Result
	getJSON(t, base+"/api/v1/search?size=1", &after)
	if after.Total != before.Total {
		t.Fatalf("total after reindex %d, before %d", after.Total, before.Total)
	}
	t.Logf("%d searches during the reindex, none failed", searches.Load())
}
