package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"net/url"
	"os"
	"os/exec"
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
	// The same broken file a second time: the same report, and nothing
	// written (no sequence number, no revision).
	before := app.Store.Stats()
	var first bytes.Buffer
	printReport(&first, path, rep, false)
	rep2, err := importFile(context.Background(), app, path, "", 0, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	printReport(&second, path, rep2, false)
	if first.String() != second.String() {
		t.Fatalf("the second import reports differently:\n%s\nfirst:\n%s", second.String(), first.String())
	}
	after := app.Store.Stats()
	if after.Seq != before.Seq || after.Revisions != before.Revisions || after.Entries != before.Entries {
		t.Fatalf("the second import changed the store: %+v -> %+v", before, after)
	}
	_ = exchange.FormatJSONL
}

// TestImportDryRunWritesNothing runs "import -dry-run" through the built
// command on a data directory holding one entry and on one that does not
// exist: the report is printed (accepted rows as valid, rejected rows with
// their lines), the store file keeps every byte, and no directory appears.
func TestImportDryRunWritesNothing(t *testing.T) {
	bin := testBinary(t)
	dir := filepath.Join(t.TempDir(), "data")
	seed := filepath.Join(t.TempDir(), "seed.jsonl")
	var buf bytes.Buffer
	if err := fixtures.WriteJSONL(&buf, fixtures.HandWritten()[:1]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(seed, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "import", "-data", dir, "-log-level", "warn", seed).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	buf.Reset()
	if err := fixtures.WriteJSONL(&buf, fixtures.HandWritten()[1:4]); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("{not json\n")
	file := filepath.Join(t.TempDir(), "more.jsonl")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := func() [32]byte { return sha256.Sum256(readFile(t, storePath(dir))) }
	before := sum()
	dryRun := func(data string) string {
		t.Helper()
		cmd := exec.Command(bin, "import", "-dry-run", "-data", data, file)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("import -dry-run: %v\n%s%s", err, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	out := dryRun(dir)
	for _, want := range []string{"4 read, 3 valid (dry run, nothing written), 1 rejected", "rejected line 4:"} {
		if !strings.Contains(out, want) {
			t.Errorf("the dry-run report lacks %q:\n%s", want, out)
		}
	}
	if sum() != before {
		t.Error("import -dry-run changed the store file")
	}
	if n := len(storeEntries(t, dir)); n != 1 {
		t.Errorf("the store holds %d entries after the dry run, want 1", n)
	}
	none := filepath.Join(t.TempDir(), "none")
	if out := dryRun(none); !strings.Contains(out, "3 valid (dry run") {
		t.Errorf("the dry run on a missing directory reports:\n%s", out)
	}
	if _, err := os.Stat(none); !os.IsNotExist(err) {
		t.Errorf("import -dry-run created the data directory %s: %v", none, err)
	}
}
