package ui

import (
	"errors"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// pageFakeAnalytics is a search.AnalyticsSink with a fixed report.
type pageFakeAnalytics struct {
	report *search.AnalyticsReport
	err    error
	asked  int // the weeks of the last Report call
}

func (f *pageFakeAnalytics) Record(q string, filters []string, total int, at time.Time) {}

func (f *pageFakeAnalytics) Report(weeks int) (*search.AnalyticsReport, error) {
	f.asked = weeks
	return f.report, f.err
}

// pageFakeTokens is a search.TokenStore whose secrets are given.
type pageFakeTokens map[string]search.Token

func (f pageFakeTokens) CreateToken(name, role string, now time.Time) (string, error) {
	return "", errors.New("not supported")
}
func (f pageFakeTokens) Tokens() ([]search.Token, error) { return nil, nil }
func (f pageFakeTokens) RevokeToken(name string) error   { return nil }
func (f pageFakeTokens) Authenticate(secret string) (*search.Token, error) {
	if tok, ok := f[secret]; ok {
		return &tok, nil
	}
	return nil, search.Errorf(search.EUNAUTHORIZED, "unknown token")
}

const (
	hostileQuery  = `<script>alert(1)</script>`
	hostileQuery2 = `"><img src=x onerror=alert(1)>`
)

// analyticsReport is two weeks, the newest with hostile query texts.
func analyticsReport() *search.AnalyticsReport {
	return &search.AnalyticsReport{Weeks: []search.AnalyticsWeek{
		{Start: time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC), Searches: 1200, ZeroResults: 300,
			TopQueries:        []search.QueryCount{{Text: "e-health", Count: 40}, {Text: hostileQuery, Count: 7}},
			ZeroResultQueries: []search.QueryCount{{Text: hostileQuery2, Count: 5}, {Text: "javascript:alert(1)", Count: 2}},
			TopFilters:        []search.QueryCount{{Text: "sdg:3", Count: 30}, {Text: "country:FRA", Count: 9}, {Text: "<b>:x", Count: 1}}},
		{Start: time.Date(2025, 2, 24, 0, 0, 0, 0, time.UTC)},
	}}
}

// newAnalyticsServer is a page server with an admin "ada" (secret
// "admin-secret"), a moderator "mia" ("mod-secret") and the sink.
func newAnalyticsServer(t *testing.T, sink search.AnalyticsSink) *Server {
	t.Helper()
	tokens := pageFakeTokens{
		"admin-secret": {Name: "ada", Role: search.RoleAdmin},
		"mod-secret":   {Name: "mia", Role: search.RoleModerator},
	}
	s, _, _ := newPageServerWith(t, pageEntries(), func(c *Config) {
		c.Lifecycle.Tokens = tokens
		c.API.Analytics = sink
	})
	return s
}

// TestAnalyticsPage checks the tables in the four languages, the escaping
// of the recorded texts, the period and the page's privacy headers.
func TestAnalyticsPage(t *testing.T) {
	sink := &pageFakeAnalytics{report: analyticsReport()}
	s := newAnalyticsServer(t, sink)
	auth := []string{"Authorization", "Bearer admin-secret"}
	common := []string{
		`<meta name="robots" content="noindex">`,
		`<a href="#w-2025-03-03">`, `<section class="aweek" id="w-2025-03-03"`, "2025-W10", "2025-02-24",
		`<a href="/search?q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E`, html.EscapeString(hostileQuery),
		html.EscapeString(hostileQuery2), `/search?q=javascript%3Aalert%281%29`,
		`<a href="/search?sdg=3`, `&lt;b&gt;:x`,
	}
	tests := []struct {
		target string
		weeks  int
		want   []string
	}{
		{"/admin/analytics", defaultAnalyticsWeeks, []string{"<h1>Search analytics</h1>", "Signed in as ada", "<td>1,200</td>", "<td>25.0%</td>",
			"Most frequent queries without results", "Sustainable Development Goals: 3 · Good Health and Well-being", "Country: France",
			`<a href="/admin/analytics?weeks=8" aria-current="page">`, `<a href="/moderation">`}},
		{"/admin/analytics?weeks=12&lang=fr", 12, []string{"<h1>Statistiques de recherche</h1>", "<td>25,0 %</td>", "Pays: France",
			`<a href="/admin/analytics?weeks=12&amp;lang=fr" aria-current="page">`, `<a href="/search?q=e-health&amp;lang=fr">`}},
		{"/admin/analytics?lang=es", defaultAnalyticsWeeks, []string{"<h1>Estadísticas de búsqueda</h1>", "Consultas sin resultados más frecuentes"}},
		{"/admin/analytics?weeks=52&lang=ar", 52, []string{`<html lang="ar" dir="rtl">`, "<h1>إحصاءات البحث</h1>", "25.0٪"}},
	}
	for _, tt := range tests {
		p := fetchPage(t, s, tt.target, auth...)
		if p.status != 200 {
			t.Fatalf("GET %s = %d, want 200:\n%s", tt.target, p.status, p.body)
		}
		if sink.asked != tt.weeks {
			t.Errorf("GET %s: Report(%d), want Report(%d)", tt.target, sink.asked, tt.weeks)
		}
		p.mustContain(t, tt.target, append(tt.want, common...)...)
		p.mustNotContain(t, tt.target, `href="javascript:`, "<b>:x", `id="w-2025-02-24"`)
		if bad := unsafeHTML(p.body); len(bad) > 0 {
			t.Errorf("GET %s: %v", tt.target, bad)
		}
		if cc := p.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("GET %s: Cache-Control = %q, want no-store", tt.target, cc)
		}
	}
}

// TestAnalyticsPageStates covers the page without a sink, with an empty
// report, a failing sink and a bad period.
func TestAnalyticsPageStates(t *testing.T) {
	auth := []string{"Authorization", "Bearer admin-secret"}
	tests := []struct {
		name   string
		sink   search.AnalyticsSink
		target string
		status int
		want   []string
	}{
		{"off", nil, "/admin/analytics", 200, []string{"Search analytics are off on this server"}},
		{"off fr", nil, "/admin/analytics?lang=fr", 200, []string{"Les statistiques de recherche sont désactivées"}},
		{"empty", &pageFakeAnalytics{report: &search.AnalyticsReport{}}, "/admin/analytics", 200, []string{"No search was recorded in this period."}},
		{"failing", &pageFakeAnalytics{err: errors.New("disk gone")}, "/admin/analytics", 500, nil},
		{"bad weeks", &pageFakeAnalytics{report: analyticsReport()}, "/admin/analytics?weeks=99", 400, []string{"weeks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAnalyticsServer(t, tt.sink)
			p := fetchPage(t, s, tt.target, auth...)
			if p.status != tt.status {
				t.Fatalf("GET %s = %d, want %d", tt.target, p.status, tt.status)
			}
			p.mustContain(t, tt.target, tt.want...)
		})
	}
}

// TestAnalyticsPageNeedsAdmin shows the sign-in form (401) when signed
// out, refuses a moderator, and serves an admin's sign-in session.
func TestAnalyticsPageNeedsAdmin(t *testing.T) {
	s := newAnalyticsServer(t, &pageFakeAnalytics{report: analyticsReport()})
	p := fetchPage(t, s, "/admin/analytics")
	if p.status != http.StatusUnauthorized || !strings.Contains(p.body, `name="token"`) || strings.Contains(p.body, "e-health") {
		t.Fatalf("signed out: %d, want 401 with the sign-in form and no statistics", p.status)
	}
	if mod := fetchPage(t, s, "/admin/analytics", "Authorization", "Bearer mod-secret"); mod.status != http.StatusForbidden || strings.Contains(mod.body, "e-health") {
		t.Errorf("moderator: %d, want 403", mod.status)
	}

	// the sign-in form of the moderation pages leads back here
	csrfCookie := ""
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		if c.Name == cookieCSRF {
			csrfCookie = c.Value
		}
	}
	form := url.Values{"csrf": {csrfCookie}, "token": {"admin-secret"}, "next": {"/admin/analytics?lang=es"}}
	req := httptest.NewRequest(http.MethodPost, "/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: cookieCSRF, Value: csrfCookie})
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/analytics?lang=es" {
		t.Fatalf("sign-in = %d to %q, want 303 to the analytics page", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session string
	for _, c := range resp.Cookies() {
		if c.Name == cookieSession {
			session = c.Name + "=" + c.Value
		}
	}
	p = fetchPage(t, s, "/admin/analytics?lang=es", "Cookie", session)
	if p.status != 200 {
		t.Fatalf("signed in: %d, want 200", p.status)
	}
	p.mustContain(t, "/admin/analytics", "Estadísticas de búsqueda", "e-health", "Sesión iniciada como ada")
}
