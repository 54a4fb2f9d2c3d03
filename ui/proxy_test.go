package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// proxyServer serves an API test server on loopback, where every request
// comes from 127.0.0.1, with the given trusted proxies and adjustments.
func proxyServer(t *testing.T, trusted []string, adjust func(*Config)) string {
	t.Helper()
	ts := newAPIServer(t, 3, func(c *Config) {
		c.TrustedProxies = trusted
		if adjust != nil {
			adjust(c)
		}
	})
	addr, err := ts.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = ts.Serve() }()
	t.Cleanup(func() { _ = ts.Shutdown(5 * time.Second) })
	return "http://" + addr.String()
}

// proxied sends a request with the given X-Forwarded-* headers (name,
// value pairs) and returns the response, body closed.
func proxied(t *testing.T, method, u string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if method == "POST" {
		req.Body = http.NoBody
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestTrustedProxiesKeyTheRateLimits checks whose address the API rate
// limit and the submission limit count: the connection's, whatever
// X-Forwarded-For says, unless the connection comes from a trusted proxy;
// then the client's address in the header.
func TestTrustedProxiesKeyTheRateLimits(t *testing.T) {
	const xff = "X-Forwarded-For"
	for _, tc := range []struct {
		name    string
		trusted []string
	}{
		{"nobody trusted", nil},
		{"another proxy trusted", []string{"10.0.0.0/8", "192.0.2.7"}},
		{"loopback trusted", []string{"10.0.0.0/8", "127.0.0.1"}},
		{"loopback range trusted", []string{"127.0.0.0/8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trusted := strings.Contains(tc.name, "loopback")
			base := proxyServer(t, tc.trusted, func(c *Config) { c.API.RateLimit = 2 })
			for i := 0; i < 2; i++ {
				if r := proxied(t, "GET", base+"/api/v1/search", xff, "203.0.113.1"); r.StatusCode != http.StatusOK {
					t.Fatalf("search %d from client 1 = %d", i+1, r.StatusCode)
				}
			}
			// A second client behind the same proxy, or a client that
			// changes its header to escape the limit.
			r := proxied(t, "GET", base+"/api/v1/search", xff, "203.0.113.2, 127.0.0.1")
			if want := map[bool]int{true: http.StatusOK, false: http.StatusTooManyRequests}[trusted]; r.StatusCode != want {
				t.Errorf("search from client 2 = %d, want %d (keyed on %s)", r.StatusCode, want, map[bool]string{true: "the header", false: "the connection"}[trusted])
			}
			if r := proxied(t, "GET", base+"/api/v1/search", xff, "203.0.113.1"); r.StatusCode != http.StatusTooManyRequests {
				t.Errorf("third search from client 1 = %d, want 429", r.StatusCode)
			}
			if trusted {
				// no valid address in the header: the connection's
				if r := proxied(t, "GET", base+"/api/v1/search", xff, "unknown"); r.StatusCode != http.StatusOK {
					t.Errorf("search with X-Forwarded-For: unknown = %d, want 200 (keyed on the proxy)", r.StatusCode)
				}
			}

			// The submission limit, one an hour; the route answers 503
			// past the limiter (no submission store here).
			base = proxyServer(t, tc.trusted, func(c *Config) {
				c.API.RateLimit = -1
				c.Lifecycle.SubmitLimit = 1
			})
			if r := proxied(t, "POST", base+"/api/v1/submissions", xff, "203.0.113.1"); r.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("first submission = 429")
			}
			r = proxied(t, "POST", base+"/api/v1/submissions", xff, "203.0.113.2")
			if got := r.StatusCode == http.StatusTooManyRequests; got == trusted {
				t.Errorf("submission from client 2 = %d; limited %v, want %v", r.StatusCode, got, !trusted)
			}
			if r := proxied(t, "POST", base+"/api/v1/submissions", xff, "203.0.113.1"); r.StatusCode != http.StatusTooManyRequests {
				t.Errorf("second submission from client 1 = %d, want 429", r.StatusCode)
			}
		})
	}
}

// TestSecureCookiesOnlyFromTrustedProxies checks that X-Forwarded-Proto:
// https marks the cookies Secure only when a trusted proxy sends it.
func TestSecureCookiesOnlyFromTrustedProxies(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		var list []string
		if trusted {
			list = []string{"127.0.0.1"}
		}
		base := proxyServer(t, list, nil)
		for _, proto := range []string{"", "https"} {
			r := proxied(t, "GET", base+"/signin", "X-Forwarded-Proto", proto)
			var ck *http.Cookie
			for _, c := range r.Cookies() {
				if c.Name == cookieCSRF {
					ck = c
				}
			}
			if ck == nil {
				t.Fatalf("GET /signin = %d set no %s cookie", r.StatusCode, cookieCSRF)
			}
			if want := trusted && proto == "https"; ck.Secure != want {
				t.Errorf("trusted %v, X-Forwarded-Proto %q: cookie Secure = %v, want %v", trusted, proto, ck.Secure, want)
			}
		}
	}
}

func TestCheckTrustedProxies(t *testing.T) {
	for _, ok := range [][]string{nil, {"127.0.0.1"}, {"10.0.0.0/8", "::1", "fd00::/8"}} {
		if err := CheckTrustedProxies(ok); err != nil {
			t.Errorf("CheckTrustedProxies(%q) = %v", ok, err)
		}
	}
	for _, bad := range [][]string{{"proxy.example"}, {"10.0.0.0/33"}, {"127.0.0.1", ""}} {
		if err := CheckTrustedProxies(bad); err == nil {
			t.Errorf("CheckTrustedProxies(%q) accepted", bad)
		}
		if _, err := New(Config{TrustedProxies: bad}); err == nil {
			t.Errorf("New with TrustedProxies %q succeeded", bad)
		}
	}
}
