package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMaxBodyFlag checks -max-body: out of range it stops serve before the
// data directory is opened; set to 1 MiB, a 2 MiB submission gets 413 and
// a small one goes through.
func TestMaxBodyFlag(t *testing.T) {
	t.Setenv(envRestarted, "1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := filepath.Join(t.TempDir(), "data")
	for _, v := range []string{"0", "2000"} {
		err := runServe(ctx, []string{"-data", data, "-no-defaults", "-addr", "127.0.0.1:0", "-max-body", v})
		if err == nil || !strings.Contains(err.Error(), "-max-body") {
			t.Errorf("serve -max-body %s = %v, want an error naming the flag", v, err)
		}
	}
	cfg := &Config{Addr: "127.0.0.1:0", Data: t.TempDir(), LogLevel: "error", SearchBudget: 5 * time.Second,
		NoDefaults: true, RateLimit: -1, MaxBodyMiB: 1}
	srv, app, err := startServer(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	defer srv.Shutdown(5 * time.Second)
	post := func(n int) int {
		body := `{"title":"` + strings.Repeat("a", n) + `"}`
		resp, err := http.Post("http://"+srv.Addr().String()+"/api/v1/submissions", "application/json", bytes.NewBufferString(body))
		if err != nil {
			return -1 // the server may close before reading all of an oversized body
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(2 << 20); code != http.StatusRequestEntityTooLarge && code != -1 {
		t.Errorf("2 MiB body with -max-body 1: %d, want 413", code)
	}
	if code := post(100); code == http.StatusRequestEntityTooLarge || code == -1 {
		t.Errorf("small body with -max-body 1: %d", code)
	}
}
