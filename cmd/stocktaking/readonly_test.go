package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
)

// TestReadOnlyServesRestoredBackup runs the built command end to end: a
// server's store is backed up through its API, restored into a fresh data
// directory, and served with -read-only. Searches work, write routes answer
// 405 problem+json with code read_only, and the store file keeps every byte
// through the start (which builds the index under DATA/index), the requests
// and the shutdown.
func TestReadOnlyServesRestoredBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	bin := testBinary(t)
	src := filepath.Join(t.TempDir(), "src")
	fillReadOnlySource(t, src)
	out, err := exec.Command(bin, "token", "create", "-data", src, "-role", "admin", "-name", "ops").Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	admin := strings.TrimSpace(string(out))

	var logs bytes.Buffer
	primary := startBinary(t, bin, src, &logs)
	want := searchTotal(t, primary.base, "")
	backup := filepath.Join(t.TempDir(), "backup.db")
	cmd := exec.Command(bin, "backup", "-url", primary.base, backup)
	cmd.Env = append(os.Environ(), "STOCKTAKING_TOKEN="+admin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("backup through the server: %v\n%s", err, out)
	}
	primary.stop(t)

	replica := filepath.Join(t.TempDir(), "replica")
	if out, err := exec.Command(bin, "restore", "-data", replica, backup).CombinedOutput(); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	sum := func() [32]byte { return sha256.Sum256(readFile(t, storePath(replica))) }
	before := sum()

	srv := startBinary(t, bin, replica, &logs, "-read-only")
	if n := searchTotal(t, srv.base, ""); n != want || want == 0 {
		t.Errorf("the replica finds %d entries, the primary %d", n, want)
	}
	if n := searchTotal(t, srv.base, "telemedicine"); n == 0 {
		t.Error("searching telemedicine on the replica finds nothing")
	}
	for _, w := range []struct {
		method, path, token string
		body                any
	}{
		{"POST", "/api/v1/submissions", "", submission("replica")},
		{"POST", "/api/v1/admin/import?format=jsonl", admin, `{"id":"x","title":"X"}`},
		{"POST", "/api/v1/admin/reindex", admin, nil},
	} {
		checkReadOnlyRefusal(t, srv.base, w.method, w.path, w.token, w.body)
	}
	srv.stop(t)

	if sum() != before {
		t.Error("serving -read-only changed the bytes of the store file")
	}
	names, err := os.ReadDir(replica)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range names {
		got = append(got, d.Name())
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "index stocktaking.db" {
		t.Errorf("the replica's data directory holds %v; want the store and the derived index only", got)
	}
}

// fillReadOnlySource stores the hand-written entries in a new data dir.
func fillReadOnlySource(t *testing.T, dir string) {
	t.Helper()
	cfg := &Config{Data: dir, LogLevel: "error", NoDefaults: true}
	app, err := openApp(context.Background(), cfg, newLogger(cfg, os.Stderr))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	ch := search.Change{Author: "test", Time: time.Now().UTC()}
	if _, err := app.Service.Put(context.Background(), fixtures.HandWritten(), ch); err != nil {
		t.Fatal(err)
	}
}

// checkReadOnlyRefusal sends a write to a read-only server and requires
// 405 problem+json with code read_only.
func checkReadOnlyRefusal(t *testing.T, base, method, path, token string, body any) {
	t.Helper()
	var rd *strings.Reader
	switch b := body.(type) {
	case string:
		rd = strings.NewReader(b)
	case nil:
		rd = strings.NewReader("")
	default:
		j, _ := json.Marshal(b)
		rd = strings.NewReader(string(j))
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct{ Code, Detail string }
	ct := resp.Header.Get("Content-Type")
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != http.StatusMethodNotAllowed ||
		!strings.HasPrefix(ct, "application/problem+json") || p.Code != search.EREADONLY {
		t.Errorf("%s %s on the replica = %d %s %+v (%v); want 405 problem+json with code read_only",
			method, path, resp.StatusCode, ct, p, err)
	}
}
