package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/search/exchange"
)

func TestImport2015IntoEmptyDir(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(t.TempDir(), "wsis-prizes-2015-nominated.csv")
	if err := os.WriteFile(csvPath, fixtures.Prizes2015CSV, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Data: dir, LogLevel: "warn", NoDefaults: true}
	app, err := openApp(context.Background(), cfg, newLogger(cfg, os.Stderr))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importFile(context.Background(), app, csvPath, "", 0, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 302 || len(rep.Rejected) != 0 {
		t.Fatalf("import: %d accepted, %d rejected; want 302, 0: %+v", rep.Accepted, len(rep.Rejected), rep.Rejected)
	}
	if len(rep.Repairs) == 0 {
		t.Fatalf("import reported no repairs")
	}
	var out bytes.Buffer
	printReport(&out, csvPath, rep, false)
	if !strings.Contains(out.String(), "302 accepted, 0 rejected") || !strings.Contains(out.String(), "repaired line") {
		t.Fatalf("report does not list counts and repairs:\n%s", out.String())
	}
	// A second identical import changes nothing.
	st0, _ := app.Store.Seq()
	if _, err := importFile(context.Background(), app, csvPath, "", 0, "test", false); err != nil {
		t.Fatal(err)
	}
	if st1, _ := app.Store.Seq(); st1 != st0 {
		t.Fatalf("second import moved the store sequence %d -> %d", st0, st1)
	}
	app.Close()

	_, _, base := testServer(t, dir, true)
	var res search.Result
	getJSON(t, base+"/api/v1/search?q="+url.QueryEscape("egypt's"), &res)
	found := false
	for _, h := range res.Hits {
		if h.Title == "Egypt’s ICT Indicators Portal" {
			found = true
		}
	}
	if !found {
		t.Fatalf("searching egypt's did not find Egypt’s ICT Indicators Portal: %+v", res.Hits)
	}
	getJSON(t, base+"/api/v1/search?size=1", &res)
	if res.Total != 302 {
		t.Fatalf("total after import = %d, want 302", res.Total)
	}
}

func TestImportBrokenRowsKeepsGoodOnes(t *testing.T) {
	dir := t.TempDir()
	good := fixtures.HandWritten()[0]
	var buf bytes.Buffer
	if err := fixtures.WriteJSONL(&buf, []*search.Entry{good}); err != nil {
		t.Fatal(err)
	}
	file := buf.String() +
		"{not json\n" +
		`{"id":"x1","title":"","organization":"Org","stakeholder":"government","country":"KEN","year":2020,"action_lines":["C1"],"language":"en"}` + "\n" +
		`{"id":"x2","title":"Fine","organization":"Org","stakeholder":"government","country":"KEN","year":2020,"action_lines":["C99"],"language":"en"}` + "\n"
	path := filepath.Join(t.TempDir(), "broken.jsonl")
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Data: dir, LogLevel: "warn", NoDefaults: true}
	app, err := openApp(context.Background(), cfg, newLogger(cfg, os.Stderr))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	rep, err := importFile(context.Background(), app, path, "", 0, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 1 || len(rep.Rejected) != 3 {
		t.Fatalf("accepted %d rejected %d, want 1 and 3: %+v", rep.Accepted, len(rep.Rejected), rep.Rejected)
	}
	for i, wantLine := range []int{2, 3, 4} {
		if rep.Rejected[i].Line != wantLine || rep.Rejected[i].Reason == "" {
			t.Fatalf("rejected[%d] = %+v, want line %d with a reason", i, rep.Rejected[i], wantLine)
		}
	}
	if n, _ := app.Store.Count(); n != 1 {
		t.Fatalf("store has %d entries, want 1", n)
	}
	_ = exchange.FormatJSONL
}
