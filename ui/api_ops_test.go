package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestMetrics parses /metrics with Prometheus's own parser after some
// traffic and checks the series by route pattern and status.
func TestMetrics(t *testing.T) {
	ts := newAPIServer(t, 10, nil)
	ts.get(t, "/api/v1/search?q=water")
	ts.get(t, "/api/v1/entries/e0001")
	ts.get(t, "/api/v1/entries/e0002")
	ts.get(t, "/api/v1/entries/e9999")
	ts.get(t, "/api/v1/search?page=0")
	ts.get(t, "/no/such/page")
	resp, body := ts.get(t, "/metrics")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	value := func(name string, labels map[string]string) float64 {
		t.Helper()
		mf, ok := fams[name]
		if !ok {
			t.Fatalf("no family %s", name)
		}
	next:
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, lp := range m.GetLabel() {
				got[lp.GetName()] = lp.GetValue()
			}
			for k, v := range labels {
				if got[k] != v {
					continue next
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount())
			}
		}
		t.Errorf("%s%v: no such series", name, labels)
		return -1
	}
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"stocktaking_http_requests_total", map[string]string{"route": "/api/v1/entries/:id", "method": "GET", "status": "200"}, 2},
		{"stocktaking_http_requests_total", map[string]string{"route": "/api/v1/entries/:id", "method": "GET", "status": "404"}, 1},
		{"stocktaking_http_requests_total", map[string]string{"route": "/api/v1/search", "status": "400"}, 1},
		{"stocktaking_http_requests_total", map[string]string{"route": "unmatched", "status": "404"}, 1},
		{"stocktaking_http_request_duration_seconds", map[string]string{"route": "/api/v1/search"}, 2},
		{"stocktaking_searches_total", map[string]string{"outcome": "ok"}, 1},
		{"stocktaking_search_duration_seconds", nil, 1},
		{"stocktaking_index_documents", nil, 9},
		{"stocktaking_store_entries", nil, 10},
		{"stocktaking_index_size_bytes", nil, 12345},
		{"stocktaking_last_reindex_timestamp_seconds", nil, 1700000000},
	} {
		if got := value(tc.name, tc.labels); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

// apiFailingIndex answers no search.
type apiFailingIndex struct{ *apiFakeIndex }

func (apiFailingIndex) Search(ctx context.Context, req *search.Request) (*search.Result, error) {
	return nil, errors.New("index closed")
}

func TestReadiness(t *testing.T) {
	ts := newAPIServer(t, 3, nil)
	if resp, body := ts.get(t, "/readyz"); resp.StatusCode != 200 || string(body) != "ready" {
		t.Errorf("/readyz = %d %q, want 200 ready", resp.StatusCode, body)
	}
	broken := newAPIServer(t, 3, func(c *Config) {
		c.Service.Index = apiFailingIndex{&apiFakeIndex{store: c.Service.Store.(*apiFakeStore)}}
	})
	if resp, body := broken.do(t, "GET", "/readyz", map[string]string{"Accept": "application/json"}, ""); resp.StatusCode != 503 {
		t.Errorf("/readyz on a broken index = %d %s, want 503", resp.StatusCode, body)
	}
	if resp, _ := broken.get(t, "/healthz"); resp.StatusCode != 200 {
		t.Errorf("/healthz on a broken index = %d, want 200: the process is alive", resp.StatusCode)
	}
}

func TestAdminAnalytics(t *testing.T) {
	ts := newAPIServer(t, 10, func(c *Config) {
		c.API.AdminCheck = func(c *fiber.Ctx) error {
			if c.Get("Authorization") != "Bearer secret" {
				return search.Errorf(search.EUNAUTHORIZED, "a valid administrator token is required")
			}
			return nil
		}
	})
	ts.get(t, "/api/v1/search?q=water")
	if resp, _ := ts.get(t, "/api/v1/admin/analytics"); resp.StatusCode != 401 {
		t.Errorf("without a token: %d, want 401", resp.StatusCode)
	}
	auth := map[string]string{"Authorization": "Bearer secret"}
	if resp, body := ts.do(t, "GET", "/api/v1/admin/analytics?weeks=60", auth, ""); resp.StatusCode != 400 {
		t.Errorf("weeks=60: %d %s, want 400", resp.StatusCode, body)
	}
	resp, body := ts.do(t, "GET", "/api/v1/admin/analytics?weeks=2", auth, "")
	var rep search.AnalyticsReport
	if resp.StatusCode != 200 || json.Unmarshal(body, &rep) != nil || len(rep.Weeks) != 1 || rep.Weeks[0].Searches != 1 {
		t.Errorf("report: %d %s", resp.StatusCode, body)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
}

func TestSitemapAndOpenSearch(t *testing.T) {
	ts := newAPIServer(t, 10, nil)
	resp, body := ts.get(t, "/sitemap.xml")
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			Lastmod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(body, &sm); err != nil || resp.StatusCode != 200 {
		t.Fatalf("sitemap: %d %v", resp.StatusCode, err)
	}
	if len(sm.URLs) != 10 { // home + 9 published (e0005 is withdrawn)
		t.Errorf("sitemap has %d URLs, want 10", len(sm.URLs))
	}
	if sm.URLs[1].Loc != "https://wsis.example.org/entries/e0001" || sm.URLs[1].Lastmod != "2021-03-04" {
		t.Errorf("sitemap URL = %+v", sm.URLs[1])
	}
	for _, u := range sm.URLs {
		if strings.HasSuffix(u.Loc, "e0005") {
			t.Error("withdrawn entry in the sitemap")
		}
	}

	resp, body = ts.get(t, "/opensearch.xml")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `template="https://wsis.example.org/search?q={searchTerms}"`) {
		t.Errorf("opensearch: %d %s", resp.StatusCode, body)
	}
	resp, body = ts.get(t, "/api/v1/suggest?q=project+1&format=opensearch")
	var sug []any
	if resp.StatusCode != 200 || json.Unmarshal(body, &sug) != nil || len(sug) != 2 || sug[0] != "project 1" {
		t.Errorf("opensearch suggestions: %d %s", resp.StatusCode, body)
	}
}

func TestEntryJSONLD(t *testing.T) {
	e := apiEntries(3)[2]
	e.Title = `Tricky </script><script>alert("x")</script>`
	e.Prizes = []search.Prize{{Year: 2024, Category: 3, Status: "winner"}}
	e.SDGs = []int{3, 5}
	got := string(entryJSONLD(e, "https://wsis.example.org/"))
	if strings.Contains(got, "</") || strings.Contains(got, "<script") {
		t.Errorf("JSON-LD can close its script element: %s", got)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(got), &doc); err != nil {
		t.Fatalf("JSON-LD is not JSON: %v", err)
	}
	for k, want := range map[string]any{
		"@type": "CreativeWork", "url": "https://wsis.example.org/entries/e0003", "name": e.Title,
		"dateModified": "2021-03-04",
	} {
		if doc[k] != want {
			t.Errorf("%s = %v, want %v", k, doc[k], want)
		}
	}
	if cov, _ := doc["spatialCoverage"].(map[string]any); cov["identifier"] != "KEN" {
		t.Errorf("spatialCoverage = %v", doc["spatialCoverage"])
	}
	if kw, _ := doc["keywords"].([]any); len(kw) != 3 || !strings.HasPrefix(kw[1].(string), "SDG 3: ") {
		t.Errorf("keywords = %v", doc["keywords"])
	}
	if aw, _ := doc["award"].([]any); len(aw) != 1 {
		t.Errorf("award = %v", doc["award"])
	}
}
