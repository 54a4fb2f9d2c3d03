package ui

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestErrorPages renders the HTML error page for unknown paths and the
// problem+json document for the API and non-HTML clients.
func TestErrorPages(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	p := fetchPage(t, s, "/no/such/page")
	if p.status != 404 || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /no/such/page = %d %s, want 404 text/html", p.status, p.header.Get("Content-Type"))
	}
	p.mustContain(t, "/no/such/page", "<p class=\"code\">404</p>", "Page not found", `<a class="btn" href="/search">`, "Request reference: ")
	p = fetchPage(t, s, "/no/such/page", "Accept", "application/json")
	if p.status != 404 || !strings.HasPrefix(p.header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("GET /no/such/page as JSON = %d %s, want 404 problem+json", p.status, p.header.Get("Content-Type"))
	}
}

// TestPagesNeedNoInlineCode checks the CSP header and that no page holds
// inline script, inline style or event handler attributes.
func TestPagesNeedNoInlineCode(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	inline := regexp.MustCompile(`(?i)\son[a-z]+=|\sstyle=|<style|<script>|<script [^>]*>[^<]`)
	// the one script element with content allowed: the entry page's
	// schema.org data block, which browsers never execute (its URLs are data)
	jsonLD := regexp.MustCompile(`<script type="application/ld\+json">[^<]*</script>`)
	for _, target := range []string{"/search?q=health&sdg=3", "/entries/e2", "/nope", "/search?q=zzz"} {
		p := fetchPage(t, s, target)
		if n := len(jsonLD.FindAllString(p.body, -1)); n != map[bool]int{true: 1}[strings.HasPrefix(target, "/entries/")] {
			t.Errorf("GET %s: %d JSON-LD blocks", target, n)
		}
		p.body = jsonLD.ReplaceAllString(p.body, "")
		if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: Content-Security-Policy = %q", target, csp)
		}
		if m := inline.FindString(p.body); m != "" {
			t.Errorf("GET %s: inline code %q", target, m)
		}
		if strings.Contains(p.body, "http://") || strings.Contains(p.body, "//cdn") {
			t.Errorf("GET %s: the page refers to another origin", target)
		}
	}
}

// TestStaticFiles serves the hashed assets with long cache headers.
func TestStaticFiles(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	body := fetchPage(t, s, "/search").body
	tests := []struct {
		name, ctype, want string
	}{
		{"app.css", "text/css", ".sdg-17{background:#19486A;color:#FFFFFF"},
		{"app.js", "javascript", "use strict"},
		{"logo.svg", "image/svg+xml", "<svg"},
	}
	for _, tt := range tests {
		url := staticURL(tt.name)
		if !strings.Contains(body, url) && tt.name != "logo.svg" || !regexp.MustCompile(`^/static/[0-9a-f]{12}/`).MatchString(url) {
			t.Errorf("staticURL(%q) = %q, not used by the page", tt.name, url)
		}
		p := fetchPage(t, s, url)
		if p.status != 200 || !strings.Contains(p.header.Get("Content-Type"), tt.ctype) || !strings.Contains(p.body, tt.want) {
			t.Errorf("GET %s = %d %q, want 200 %s holding %q", url, p.status, p.header.Get("Content-Type"), tt.ctype, tt.want)
		}
		if cc := p.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: Cache-Control = %q, want immutable", url, cc)
		}
	}
	if p := fetchPage(t, s, "/static/000000000000/app.css"); p.status != 200 || p.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("stale hash: %d %q, want 200 no-cache", p.status, p.header.Get("Cache-Control"))
	}
	if p := fetchPage(t, s, "/static/000000000000/nope.js"); p.status != 404 {
		t.Errorf("unknown static file = %d, want 404", p.status)
	}
	if p := fetchPage(t, s, "/favicon.ico"); p.status != 301 || p.header.Get("Location") != staticURL("logo.svg") {
		t.Errorf("/favicon.ico = %d to %q, want 301 to the logo", p.status, p.header.Get("Location"))
	}
}

// TestLocalesAgree checks that every locale has the English keys with the
// same formatting verbs, so no translation breaks a sentence.
func TestLocalesAgree(t *testing.T) {
	verbs := regexp.MustCompile(`%[sd]`)
	read := func(lang string) map[string]string {
		raw, err := fs.ReadFile(localeFS, "locales/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("locale %s: %v", lang, err)
		}
		return m
	}
	en := read("en")
	for _, lang := range pageLangs[1:] {
		m := read(lang)
		if miss := missingKeys(en, m); len(miss) > 0 {
			t.Errorf("locale %s lacks %v", lang, miss)
		}
		if extra := missingKeys(m, en); len(extra) > 0 {
			t.Errorf("locale %s has unknown keys %v", lang, extra)
		}
		for k, v := range en {
			if got, want := strings.Join(verbs.FindAllString(m[k], -1), ""), strings.Join(verbs.FindAllString(v, -1), ""); got != want {
				t.Errorf("locale %s key %s has verbs %q, want %q", lang, k, got, want)
			}
		}
	}
}

// TestLangFallback checks the translation fallbacks.
func TestLangFallback(t *testing.T) {
	l := &locale{Code: "xx", msgs: map[string]string{"a": "x %d"}, parent: &locale{msgs: map[string]string{"b": "en b"}}}
	tests := []struct{ key, want string }{{"a", "x 3"}, {"b", "en b"}, {"c", "c"}}
	for _, tt := range tests {
		var got string
		if tt.key == "a" {
			got = l.T(tt.key, 3)
		} else {
			got = l.T(tt.key)
		}
		if got != tt.want {
			t.Errorf("T(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}
