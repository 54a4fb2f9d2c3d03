package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLoopbackURL(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when refused
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://127.9.9.9:1", "http://127.9.9.9:1"},
		{"http://[::1]:8080", "http://[::1]:8080"},
		{"http://localhost:8080", "http://127.0.0.1:8080"},
		{"https://LOCALHOST:8443/x", "https://127.0.0.1:8443/x"},
		{"http://10.0.0.1:8080", ""},
		{"http://0.0.0.0:8080", ""},
		{"http://example.org", ""},
		{"http://127.0.0.1.nip.io", ""},
		{"http://localhost.example.org", ""},
		{"http://[::ffff:8.8.8.8]:80", ""},
		{"ftp://127.0.0.1", ""},
		{"127.0.0.1:8080", ""},
	}
	for _, tt := range tests {
		u, err := loopbackURL(tt.in)
		got := ""
		if err == nil {
			got = u.String()
		}
		if got != tt.want {
			t.Errorf("loopbackURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestLoadConfigBounds(t *testing.T) {
	ok := loadConfig{URL: "http://127.0.0.1:1", Duration: time.Second, Concurrency: 2, Clients: 1, Timeout: time.Second}
	tests := []struct {
		name   string
		adjust func(*loadConfig)
		valid  bool
	}{
		{"defaults", func(*loadConfig) {}, true},
		{"zero duration", func(c *loadConfig) { c.Duration = 0 }, false},
		{"two hours", func(c *loadConfig) { c.Duration = 2 * time.Hour }, false},
		{"no workers", func(c *loadConfig) { c.Concurrency = 0 }, false},
		{"too many workers", func(c *loadConfig) { c.Concurrency = 65 }, false},
		{"too many clients", func(c *loadConfig) { c.Clients = 251 }, false},
		{"skip two kinds", func(c *loadConfig) { c.Skip = []string{"suggest", "export_csv"} }, true},
		{"skip an unknown kind", func(c *loadConfig) { c.Skip = []string{"sugest"} }, false},
		{"skip every kind", func(c *loadConfig) {
			for _, k := range loadKinds {
				c.Skip = append(c.Skip, k.name)
			}
		}, false},
	}
	for _, tt := range tests {
		c := ok
		tt.adjust(&c)
		if err := c.validate(); (err == nil) != tt.valid {
			t.Errorf("%s: validate() = %v, want valid=%v", tt.name, err, tt.valid)
		}
	}
}

// fakeLoadServer answers the routes the mix uses; failPath answers 500.
type fakeLoadServer struct {
	mu       sync.Mutex
	paths    map[string]int
	sources  map[string]bool
	failPath string
}

func (f *fakeLoadServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	kind := r.URL.Path
	if i := strings.LastIndexByte(kind, '/'); strings.HasPrefix(kind, "/entries/") || strings.HasPrefix(kind, "/api/v1/entries/") || strings.HasPrefix(kind, "/api/v1/facets/") {
		kind = kind[:i]
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	f.mu.Lock()
	f.paths[kind]++
	f.sources[host] = true
	f.mu.Unlock()
	switch {
	case kind == f.failPath:
		http.Error(w, "boom", http.StatusInternalServerError)
	case kind == "/api/v1/submissions":
		w.WriteHeader(http.StatusCreated)
	case kind == "/api/v1/search":
		_ = json.NewEncoder(w).Encode(map[string]any{"total": 2, "hits": []map[string]string{{"id": "a1"}, {"id": "b2"}}})
	default:
		_, _ = w.Write([]byte("ok"))
	}
}

// TestLoadRun runs the load for a moment against a fake server: every kind
// of request is sent, from several source addresses, and a failing route
// makes the run fail.
func TestLoadRun(t *testing.T) {
	for _, fail := range []string{"", "/api/v1/suggest"} {
		f := &fakeLoadServer{paths: map[string]int{}, sources: map[string]bool{}, failPath: fail}
		srv := httptest.NewServer(f)
		cfg := &loadConfig{URL: srv.URL, Duration: 400 * time.Millisecond, Concurrency: 2, Clients: 4, Seed: 7,
			Token: "t", Timeout: time.Second, Skip: []string{"facet_values"}}
		rep, err := runLoadTest(context.Background(), cfg)
		srv.Close()
		if err != nil {
			t.Fatalf("runLoadTest: %v", err)
		}
		for _, k := range loadKinds {
			if rep.kinds[k.name] == nil && k.weight > 2 && k.name != "facet_values" {
				t.Errorf("fail=%q: no %s request was sent", fail, k.name)
			}
		}
		if rep.kinds["facet_values"] != nil || f.paths["/api/v1/facets"] != 0 {
			t.Errorf("fail=%q: a skipped kind was sent", fail)
		}
		if len(f.sources) < 2 {
			t.Errorf("fail=%q: requests came from %v, want several loopback addresses", fail, f.sources)
		}
		var b strings.Builder
		rep.print(&b)
		if fail == "" && (rep.errors != 0 || rep.status5xx != 0) {
			t.Errorf("clean run: %d errors, %d 5xx\n%s", rep.errors, rep.status5xx, b.String())
		}
		if fail != "" && (rep.status5xx == 0 || rep.errors == 0 || !strings.Contains(b.String(), "500=")) {
			t.Errorf("failing %s: %d errors, %d 5xx\n%s", fail, rep.errors, rep.status5xx, b.String())
		}
		if !strings.Contains(b.String(), "total: ") || !strings.Contains(b.String(), "p99") {
			t.Errorf("report lacks totals or percentiles:\n%s", b.String())
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {90, 90 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0, time.Millisecond}}
	for _, tt := range tests {
		if got := percentile(d, tt.p); got != tt.want {
			t.Errorf("percentile(1..100ms, %v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile(nil, 50) = %v, want 0", got)
	}
}
