package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/ui"
)

// testServer starts the real program on a free port over dir.
func testServer(t *testing.T, dir string, noDefaults bool) (*ui.Server, *App, string) {
	t.Helper()
	cfg := &Config{Addr: "127.0.0.1:0", Data: dir, LogLevel: "warn", SearchBudget: 5 * time.Second, NoDefaults: noDefaults, RateLimit: -1}
	srv, app, err := startServer(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		_ = srv.Shutdown(5 * time.Second)
		_ = app.Close()
	})
	return srv, app, "http://" + srv.Addr().String()
}

func getJSON(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil && resp.StatusCode == 200 {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: decode: %v\n%s", u, err, body)
		}
	}
	return resp.StatusCode
}

func TestDefaultDataSetStartRestartRebuild(t *testing.T) {
	if testing.Short() {
		t.Skip("full default data set: skipped with -short")
	}
	dir := t.TempDir()
	srv, app, base := testServer(t, dir, false)
	if app.Loaded != "defaults" {
		t.Fatalf("first start loaded %q, want defaults", app.Loaded)
	}
	var res search.Result
	if code := getJSON(t, base+"/api/v1/search", &res); code != 200 {
		t.Fatalf("search status %d", code)
	}
	if res.Total < 15000 {
		t.Fatalf("total = %d, want ≥ 15000", res.Total)
	}
	want := res.Total
	storeCount, _ := app.Store.Count()
	_ = srv.Shutdown(5 * time.Second)
	_ = app.Close()

	// Second start: no rebuild, same count.
	srv2, app2, base2 := testServer(t, dir, false)
	if app2.Loaded != "" {
		t.Fatalf("second start did %q, want nothing", app2.Loaded)
	}
	var res2 search.Result
	getJSON(t, base2+"/api/v1/search?size=1", &res2)
	if res2.Total != want {
		t.Fatalf("second start total = %d, want %d", res2.Total, want)
	}
	_ = srv2.Shutdown(5 * time.Second)
	_ = app2.Close()

	// Delete the index: rebuilt from the store with the same count.
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	_, app3, base3 := testServer(t, dir, false)
	if app3.Loaded != "rebuild" {
		t.Fatalf("start without index did %q, want rebuild", app3.Loaded)
	}
	var res3 search.Result
	getJSON(t, base3+"/api/v1/search?size=1", &res3)
	if res3.Total != want {
		t.Fatalf("rebuilt total = %d, want %d", res3.Total, want)
	}
	withdrawn := 0
	_ = app3.Store.ForEach(func(e *search.Entry) error {
		if e.Withdrawn {
			withdrawn++
		}
		return nil
	})
	if res3.Total != storeCount-withdrawn {
		t.Fatalf("search total %d != store count %d - withdrawn %d", res3.Total, storeCount, withdrawn)
	}
	checkFiltersAgainstStore(t, app3, base3, 150)
	growth, path := checkExportCSV(t, base3, res3.Total)
	t.Logf("CSV export of %d entries streamed (in-process RSS growth %.1f MB; the real binary: TestExportMemoryIsFlat)", res3.Total, growth)
	checkLibreOffice(t, path, res3.Total)
	walkCursor(t, app3, base3, search.SortNewest, "")
	walkCursor(t, app3, base3, search.SortRelevance, "")
	walkCursor(t, app3, base3, search.SortRelevance, "health") // scores move with every insert
}

// checkFiltersAgainstStore sends random filter combinations to the API and
// compares total and every facet count with brute-force counts over the store.
func checkFiltersAgainstStore(t *testing.T, app *App, base string, rounds int) {
	t.Helper()
	var all []*search.Entry
	_ = app.Store.ForEach(func(e *search.Entry) error {
		if !e.Withdrawn {
			all = append(all, e)
		}
		return nil
	})
	// Values that exist, per facet, to draw filters from.
	pool := map[string][]string{}
	seen := map[string]bool{}
	vals := make([]map[string][]string, len(all))
	for i, e := range all {
		vals[i] = search.FacetValues(e)
		for f, vs := range vals[i] {
			for _, v := range vs {
				if !seen[f+"\x00"+v] {
					seen[f+"\x00"+v] = true
					pool[f] = append(pool[f], v)
				}
			}
		}
	}
	for f := range pool {
		sort.Strings(pool[f])
	}
	params := []string{"action_line", "sdg", "country", "region", "year", "stakeholder", "prize_year", "prize_status", "prize_category"}
	facetOf := map[string]string{"action_line": search.FacetActionLine, "sdg": search.FacetSDG, "country": search.FacetCountry,
		"region": search.FacetRegion, "year": search.FacetYear, "stakeholder": search.FacetStakeholder,
		"prize_year": search.FacetPrizeYear, "prize_status": search.FacetPrizeStatus, "prize_category": search.FacetPrizeCat}
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < rounds; round++ {
		q := url.Values{}
		var filters search.Filters
		for _, p := range params {
			if rng.Intn(3) != 0 {
				continue
			}
			vals := pool[facetOf[p]]
			for k := 0; k < 1+rng.Intn(2); k++ {
				v := vals[rng.Intn(len(vals))]
				q.Add(p, v)
				filters.Add(facetOf[p], v)
			}
		}
		if rng.Intn(4) == 0 {
			from := 2004 + rng.Intn(20)
			q.Set("year_from", strconv.Itoa(from))
			filters.YearFrom = from
		}
		if rng.Intn(5) == 0 {
			to := max(filters.YearFrom, 2008) + rng.Intn(8) // year_to < year_from is a 400
			q.Set("year_to", strconv.Itoa(to))
			filters.YearTo = to
		}
		var res search.Result
		if code := getJSON(t, base+"/api/v1/search?size=1&"+q.Encode(), &res); code != 200 {
			t.Fatalf("search %s: status %d", q.Encode(), code)
		}
		total := 0
		for i, e := range all {
			if filters.MatchValues(vals[i], e.Year, "") {
				total++
			}
		}
		if res.Total != total {
			t.Fatalf("filters %s: total %d, brute force %d", q.Encode(), res.Total, total)
		}
		for facet, values := range res.Facets {
			counts := map[string]int{}
			for i, e := range all {
				for _, v := range filters.CountedValues(vals[i], e.Year, facet) {
					counts[v]++
				}
			}
			nonzero := 0
			for _, fv := range values {
				if fv.Count > 0 {
					nonzero++
				}
			}
			if nonzero != len(counts) {
				t.Fatalf("filters %s: facet %s lists %d values with a count, brute force has %d", q.Encode(), facet, nonzero, len(counts))
			}
			for _, fv := range values {
				if counts[fv.Value] != fv.Count {
					t.Fatalf("filters %s: facet %s=%s count %d, brute force %d", q.Encode(), facet, fv.Value, fv.Count, counts[fv.Value])
				}
			}
		}
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// walkCursor follows next_cursor from the first page to the end of the
// search for q (all entries when ""), while another goroutine adds entries
// through the service between pages, and checks that every entry matching
// at the start is returned exactly once and nothing else: the walk reads
// the index as it was on its first page, so neither new entries nor the
// scores they move (q in relevance order) change it.
func walkCursor(t *testing.T, app *App, base, sort, q string) {
	t.Helper()
	what := sort
	if q != "" {
		what += " q=" + q
	}
	start := map[string]bool{}
	err := app.Index.MatchIDs(context.Background(), &search.Request{Text: q, Sort: sort}, func(id string) error {
		start[id] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	extra := fixtures.Generate(99, 40)
	for i, e := range extra {
		e.ID = fmt.Sprintf("walk-%s-%s-%03d", sort, q, i)
	}
	tick, added := make(chan []*search.Entry), make(chan error, 1)
	go func() { // the writer
		for batch := range tick {
			_, err := app.Service.Put(context.Background(), batch, search.Change{Author: "walk"})
			added <- err
		}
	}()
	defer close(tick)
	seen := map[string]int{}
	next := ""
	for page := 0; ; page++ {
		u := base + "/api/v1/search?size=100&facets=none&sort=" + sort + "&q=" + url.QueryEscape(q)
		if next != "" {
			u += "&cursor=" + url.QueryEscape(next)
		}
		var res search.Result
		if code := getJSON(t, u, &res); code != 200 {
			t.Fatalf("cursor walk (%s) page %d: status %d", what, page, code)
		}
		if page > 0 && len(res.Warnings) > 0 {
			t.Fatalf("cursor walk (%s) page %d: warnings %q", what, page, res.Warnings)
		}
		for _, h := range res.Hits {
			seen[h.ID]++
		}
		if page < len(extra)/4 { // a few inserts while walking
			tick <- extra[page*4 : page*4+4]
			if err := <-added; err != nil {
				t.Fatal(err)
			}
		}
		if res.NextCursor == "" {
			break
		}
		next = res.NextCursor
		if page > 1000 {
			t.Fatalf("cursor walk (%s) does not end", what)
		}
	}
	for id := range start {
		if seen[id] != 1 {
			t.Fatalf("cursor walk (%s): entry %s seen %d times", what, id, seen[id])
		}
	}
	for id, n := range seen {
		if n > 1 || !start[id] {
			t.Fatalf("cursor walk (%s): entry %s seen %d times, matching at the start: %v", what, id, n, start[id])
		}
	}
	t.Logf("cursor walk (%s): %d entries at the start, each once, none other", what, len(start))
}
