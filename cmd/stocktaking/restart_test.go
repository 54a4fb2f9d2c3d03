package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// TestServeRestartsAfterFirstBuild runs the real binary on an empty data
// directory: it loads the default data set, builds the index, replaces
// itself with a new run of the same command (same process), which serves
// the whole set without building again; a later start does not restart.
func TestServeRestartsAfterFirstBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("full default data set: skipped with -short")
	}
	bin := testBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	var logs bytes.Buffer
	srv := startBinary(t, bin, data, &logs, "-rate-limit", "-1")
	var res struct{ Total int }
	if code := getJSON(t, srv.base+"/api/v1/search?size=1", &res); code != 200 || res.Total < 15000 {
		t.Fatalf("search after the first start: status %d, total %d", code, res.Total)
	}
	srv.stop(t)
	out := logs.String()
	if n := strings.Count(out, "starting again to serve without the build's memory"); n != 1 {
		t.Fatalf("%d restart lines, want 1; logs:\n%s", n, out)
	}
	if !strings.Contains(out, `"loaded":"","open_time"`) {
		t.Fatalf("the second run built again; logs:\n%s", out)
	}
	// The serving line of the second run says what the first did.
	if !regexp.MustCompile(`"before_restart":"defaults [0-9.]+m?s"`).MatchString(out) {
		t.Errorf("the serving line does not carry the first run's build; logs:\n%s", out)
	}

	logs.Reset()
	srv = startBinary(t, bin, data, &logs, "-rate-limit", "-1")
	srv.stop(t)
	if strings.Contains(logs.String(), "starting again") {
		t.Fatalf("a start on a built index restarted; logs:\n%s", logs.String())
	}
}
