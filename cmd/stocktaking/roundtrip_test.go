package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/index/store"
	"github.com/itu-stocktaking/stocktaking/search"
)

// TestExportImportRoundTrip fills a data directory as the default set is
// loaded: the hand-written entries (a withdrawn one, formula-looking text,
// several scripts; put in canonical form as loadDefaults does), the
// 2015 nominees (repaired mis-encoding) and generated entries; exports it
// with the export command in each format, imports every file with the
// import command into an empty data directory, and requires the two stores
// to hold equal entries, field by field, timestamps included. A second
// export, from the imported directory, must be byte-identical to the first.
func TestExportImportRoundTrip(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	fillRoundTripSource(t, src)
	want := storeEntries(t, src)
	if len(want) < 500 {
		t.Fatalf("the source holds %d entries; want the fixtures and the generated ones", len(want))
	}
	withdrawn := 0
	for _, e := range want {
		if e.Withdrawn {
			withdrawn++
		}
	}
	if withdrawn == 0 {
		t.Fatal("no withdrawn entry in the source: the round trip would not cover the flag")
	}
	for _, format := range []string{"jsonl", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			first := filepath.Join(dir, "first."+format)
			runCommand(t, runExport, "-data", src, "-log-level", "warn", "-withdrawn", "-format", format, "-o", first)
			dst := filepath.Join(dir, "imported")
			runCommand(t, runImport, "-data", dst, "-log-level", "warn", first)
			got := storeEntries(t, dst)
			if len(got) != len(want) {
				t.Fatalf("imported %d entries, want %d", len(got), len(want))
			}
			for id, w := range want {
				if g := got[id]; !reflect.DeepEqual(g, w) {
					t.Fatalf("entry %s differs after the %s round trip:\n got %+v\nwant %+v", id, format, g, w)
				}
			}
			second := filepath.Join(dir, "second."+format)
			runCommand(t, runExport, "-data", dst, "-log-level", "warn", "-withdrawn", "-format", format, "-o", second)
			a, b := readFile(t, first), readFile(t, second)
			if !bytes.Equal(a, b) {
				i := 0
				for i < min(len(a), len(b)) && a[i] == b[i] {
					i++
				}
				t.Fatalf("the second %s export differs from the first at byte %d of %d/%d: %q vs %q",
					format, i, len(a), len(b), a[i:min(i+80, len(a))], b[i:min(i+80, len(b))])
			}
		})
	}
}

// fillRoundTripSource writes the round trip's source data directory.
func fillRoundTripSource(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	cfg := &Config{Data: dir, LogLevel: "warn", NoDefaults: true}
	app, err := openApp(ctx, cfg, newLogger(cfg, os.Stderr))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	ch := search.Change{Author: "test", Note: "round trip source", Time: time.Date(2025, 3, 4, 5, 6, 7, 891011, time.UTC)}
	batches := [][]*search.Entry{handWritten(), fixtures.Generate(7, 400)}
	for _, b := range batches {
		if _, err := app.Service.Put(ctx, b, ch); err != nil {
			t.Fatal(err)
		}
	}
	csvPath := filepath.Join(t.TempDir(), "wsis-prizes-2015-nominated.csv")
	if err := os.WriteFile(csvPath, fixtures.Prizes2015CSV, 0o644); err != nil {
		t.Fatal(err)
	}
	if rep, err := importFile(ctx, app, csvPath, "", 0, "test", false); err != nil || rep.Accepted != 302 {
		t.Fatalf("2015 nominees: %+v, %v", rep, err)
	}
}

// runCommand runs a command's runner (runExport, runImport, …) with args,
// as main does.
func runCommand(t *testing.T, run func(context.Context, []string) error, args ...string) {
	t.Helper()
	if err := run(context.Background(), args); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
}

// storeEntries reads every entry of the store of data, withdrawn or not.
func storeEntries(t *testing.T, data string) map[string]*search.Entry {
	t.Helper()
	st, err := store.Open(storePath(data), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := map[string]*search.Entry{}
	if err := st.ForEach(func(e *search.Entry) error { m[e.ID] = e; return nil }); err != nil {
		t.Fatal(err)
	}
	return m
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
