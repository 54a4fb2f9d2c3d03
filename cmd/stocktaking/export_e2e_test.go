package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
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

// checkLibreOffice converts the export to xlsx and back to CSV with
// LibreOffice, when it is installed: the row count must survive and a
// formula-looking cell must come back as the same text (not executed).
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
	run("--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", dir, path)
	xlsx := strings.TrimSuffix(path, ".csv") + ".xlsx"
	back := filepath.Join(dir, "back")
	run("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", back, xlsx)
	raw, err := os.ReadFile(filepath.Join(back, "export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("LibreOffice's CSV: %v", err)
	}
	if len(rows)-1 != total {
		t.Fatalf("LibreOffice sees %d rows, want %d", len(rows)-1, total)
	}
	if !bytes.Contains(raw, []byte("=HYPERLINK(")) {
		t.Fatalf("the formula text of the hand-written entry did not survive as text")
	}
	t.Logf("LibreOffice: %s rows, formula text kept as text", strconv.Itoa(len(rows)-1))
}
