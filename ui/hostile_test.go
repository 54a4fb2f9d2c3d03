package ui

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Stored XSS payloads: one for element content, one that breaks out of an
// attribute.
const (
	xssScript = "<script>alert(1)</script>"
	xssAttr   = `"><img src=x onerror=alert(1)>`
)

// hostileEntries are entries whose every text field is a payload: h1 and h2
// with valid codes (what the store can hold), h3 with payloads in the coded
// fields too (what a corrupt or old store might hold).
func hostileEntries() []*search.Entry {
	t0 := time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)
	text := func(id, p, site string) *search.Entry {
		return &search.Entry{ID: id, Title: p + " alert", ShortDescription: p, Description: p, Organization: p,
			Stakeholder: "government", Country: "KEN", Region: "africa", Coverage: "national", Status: "ongoing",
			StartDate: p, EndDate: p, Year: 2015, ActionLines: []string{"C7.4"}, SDGs: []int{3}, Website: site,
			Language: "en", Collections: []string{"covid-19"}, Prizes: []search.Prize{{Year: 2016, Category: 10, Status: "winner"}},
			Created: t0, Updated: t0}
	}
	h3 := text("h3", xssAttr, "https://example.org/"+xssAttr)
	h3.Stakeholder, h3.Country, h3.Region, h3.Coverage, h3.Status, h3.Language = xssScript, xssAttr, xssScript, xssAttr, xssScript, xssAttr
	h3.ActionLines, h3.Collections = []string{xssScript}, []string{xssAttr}
	h3.Prizes = []search.Prize{{Year: 2016, Category: 10, Status: xssScript}}
	return []*search.Entry{text("h1", xssScript, "javascript:alert(1)"), text("h2", xssAttr, "https://example.org/"+xssAttr), h3}
}

// unsafeMarkup finds what would run in a browser: the payloads unescaped
// or a javascript: link.
var unsafeMarkup = regexp.MustCompile(`(?i)<script>alert|<img src=x|onerror=alert\(1\)>|(href|src|action|formaction)="\s*javascript:`)

// scriptElement matches a script element and its content.
var scriptElement = regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`)

// unsafeHTML lists unescaped markup of a payload in body, and script
// elements other than the site's own files and JSON-LD data.
func unsafeHTML(body string) []string {
	var out []string
	if m := unsafeMarkup.FindString(body); m != "" {
		i := strings.Index(body, m)
		out = append(out, fmt.Sprintf("unsafe markup %q in …%s…", m, body[max(0, i-80):min(len(body), i+80)]))
	}
	for _, m := range scriptElement.FindAllStringSubmatch(body, -1) {
		attrs, content := m[1], m[2]
		own := strings.HasPrefix(strings.TrimSpace(attrs), `src="/static/`) && strings.TrimSpace(content) == ""
		data := strings.Contains(attrs, `type="application/ld+json"`) && !strings.Contains(content, "<")
		if !own && !data {
			out = append(out, fmt.Sprintf("script element %.200q", m[0]))
		}
	}
	return out
}

// checkSafeHTML fails for every problem unsafeHTML finds in body.
func checkSafeHTML(t *testing.T, target string, body string) {
	t.Helper()
	for _, p := range unsafeHTML(body) {
		t.Errorf("GET %s: %s", target, p)
	}
}

// TestStoredXSSInPages renders every page that shows entries, and every
// parameterless page route, over entries made of payloads.
func TestStoredXSSInPages(t *testing.T) {
	s, _, _ := newPageServer(t, hostileEntries())
	targets := []string{
		"/entries/h1", "/entries/h2", "/entries/h3", "/search", "/search?q=alert", "/search?q=script",
		"/search?q=img&country=KEN", "/search?sort=title", "/?q=alert&lang=ar",
		// reflected: the query, the path and an id end up in the page
		"/search?q=" + url.QueryEscape(xssScript), "/search?q=" + url.QueryEscape(xssAttr),
		"/nope/" + url.PathEscape(xssScript), "/entries/" + url.PathEscape(xssAttr),
	}
	for _, r := range s.App().GetRoutes(true) {
		if r.Method == http.MethodGet && !strings.ContainsAny(r.Path, ":*") && !strings.HasPrefix(r.Path, "/api") {
			targets = append(targets, r.Path, r.Path+"?q=alert")
		}
	}
	for _, target := range targets {
		p := fetchPage(t, s, target)
		if p.status >= 500 {
			t.Errorf("GET %s = %d", target, p.status)
		}
		checkSafeHTML(t, target, p.body)
	}
	// the payload text is shown, escaped, not dropped
	p := fetchPage(t, s, "/entries/h1")
	p.mustContain(t, "/entries/h1", "&lt;script&gt;alert(1)&lt;/script&gt;")
}

// TestStoredXSSInAPIAndExport reads the payload entries through the JSON
// API and every export format: JSON escapes markup, and a CSV cell never
// starts a spreadsheet formula.
func TestStoredXSSInAPIAndExport(t *testing.T) {
	ts := newAPIServer(t, 3, func(c *Config) { c.API.RateLimit = -1 })
	formulas := []string{"=1+2", "+SUM(A1:A9)", "-2+3", "@cmd", "\t=1", "\r=1", `=HYPERLINK("http://x","y")`, "'=1"}
	var entries []*search.Entry
	for i, f := range formulas {
		e := hostileEntries()[i%2]
		e.ID = fmt.Sprintf("f%d", i)
		e.Title, e.Organization, e.ShortDescription, e.Description, e.StartDate = f+" alert", f, f, f, f
		entries = append(entries, e)
	}
	if _, _, err := ts.store.Put(append(hostileEntries(), entries...), search.Change{}); err != nil {
		t.Fatal(err)
	}
	// The API escapes markup in JSON; an export is a faithful data file,
	// sent as an attachment that a browser does not render.
	for _, target := range []string{"/api/v1/entries/h1", "/api/v1/entries/h3", "/api/v1/search?q=alert",
		"/api/v1/suggest?q=%3Cscript", "/api/v1/export?format=json", "/api/v1/export?format=jsonl"} {
		export := strings.Contains(target, "export")
		resp, body := ts.get(t, target)
		if resp.StatusCode != 200 || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s = %d, nosniff %q", target, resp.StatusCode, resp.Header.Get("X-Content-Type-Options"))
		}
		if ct := resp.Header.Get("Content-Type"); strings.Contains(ct, "html") {
			t.Errorf("GET %s: Content-Type %q", target, ct)
		}
		if export && !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("GET %s: Content-Disposition %q, want an attachment", target, resp.Header.Get("Content-Disposition"))
		}
		if !export && (strings.Contains(string(body), "<script") || strings.Contains(string(body), "<img")) {
			t.Errorf("GET %s: markup not escaped in JSON: %.200s", target, body)
		}
	}
	resp, body := ts.get(t, "/api/v1/export?format=csv&q=alert")
	if resp.StatusCode != 200 {
		t.Fatalf("CSV export = %d %s", resp.StatusCode, body)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
	if err != nil || len(rows) < len(formulas)+3 {
		t.Fatalf("CSV export: %d rows, %v", len(rows), err)
	}
	for _, row := range rows[1:] {
		for j, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("CSV row %s column %s starts a formula: %q", row[0], rows[0][j], cell)
			}
		}
	}
}

// TestHostileRequests sends oversized, malformed and confused requests to
// the pages and the API: each gets a 4xx (never a 5xx) and an answer that
// does not echo markup, in bounded time.
func TestHostileRequests(t *testing.T) {
	ts := newAPIServer(t, 20, func(c *Config) { c.API.RateLimit = -1; c.BodyLimit = 64 << 10 })
	tests := []struct {
		name, method, target, body string
		header                     map[string]string
		want                       int // 0: any 4xx
	}{
		{"page 10^9", "GET", "/search?page=1000000000", "", nil, 400},
		{"size 10^6", "GET", "/api/v1/search?size=1000000", "", nil, 400},
		{"5000 terms", "GET", "/search?q=" + strings.Repeat("a+", 5000), "", nil, 400},
		{"5000 wildcards", "GET", "/api/v1/search?q=" + strings.Repeat("a*+", 5000), "", nil, 400},
		{"deep nesting", "GET", "/api/v1/search?q=" + strings.Repeat("(", 490) + "a" + strings.Repeat(")", 490), "", nil, 200},
		{"deep nesting page", "GET", "/search?q=" + strings.Repeat("(", 490) + "a" + strings.Repeat(")", 490), "", nil, 200},
		{"invalid UTF-8 page", "GET", "/search?q=%ff%fe", "", nil, 400},
		{"invalid UTF-8 path", "GET", "/entries/%ff", "", nil, 0},
		{"overlong UTF-8", "GET", "/api/v1/search?q=%c0%bcscript", "", nil, 400},
		{"body on GET", "GET", "/api/v1/search", "{}", map[string]string{"Content-Type": "application/json"}, 415},
		{"DELETE a page", "DELETE", "/search", "", nil, 405},
		{"PUT an entry", "PUT", "/api/v1/entries/e0002", "", nil, 405},
		{"TRACE", "TRACE", "/", "", nil, 405},
		{"method override header", "POST", "/api/v1/entries/e0002", "", map[string]string{"X-HTTP-Method-Override": "GET"}, 405},
		{"static traversal", "GET", "/static/../../etc/passwd", "", nil, 404},
		{"static encoded traversal", "GET", "/static/%2e%2e/%2e%2e/etc/passwd", "", nil, 404},
		{"static encoded slash", "GET", "/static/x/..%2f..%2fetc%2fpasswd", "", nil, 404},
		{"static double encoding", "GET", "/static/x/%252e%252e%252fpasswd", "", nil, 404},
		{"static backslash", "GET", "/static/x/..%5c..%5cetc%5cpasswd", "", nil, 404},
		{"static NUL", "GET", "/static/x/app.css%00.html", "", nil, 404},
		{"entry traversal", "GET", "/entries/..%2f..%2fetc%2fpasswd", "", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			resp, body := ts.do(t, tt.method, tt.target, tt.header, tt.body)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("%s %.80s took %s", tt.method, tt.target, took)
			}
			if tt.want != 0 && resp.StatusCode != tt.want || tt.want == 0 && (resp.StatusCode < 400 || resp.StatusCode > 499) {
				t.Errorf("%s %.80s = %d, want %d: %.200s", tt.method, tt.target, resp.StatusCode, tt.want, body)
			}
			if strings.Contains(string(body), "root:") || strings.Contains(string(body), "<script>") {
				t.Errorf("%s %.80s leaks: %.200s", tt.method, tt.target, body)
			}
		})
	}
}

// TestProblemJSONIsValid checks that 4xx answers of the API are problem
// documents, also when the request was hostile.
func TestProblemJSONIsValid(t *testing.T) {
	ts := newAPIServer(t, 5, func(c *Config) { c.API.RateLimit = -1 })
	for _, target := range []string{"/api/v1/search?q=%ff", "/api/v1/entries/" + url.PathEscape(xssAttr), "/api/v1/nope?x=" + url.QueryEscape(xssScript)} {
		resp, body := ts.get(t, target)
		var p problem
		if err := json.Unmarshal(body, &p); err != nil || p.Status != resp.StatusCode || resp.StatusCode/100 != 4 {
			t.Errorf("GET %s = %d %.200s (%v)", target, resp.StatusCode, body, err)
		}
	}
}

// TestSlowClientsAreCutOff opens raw TCP connections that send a request
// a byte at a time (headers, then body): the server closes each within its
// read timeout instead of holding a connection open for ever.
func TestSlowClientsAreCutOff(t *testing.T) {
	ts := newAPIServer(t, 3, nil)
	if rt := ts.App().Config().ReadTimeout; rt <= 0 || rt > 30*time.Second {
		t.Fatalf("ReadTimeout = %s, want a bound of at most 30s", rt)
	}
	// The test shortens the timeout so that it runs in seconds; the server
	// enforces the configured one the same way.
	const timeout = time.Second
	ts.App().Server().ReadTimeout = timeout
	addr, err := ts.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = ts.Serve() }()
	t.Cleanup(func() { _ = ts.Shutdown(time.Second) })
	requests := map[string]string{
		"headers": "GET /search?q=health HTTP/1.1\r\nHost: x\r\nUser-Agent: slowloris\r\nX-A: " + strings.Repeat("a", 200) + "\r\n\r\n",
		"body":    "POST /api/v1/search HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n" + strings.Repeat("b", 4000),
	}
	for name, raw := range requests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", addr.String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			closed := make(chan time.Duration, 1)
			go func() {
				_, _ = io.Copy(io.Discard, bufio.NewReader(conn))
				closed <- time.Since(start)
			}()
			sent := 0
			for sent < len(raw) {
				if _, err := conn.Write([]byte{raw[sent]}); err != nil {
					break
				}
				sent++
				select {
				case took := <-closed:
					if took > timeout+2*time.Second {
						t.Errorf("cut off after %s, want within %s", took, timeout)
					}
					return
				case <-time.After(50 * time.Millisecond):
				}
				if time.Since(start) > timeout+3*time.Second {
					t.Fatalf("still connected after %s, %d of %d bytes sent", time.Since(start), sent, len(raw))
				}
			}
			t.Fatalf("the whole request (%d bytes) was read in %s without a cut", sent, time.Since(start))
		})
	}
}

// TestOversizedOverTheWire sends a body larger than BodyLimit and a header
// larger than the read buffer to the real listener: 413 and 431.
func TestOversizedOverTheWire(t *testing.T) {
	ts := newAPIServer(t, 3, func(c *Config) { c.BodyLimit = 64 << 10 })
	addr, err := ts.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = ts.Serve() }()
	t.Cleanup(func() { _ = ts.Shutdown(time.Second) })
	tests := []struct {
		name, method, header string
		body                 int
		want                 int
	}{
		{"8 MiB body", "POST", "", 8 << 20, http.StatusRequestEntityTooLarge},
		{"20 KiB header", "GET", strings.Repeat("h", 20<<10), 0, http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, tt := range tests {
		var header map[string]string
		if tt.header != "" {
			header = map[string]string{"X-Big": tt.header}
		}
		resp, _, err := rawRequest(addr.String(), tt.method, "/api/v1/search", header, tt.body)
		if err != nil {
			t.Fatalf("%s: no answer: %v", tt.name, err)
		}
		if resp.StatusCode != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
}

// TestUnsafeHTML shows that the checker of the XSS tests catches what it
// should and passes escaped text.
func TestUnsafeHTML(t *testing.T) {
	tests := []struct {
		body string
		safe bool
	}{
		{`<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><script src="/static/abc/app.js" defer></script>`, true},
		{`<script type="application/ld+json">{"name":"\u003cscript\u003ealert(1)"}</script>`, true},
		{`<a href="#ZgotmplZ">x</a><input value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;">`, true},
		{`<h1><script>alert(1)</script></h1>`, false},
		{`<input value=""><img src=x onerror=alert(1)>">`, false},
		{`<a href="javascript:alert(1)">`, false},
		{`<script>var x = 1</script>`, false},
		{`<script type="application/ld+json">{"a":"</x><b>"}</script>`, false},
	}
	for _, tt := range tests {
		if got := unsafeHTML(tt.body); (len(got) == 0) != tt.safe {
			t.Errorf("unsafeHTML(%q) = %q, want safe=%v", tt.body, got, tt.safe)
		}
	}
}
