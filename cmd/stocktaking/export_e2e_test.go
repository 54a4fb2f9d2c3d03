package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// checkExportCSV streams the CSV export of the whole data set, sampling
// this process's RSS meanwhile (the server runs in it), and checks the
// file: a BOM, one row per entry, formula cells neutralised. It returns the
// RSS growth in MB and the file's path.
func checkExportCSV(t *testing.T, base string, total int) (float64, string) {
	t.Helper()
	runtime.GC()
	before := rssMB()
	var peak atomic.Int64
	peak.Store(int64(before * 1024))
	stop := make(chan struct{})
	go func() {
		tk := time.NewTicker(20 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				if kb := int64(rssMB() * 1024); kb > peak.Load() {
					peak.Store(kb)
				}
			}
		}
	}()
	resp, err := http.Get(base + "/api/v1/export?format=csv")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("export status %d: %s", resp.StatusCode, b)
	}
	path := filepath.Join(t.TempDir(), "export.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		t.Fatal(err)
	}
	f.Close()
	close(stop)
	growth := float64(peak.Load())/1024 - before

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")) {
		t.Fatal("export does not start with a UTF-8 BOM")
	}
	r := csv.NewReader(bufio.NewReader(bytes.NewReader(raw[3:])))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("export is not valid CSV: %v", err)
	}
	if len(rows)-1 != total {
		t.Fatalf("export has %d rows, want %d", len(rows)-1, total)
	}
	for i, row := range rows[1:] {
		for j, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Fatalf("row %d column %d starts with a formula character: %.40q", i+2, j+1, cell)
			}
		}
	}
	return growth, path
}

// libreOfficeCSV is LibreOffice's CSV filter for the export: comma,
// double quote, UTF-8 (76), from line 1. LibreOffice's headless CSV import
// ignores the byte order mark: without the filter it reads the file in the
// system's 8-bit character set and garbles every non-ASCII cell (8 381 of
// the default set on 2026-11-27, LibreOffice 7.4.7).
const libreOfficeCSV = "CSV:44,34,76,1"

// knownTitles are hand-written entries (fixtures/handwritten.jsonl) whose
// titles must come through a spreadsheet intact.
var knownTitles = map[string]string{
	"hw-02": "Droits des Consommateurs dans les télécommunications en Afrique",
	"hw-06": "بوابة الخدمات الحكومية الإلكترونية الموحدة",
	"hw-08": "宽带乡村工程",
}

// formulaRE finds a formula cell in a sheet of an xlsx file; cell text is
// escaped, so it cannot look like the element.
var formulaRE = regexp.MustCompile(`<f[ >/]`)

// checkLibreOffice opens the export in LibreOffice, when it is installed,
// as a spreadsheet user would: converted to xlsx with the UTF-8 filter
// (libreOfficeCSV). The sheet must hold one row per entry and no formula
// (the export's neutralised cells stay text), and every title must be
// intact, accented and non-Latin ones included: LibreOffice converts the
// sheet back to CSV to compare the titles with the export's.
func checkLibreOffice(t *testing.T, path string, total int) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Log("LibreOffice not installed: spreadsheet check skipped (documented in the README)")
		return
	}
	dir := filepath.Dir(path)
	profile := "-env:UserInstallation=file://" + filepath.Join(dir, "lo-profile")
	run := func(args ...string) {
		cmd := exec.Command(soffice, append([]string{profile, "--headless", "--norestore"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice %v: %v\n%s", args, err, out)
		}
	}
	run("--infilter="+libreOfficeCSV, "--convert-to", "xlsx", "--outdir", dir, path)
	xlsx := strings.TrimSuffix(path, ".csv") + ".xlsx"
	checkNoFormula(t, xlsx)
	back := filepath.Join(dir, "back")
	run("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", back, xlsx)
	got := readCSVFile(t, filepath.Join(back, "export.csv"), 0)
	want := readCSVFile(t, path, 3) // after the BOM
	if len(got)-1 != total || len(want) != len(got) {
		t.Fatalf("LibreOffice sees %d rows, want %d", len(got)-1, total)
	}
	title := slices.Index(want[0], "title")
	bad, nonASCII, known := 0, 0, 0
	for i := 1; i < len(want); i++ {
		w, g := want[i][title], ""
		if title < len(got[i]) {
			g = got[i][title]
		}
		if g != w {
			if bad++; bad <= 3 {
				t.Errorf("row %d: LibreOffice's title %q, the export's %q", i+1, g, w)
			}
		}
		if strings.IndexFunc(w, func(r rune) bool { return r > 127 }) >= 0 {
			nonASCII++
		}
		if kt, ok := knownTitles[want[i][0]]; ok && g == kt {
			known++
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d titles changed in LibreOffice", bad, len(want)-1)
	}
	if known != len(knownTitles) || nonASCII == 0 {
		t.Fatalf("%d of the %d known titles intact, %d non-ASCII titles: the check saw too little", known, len(knownTitles), nonASCII)
	}
	if !bytes.Contains(mustRead(t, filepath.Join(back, "export.csv")), []byte("=HYPERLINK(")) {
		t.Fatalf("the formula text of the hand-written entry did not survive as text")
	}
	t.Logf("LibreOffice: %d rows, no formula, every title intact (%d with non-ASCII letters)", len(got)-1, nonASCII)
}

// checkNoFormula fails if a sheet of the xlsx file holds a formula cell.
func checkNoFormula(t *testing.T, xlsx string) {
	t.Helper()
	zr, err := zip.OpenReader(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	sheets := 0
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		sheets++
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if loc := formulaRE.FindIndex(b); loc != nil {
			t.Fatalf("%s holds a formula: %.200s", f.Name, b[loc[0]:])
		}
	}
	if sheets == 0 {
		t.Fatalf("%s has no sheet", xlsx)
	}
}

// readCSVFile reads the CSV file at path from byte skip on.
func readCSVFile(t *testing.T, path string, skip int) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(mustRead(t, path)[skip:]))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
