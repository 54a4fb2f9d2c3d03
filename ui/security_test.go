package ui

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// cspAllowed is, for each directive the policy must hold, the sources it
// may allow. A directive that is missing falls back to default-src when it
// is a fetch directive; base-uri, form-action and frame-ancestors do not.
var cspAllowed = map[string][]string{
	"default-src":     {"'self'", "'none'"},
	"script-src":      {"'self'", "'none'"},
	"style-src":       {"'self'", "'none'"},
	"img-src":         {"'self'", "data:", "'none'"},
	"object-src":      {"'none'"},
	"frame-ancestors": {"'none'"},
	"base-uri":        {"'self'", "'none'"},
	"form-action":     {"'self'", "'none'"},
}

var cspFetchDirective = map[string]bool{"script-src": true, "style-src": true, "img-src": true, "object-src": true}

// parseCSP splits a policy into its directives' source lists.
func parseCSP(policy string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[strings.ToLower(f[0])] = f[1:]
		}
	}
	return out
}

// cspProblems lists why policy is weaker than securityPolicy requires.
func cspProblems(policy string) []string {
	dirs := parseCSP(policy)
	var out []string
	names := make([]string, 0, len(cspAllowed))
	for n := range cspAllowed {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		srcs, ok := dirs[name]
		if !ok && cspFetchDirective[name] {
			srcs, ok = dirs["default-src"]
		}
		if !ok {
			out = append(out, name+" is missing")
			continue
		}
		for _, src := range srcs {
			allowed := false
			for _, a := range cspAllowed[name] {
				allowed = allowed || strings.EqualFold(src, a)
			}
			if !allowed {
				out = append(out, name+" allows "+src)
			}
		}
	}
	return out
}

func TestCSPProblems(t *testing.T) {
	tests := []struct {
		policy string
		want   int
	}{
		{securityPolicy, 0},
		{contentSecurityPolicy, 0},
		{"default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'", 0},
		{"default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'", 1},
		{"default-src *; frame-ancestors 'none'; base-uri 'self'; form-action 'self'", 5},
		{"", 8},
	}
	for _, tt := range tests {
		if got := cspProblems(tt.policy); len(got) != tt.want {
			t.Errorf("cspProblems(%q) = %q, want %d problems", tt.policy, got, tt.want)
		}
	}
}

// routeTarget fills the parameters of a route path with sample values.
func routeTarget(path string) string {
	samples := map[string]string{"id": "e0002", "facet": "country", "hash": "0", "name": "app.css", "ref": "R1"}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case strings.HasPrefix(s, ":"):
			v, ok := samples[strings.TrimRight(s[1:], "?+*")]
			if !ok {
				v = "x"
			}
			segs[i] = v
		case s == "*" || s == "+":
			segs[i] = "x"
		}
	}
	return strings.Join(segs, "/")
}

// checkSecurityHeaders fails for every missing or weak security header.
func checkSecurityHeaders(t *testing.T, what string, h http.Header, tls bool) {
	t.Helper()
	if p := cspProblems(h.Get("Content-Security-Policy")); len(p) > 0 {
		t.Errorf("%s: Content-Security-Policy %q: %s", what, h.Get("Content-Security-Policy"), strings.Join(p, "; "))
	}
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
		"X-Frame-Options":        "DENY",
		"Permissions-Policy":     permissionsPolicy,
	}
	for name, v := range want {
		got := h.Get(name)
		// a page may choose a stricter referrer policy
		if got != v && !(name == "Referrer-Policy" && got == "no-referrer") {
			t.Errorf("%s: %s = %q, want %q", what, name, got, v)
		}
	}
	if hsts := h.Get("Strict-Transport-Security"); tls != (hsts != "") {
		t.Errorf("%s: Strict-Transport-Security = %q over TLS=%v", what, hsts, tls)
	}
}

// TestSecurityHeadersOnEveryRoute sends every method of every registered
// route, and error paths, and checks the security headers on each answer,
// whatever its status.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	ts := newAPIServer(t, 12, func(c *Config) { c.API.RateLimit = -1 })
	seen := map[string]bool{}
	var targets [][2]string
	for _, r := range ts.App().GetRoutes(true) {
		k := r.Method + " " + routeTarget(r.Path)
		if !seen[k] && r.Method != http.MethodConnect {
			seen[k] = true
			targets = append(targets, [2]string{r.Method, routeTarget(r.Path)})
		}
	}
	if len(targets) < 15 {
		t.Fatalf("only %d routes found: %v", len(targets), targets)
	}
	targets = append(targets,
		[2]string{"GET", "/no/such/page"}, [2]string{"GET", "/api/v1/nope"},
		[2]string{"GET", "/search?page=0"}, [2]string{"GET", "/api/v1/search?size=0"},
		[2]string{"GET", "/entries/none"}, [2]string{"DELETE", "/search"},
		[2]string{"GET", "/static/../../etc/passwd"})
	for _, tg := range targets {
		for _, tls := range []bool{false, true} {
			req := httptest.NewRequest(tg[0], tg[1], nil)
			if tls {
				req.Header.Set("X-Forwarded-Proto", "https")
			}
			resp, err := ts.App().Test(req, -1)
			if err != nil {
				t.Fatalf("%s %s: %v", tg[0], tg[1], err)
			}
			resp.Body.Close()
			if resp.StatusCode >= 500 && resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("%s %s = %d", tg[0], tg[1], resp.StatusCode)
			}
			checkSecurityHeaders(t, tg[0]+" "+tg[1], resp.Header, tls)
		}
	}
}

// TestHSTSOnlyOverTLS checks how the scheme the client used is read.
func TestHSTSOnlyOverTLS(t *testing.T) {
	ts := newAPIServer(t, 3, nil)
	tests := []struct {
		proto string
		want  bool
	}{
		{"", false}, {"http", false}, {"https", true}, {"HTTPS", true}, {"https, http", true}, {"http, https", false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", "/healthz", nil)
		if tt.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		resp, err := ts.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Strict-Transport-Security"); (got == hstsPolicy) != tt.want {
			t.Errorf("X-Forwarded-Proto %q: Strict-Transport-Security = %q, want set=%v", tt.proto, got, tt.want)
		}
	}
}
