package ui

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestAPIHostileRequests sends invalid and hostile requests and checks that
// each gets its documented 4xx as problem+json, naming the parameter at
// fault where there is one, with a message that says what is allowed.
func TestAPIHostileRequests(t *testing.T) {
	ts := newAPIServer(t, 30, nil)
	var countries []string
	for _, c := range search.Countries()[:51] {
		countries = append(countries, c.ISO3)
	}
	long := func(n int) string { return strings.Repeat("a", n) }
	q := url.QueryEscape
	tests := []struct {
		name, method, target string
		header               map[string]string
		body                 string
		status               int
		code, param, detail  string // detail: a substring of the message
	}{
		{"page not a number", "GET", "/api/v1/search?page=abc", nil, "", 400, "invalid", "page", "1 to 10000"},
		{"page zero", "GET", "/api/v1/search?page=0", nil, "", 400, "invalid", "page", "1 to 10000"},
		{"page negative", "GET", "/api/v1/search?page=-1", nil, "", 400, "invalid", "page", ""},
		{"page 10^9", "GET", "/api/v1/search?page=1000000000", nil, "", 400, "invalid", "page", ""},
		{"page fraction", "GET", "/api/v1/search?page=1.5", nil, "", 400, "invalid", "page", ""},
		{"page beyond result window", "GET", "/api/v1/search?page=200&size=100", nil, "", 400, "invalid", "page", "next_cursor"},
		{"size zero", "GET", "/api/v1/search?size=0", nil, "", 400, "invalid", "size", "1 to 100"},
		{"size 101", "GET", "/api/v1/search?size=101", nil, "", 400, "invalid", "size", "1 to 100"},
		{"size overflows int", "GET", "/api/v1/search?size=99999999999999999999999", nil, "", 400, "invalid", "size", ""},
		{"size exponent", "GET", "/api/v1/search?size=1e3", nil, "", 400, "invalid", "size", ""},
		{"unknown sort", "GET", "/api/v1/search?sort=random", nil, "", 400, "invalid", "sort", "relevance, newest, oldest, title"},
		{"script in sort", "GET", "/api/v1/search?sort=" + q("<script>alert(1)</script>"), nil, "", 400, "invalid", "sort", ""},
		{"year_from too early", "GET", "/api/v1/search?year_from=1999", nil, "", 400, "invalid", "year_from", "2003 to 2100"},
		{"year_from text", "GET", "/api/v1/search?year_from=abc", nil, "", 400, "invalid", "year_from", ""},
		{"year_to too late", "GET", "/api/v1/search?year_to=3000", nil, "", 400, "invalid", "year_to", ""},
		{"years reversed", "GET", "/api/v1/search?year_from=2020&year_to=2010", nil, "", 400, "invalid", "year_from", "after year_to"},
		{"unknown lang", "GET", "/api/v1/search?lang=de", nil, "", 400, "invalid", "lang", "en, fr, es, ar"},
		{"path traversal in lang", "GET", "/api/v1/search?lang=../../etc/passwd", nil, "", 400, "invalid", "lang", ""},
		{"unknown country", "GET", "/api/v1/search?country=XXX", nil, "", 400, "invalid", "country", "ISO 3166-1"},
		{"SQL injection in country", "GET", "/api/v1/search?country=" + q("' OR 1=1 --"), nil, "", 400, "invalid", "country", ""},
		{"SDG 18", "GET", "/api/v1/search?sdg=18", nil, "", 400, "invalid", "sdg", "1…17"},
		{"SDG 0", "GET", "/api/v1/search?sdg=0", nil, "", 400, "invalid", "sdg", ""},
		{"action line C12", "GET", "/api/v1/search?action_line=C12", nil, "", 400, "invalid", "action_line", "C1…C11"},
		{"unknown region", "GET", "/api/v1/search?region=mars", nil, "", 400, "invalid", "region", "africa"},
		{"unknown stakeholder", "GET", "/api/v1/search?stakeholder=alien", nil, "", 400, "invalid", "stakeholder", "government"},
		{"unknown collection", "GET", "/api/v1/search?collection=nope", nil, "", 400, "invalid", "collection", "covid-19"},
		{"unknown prize status", "GET", "/api/v1/search?prize_status=lost", nil, "", 400, "invalid", "prize_status", "winner"},
		{"prize category 19", "GET", "/api/v1/search?prize_category=19", nil, "", 400, "invalid", "prize_category", "1…18"},
		{"prize year 1800", "GET", "/api/v1/search?prize_year=1800", nil, "", 400, "invalid", "prize_year", ""},
		{"year filter text", "GET", "/api/v1/search?year=abc", nil, "", 400, "invalid", "year", ""},
		{"unknown language", "GET", "/api/v1/search?language=tlh", nil, "", 400, "invalid", "language", "en"},
		{"unknown status", "GET", "/api/v1/search?status=done", nil, "", 400, "invalid", "status", "ongoing"},
		{"filter value too long", "GET", "/api/v1/search?country=" + long(200), nil, "", 400, "invalid", "country", "longer than"},
		{"too many filter values", "GET", "/api/v1/search?country=" + strings.Join(countries, ","), nil, "", 400, "invalid", "country", "at most 50"},
		{"unknown facet to count", "GET", "/api/v1/search?facets=bogus", nil, "", 400, "invalid", "facets", "action_line"},
		{"none mixed into facets", "GET", "/api/v1/search?facets=none,sdg", nil, "", 400, "invalid", "facets", ""},
		{"unknown parameter", "GET", "/api/v1/search?foo=bar", nil, "", 400, "invalid", "foo", "unknown parameter"},
		{"huge parameter name", "GET", "/api/v1/search?" + long(1000) + "=1", nil, "", 400, "invalid", long(1000), "unknown parameter"},
		{"invalid UTF-8 in q", "GET", "/api/v1/search?q=%ff", nil, "", 400, "invalid", "q", "UTF-8"},
		{"invalid UTF-8 in a name", "GET", "/api/v1/search?%ff=1", nil, "", 400, "invalid", "", "UTF-8"},
		{"NUL in q", "GET", "/api/v1/search?q=a%00b", nil, "", 400, "invalid", "q", "control character"},
		{"terminal escape in q", "GET", "/api/v1/search?q=%1b%5b31m", nil, "", 400, "invalid", "q", "control character"},
		{"q over 1000 characters", "GET", "/api/v1/search?q=" + long(1001), nil, "", 400, "invalid", "q", "1000"},
		{"5000-term query", "GET", "/api/v1/search?q=" + q(strings.Repeat("a ", 5000)), nil, "", 400, "invalid", "q", "longer than"},
		{"q repeated", "GET", "/api/v1/search?q=a&q=b", nil, "", 400, "invalid", "q", "more than once"},
		{"lang repeated", "GET", "/api/v1/search?lang=en&lang=fr", nil, "", 400, "invalid", "lang", "more than once"},
		{"cursor with bad characters", "GET", "/api/v1/search?cursor=" + q("!!'; DROP"), nil, "", 400, "invalid", "cursor", "next_cursor"},
		{"cursor too long", "GET", "/api/v1/search?cursor=" + long(600), nil, "", 400, "invalid", "cursor", ""},
		{"cursor and page", "GET", "/api/v1/search?cursor=YWJj&page=2", nil, "", 400, "invalid", "cursor", "either page or cursor"},
		{"cursor the index cannot read", "GET", "/api/v1/search?cursor=YWJj", nil, "", 400, "invalid", "cursor", ""},
		{"entry id with a space", "GET", "/api/v1/entries/a%20b", nil, "", 400, "invalid", "id", "letters, digits"},
		{"entry id too long", "GET", "/api/v1/entries/" + long(65), nil, "", 400, "invalid", "id", ""},
		{"entry id with quotes", "GET", "/api/v1/entries/" + q(`"><img>`), nil, "", 400, "invalid", "id", ""},
		{"unknown entry", "GET", "/api/v1/entries/e9999", nil, "", 404, "not_found", "", ""},
		{"revisions of unknown entry", "GET", "/api/v1/entries/e9999/revisions", nil, "", 404, "not_found", "", ""},
		{"similar to unknown entry", "GET", "/api/v1/entries/e9999/similar", nil, "", 404, "not_found", "", ""},
		{"entry with a parameter", "GET", "/api/v1/entries/e0001?x=1", nil, "", 400, "invalid", "x", "no parameters"},
		{"revisions with a parameter", "GET", "/api/v1/entries/e0001/revisions?lang=en", nil, "", 400, "invalid", "lang", ""},
		{"similar size 0", "GET", "/api/v1/entries/e0001/similar?size=0", nil, "", 400, "invalid", "size", "1 to 50"},
		{"similar size 51", "GET", "/api/v1/entries/e0001/similar?size=51", nil, "", 400, "invalid", "size", ""},
		{"suggest without q", "GET", "/api/v1/suggest", nil, "", 400, "invalid", "q", "required"},
		{"suggest q too long", "GET", "/api/v1/suggest?q=" + long(101), nil, "", 400, "invalid", "q", "100"},
		{"suggest limit 21", "GET", "/api/v1/suggest?q=pro&limit=21", nil, "", 400, "invalid", "limit", "1 to 20"},
		{"suggest format xml", "GET", "/api/v1/suggest?q=pro&format=xml", nil, "", 400, "invalid", "format", "opensearch"},
		{"suggest invalid UTF-8", "GET", "/api/v1/suggest?q=%c3%28", nil, "", 400, "invalid", "q", "UTF-8"},
		{"unknown facet", "GET", "/api/v1/facets/bogus", nil, "", 400, "invalid", "facet", "organization"},
		{"facet limit 0", "GET", "/api/v1/facets/country?limit=0", nil, "", 400, "invalid", "limit", "1 to 1000"},
		{"facet prefix too long", "GET", "/api/v1/facets/country?prefix=" + long(101), nil, "", 400, "invalid", "prefix", ""},
		{"facet with a bad filter", "GET", "/api/v1/facets/country?sdg=42", nil, "", 400, "invalid", "sdg", ""},
		{"stats with a bad filter", "GET", "/api/v1/stats?sdg=99", nil, "", 400, "invalid", "sdg", ""},
		{"export as xlsx", "GET", "/api/v1/export?format=xlsx", nil, "", 400, "invalid", "format", "csv, jsonl or json"},
		{"export with a bad filter", "GET", "/api/v1/export?format=csv&country=ZZZ", nil, "", 400, "invalid", "country", ""},
		{"export with a bad page", "GET", "/api/v1/export?page=abc", nil, "", 400, "invalid", "page", ""},
		{"admin without a check", "GET", "/api/v1/admin/analytics", nil, "", 401, "unauthorized", "", "authentication"},
		{"admin bad weeks, no auth", "GET", "/api/v1/admin/analytics?weeks=100", nil, "", 401, "unauthorized", "", ""},
		{"openapi with a parameter", "GET", "/api/v1/openapi.json?x=1", nil, "", 400, "invalid", "x", ""},
		{"unknown API route", "GET", "/api/v1/nope", nil, "", 404, "not_found", "", "openapi.json"},
		{"unknown API version", "GET", "/api/v2/search", nil, "", 404, "not_found", "", ""},
		{"POST search", "POST", "/api/v1/search", nil, "", 405, "method_not_allowed", "", "GET"},
		{"DELETE entry", "DELETE", "/api/v1/entries/e0001", nil, "", 405, "method_not_allowed", "", ""},
		{"PUT export", "PUT", "/api/v1/export", nil, "", 405, "method_not_allowed", "", ""},
		{"PATCH stats", "PATCH", "/api/v1/stats", nil, "", 405, "method_not_allowed", "", ""},
		{"POST form to search", "POST", "/api/v1/search", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "q=water", 405, "method_not_allowed", "", ""},
		{"XML body on GET", "GET", "/api/v1/search", map[string]string{"Content-Type": "application/xml"}, "<q>water</q>", 415, "unsupported_media_type", "", "application/xml"},
		{"JSON body on GET", "GET", "/api/v1/search", map[string]string{"Content-Type": "application/json"}, `{"q":"water"}`, 415, "unsupported_media_type", "", "URL query"},
	}
	if len(tests) < 50 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := ts.do(t, tt.method, tt.target, tt.header, tt.body)
			if resp.StatusCode != tt.status {
				t.Fatalf("%s %.80s = %d %s, want %d", tt.method, tt.target, resp.StatusCode, body, tt.status)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type = %q, want application/problem+json", ct)
			}
			var p problem
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if p.Status != tt.status || p.Code != tt.code || p.Detail == "" || p.Title == "" {
				t.Errorf("problem = %+v, want status %d code %s and a detail", p, tt.status, tt.code)
			}
			if p.Param != tt.param && !(len(tt.param) > 100 && strings.HasPrefix(p.Param, tt.param[:40])) {
				t.Errorf("param = %.60q, want %.60q", p.Param, tt.param)
			}
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail = %q, want it to mention %q", p.Detail, tt.detail)
			}
			if len(p.Detail) > 600 {
				t.Errorf("detail is %d bytes long; a hostile value must not be echoed whole", len(p.Detail))
			}
			if tt.status == 405 && resp.Header.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
		})
	}
}

// TestAPIHostileButValid checks that odd but valid input is searched, not refused.
func TestAPIHostileButValid(t *testing.T) {
	ts := newAPIServer(t, 30, nil)
	for _, target := range []string{
		"/api/v1/search?q=" + url.QueryEscape("<script>alert(1)</script>"),
		"/api/v1/search?q=" + url.QueryEscape("' OR 1=1; DROP TABLE entries; --"),
		"/api/v1/search?q=" + url.QueryEscape(`"unclosed phrase`),
		"/api/v1/search?q=" + url.QueryEscape("水 مياه вода"),
		"/api/v1/search?country=kenya,KE,KEN&sdg=SDG%206&action_line=e-health",
		"/api/v1/search?q=&page=&sort=&year_from=&country=",
		"/api/v1/suggest?q=" + url.QueryEscape("${jndi:ldap://x}"),
	} {
		resp, body := ts.get(t, target)
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d %s, want 200", target, resp.StatusCode, body)
		}
	}
}

// TestAPIUnknownMethod: fiber refuses a method it does not know before any
// handler runs, with a plain 400; still a client error, never a 5xx.
func TestAPIUnknownMethod(t *testing.T) {
	ts := newAPIServer(t, 3, nil)
	resp, body := ts.do(t, "FOO", "/api/v1/search", nil, "")
	if resp.StatusCode != 400 {
		t.Errorf("FOO /api/v1/search = %d %s, want 400", resp.StatusCode, body)
	}
}
