package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTrustedProxiesFlag checks -trusted-proxies from the command line and
// its environment fallback: a bad entry stops serve before it opens the
// data directory, and a served -trusted-proxies 127.0.0.1 keys the API rate
// limit on X-Forwarded-For.
func TestTrustedProxiesFlag(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	// Should the check fail to refuse, serve stops at once (cancelled
	// context) without loading the default set or starting again.
	t.Setenv(envRestarted, "1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := runServe(ctx, []string{"-data", data, "-no-defaults", "-addr", "127.0.0.1:0", "-trusted-proxies", "10.0.0.0/8, proxy.example"})
	if err == nil || !strings.Contains(err.Error(), "-trusted-proxies") || !strings.Contains(err.Error(), "proxy.example") {
		t.Errorf("serve -trusted-proxies with a host name = %v, want an error naming the flag and the entry", err)
	}
	t.Setenv("STOCKTAKING_TRUSTED_PROXIES", "10.0.0.0/33")
	if err := runServe(ctx, []string{"-data", data, "-no-defaults", "-addr", "127.0.0.1:0"}); err == nil || !strings.Contains(err.Error(), "10.0.0.0/33") {
		t.Errorf("STOCKTAKING_TRUSTED_PROXIES=10.0.0.0/33: serve = %v, want an error", err)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("a refused -trusted-proxies created the data directory: %v", err)
	}
	if got := (&Config{TrustedProxies: " 127.0.0.1, ,::1 "}).trustedProxies(); strings.Join(got, "|") != "127.0.0.1|::1" {
		t.Errorf("trustedProxies() = %q", got)
	}

	for _, trusted := range []string{"", "127.0.0.1"} {
		cfg := &Config{Addr: "127.0.0.1:0", Data: t.TempDir(), LogLevel: "error", SearchBudget: 5 * time.Second,
			NoDefaults: true, RateLimit: 1, TrustedProxies: trusted}
		srv, app, err := startServer(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		base := "http://" + srv.Addr().String()
		get := func(client string) int {
			req, _ := http.NewRequest("GET", base+"/api/v1/search", nil)
			req.Header.Set("X-Forwarded-For", client)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		first, second := get("198.51.100.1"), get("198.51.100.2")
		want := http.StatusTooManyRequests // keyed on the connection: one client
		if trusted != "" {
			want = http.StatusOK // keyed on the header: two clients
		}
		if first != http.StatusOK || second != want {
			t.Errorf("-trusted-proxies %q: two clients behind one proxy got %d and %d, want 200 and %d", trusted, first, second, want)
		}
		_ = srv.Shutdown(5 * time.Second)
		_ = app.Close()
	}
}
