package ui

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// searchParamSeeds are raw URL queries of /api/v1/search: valid ones, every
// parameter, and the shapes hostile_test.go and api_hostile_test.go probe.
var searchParamSeeds = []string{
	"",
	"q=water",
	"q=water&country=KEN&sdg=6&page=2&size=10&sort=newest",
	"q=%22digital+health%22+-mobile&action_line=C7.4,C7&year_from=2010&year_to=2020",
	"q=title:water*+OR+(health+AND+(rural+OR+clinic))&facets=sdg,country&lang=fr",
	"al=c7&region=africa&stakeholder=government&collection=covid-19&prize_status=winner&prize_year=2019&prize_category=10",
	"language=en&status=ongoing&lang_filter=fr&year=2015",
	"cursor=YWJjAGUwMDAy&size=5",
	"page=1000000000&size=1000000",
	"q=%ff%fe&%00=1",
	"q=a&q=b&page=1&page=2",
	"q=((((((((((a))))))))))&facets=none",
	"country=" + strings.Repeat("KEN,", 60),
	"sdg=+6+,+&region=%20",
	"year_from=2020&year_to=2010",
	"cursor=YWJj&page=2",
	"size=-1&page=0",
	"sort=%3Cscript%3E",
	"q=" + strings.Repeat("a*+", 200),
}

// maxFuzzTarget bounds the encoded query the fuzzer sends through
// app.Test, below the server's 16 KiB read buffer.
const maxFuzzTarget = 12 << 10

// targetQuery makes raw a valid request-target query: every byte that may
// not appear in a request line (controls, space, non-ASCII, '#') is
// percent-encoded, so the fuzzer still reaches every decoded byte.
func targetQuery(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c <= ' ' || c >= 0x7f || c == '#' {
			b.WriteString(url.QueryEscape(string(c)))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// FuzzSearchParams sends any URL query to /api/v1/search on a server with
// a small fake index: the answer is a 200 JSON result or a 4xx
// problem+json naming its code, never a 5xx, never a panic.
func FuzzSearchParams(f *testing.F) {
	for _, s := range searchParamSeeds {
		f.Add(s)
	}
	ts := newAPIServer(f, 30, func(c *Config) { c.API.RateLimit = -1 })
	f.Fuzz(func(t *testing.T, raw string) {
		query := targetQuery(raw)
		if len(query) > maxFuzzTarget {
			// app.Test cannot deliver a request line beyond the read
			// buffer; over the wire it is a 431 (hostile_test.go).
			return
		}
		req := &http.Request{
			Method:     http.MethodGet,
			URL:        &url.URL{Path: "/api/v1/search", RawQuery: query},
			Proto:      "HTTP/1.1",
			ProtoMajor: 1,
			ProtoMinor: 1,
			Header:     http.Header{},
			Host:       "example.org",
		}
		resp, err := ts.App().Test(req, -1)
		if err != nil {
			t.Fatalf("GET /api/v1/search?%s: %v", req.URL.RawQuery, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("read body: %v", err)
		}
		ct := resp.Header.Get("Content-Type")
		switch {
		case resp.StatusCode == http.StatusOK:
			var res struct {
				Total *int            `json:"total"`
				Hits  json.RawMessage `json:"hits"`
			}
			if !strings.HasPrefix(ct, "application/json") || json.Unmarshal(body, &res) != nil || res.Total == nil {
				t.Fatalf("GET /api/v1/search?%s = 200 %s %.300s, want a JSON result", req.URL.RawQuery, ct, body)
			}
		case resp.StatusCode >= 400 && resp.StatusCode < 500:
			var p problem
			if !strings.HasPrefix(ct, "application/problem+json") || json.Unmarshal(body, &p) != nil ||
				p.Status != resp.StatusCode || p.Code == "" || p.Detail == "" {
				t.Fatalf("GET /api/v1/search?%s = %d %s %.300s, want problem+json", req.URL.RawQuery, resp.StatusCode, ct, body)
			}
		default:
			t.Fatalf("GET /api/v1/search?%s = %d %.300s, want 200 or a 4xx", req.URL.RawQuery, resp.StatusCode, body)
		}
	})
}
