package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gofiber/fiber/v2"
)

func init() {
	// media types kin-openapi has no decoder for: checked as plain text
	for _, ct := range []string{"application/x-ndjson", "application/xml", "text/html",
		"application/opensearchdescription+xml", "application/x-suggestions+json"} {
		dec := openapi3filter.PlainBodyDecoder
		if strings.HasSuffix(ct, "json") && ct != "application/x-ndjson" {
			dec = openapi3filter.JSONBodyDecoder
		}
		openapi3filter.RegisterBodyDecoder(ct, dec)
	}
}

// loadOpenAPI loads and validates the embedded document as OpenAPI 3.1
// (kin-openapi v0.153 validates 3.1 documents and uses JSON Schema 2020-12
// for 3.1 response bodies).
func loadOpenAPI(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(openAPIJSON)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is invalid: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// TestOpenAPIConformance sends real requests to every route and validates
// each request (when it is meant to be valid) and each response (always)
// against the document. Undocumented statuses fail too.
func TestOpenAPIConformance(t *testing.T) {
	_, router := loadOpenAPI(t)
	full := newAPIServer(t, 30, func(c *Config) {
		c.API.AdminCheck = func(*fiber.Ctx) error { return nil }
		c.Reindex = func(context.Context) error { return nil }
	})
	bare := newAPIServer(t, 5, func(c *Config) {
		c.Suggester, c.Similar, c.Stats, c.Matcher, c.Facets = nil, nil, nil, nil, nil
		c.API.Analytics = nil
	})
	limited := newAPIServer(t, 5, func(c *Config) { c.API.RateLimit = 1 })
	limited.get(t, "/api/v1/search")

	_, body := full.get(t, "/api/v1/search?size=2&facets=none")
	cursor := apiDecodeResult(t, body).NextCursor
	if cursor == "" {
		t.Fatal("no next_cursor on the first page")
	}
	entry := full.store.entries["e0003"]
	entry.Prizes = nil

	tests := []struct {
		ts      *apiTestServer
		method  string
		target  string
		header  map[string]string
		body    string
		status  int
		invalid bool // the request itself breaks the document's rules
	}{
		{full, "GET", "/api/v1/search?q=water&size=3", nil, "", 200, false},
		{full, "GET", "/api/v1/search?country=KEN&sdg=4&facets=sdg,country&sort=newest&lang=fr&year_from=2005&year_to=2020", nil, "", 200, false},
		{full, "GET", "/api/v1/search?size=2&facets=none&cursor=" + url.QueryEscape(cursor), nil, "", 200, false},
		{full, "GET", "/api/v1/search?q=zzzz", nil, "", 200, false},
		{full, "GET", "/api/v1/search?page=0", nil, "", 400, true},
		{full, "GET", "/api/v1/search", map[string]string{"Content-Type": "application/json"}, "{}", 415, true},
		{full, "GET", "/api/v1/entries/e0003", nil, "", 200, false},
		{full, "GET", "/api/v1/entries/e0005", nil, "", 200, false},
		{full, "GET", "/api/v1/entries/e9999", nil, "", 404, false},
		{full, "GET", "/api/v1/entries/e0003/similar?size=3&lang=en", nil, "", 200, false},
		{full, "GET", "/api/v1/entries/e0003/revisions", nil, "", 200, false},
		{full, "GET", "/api/v1/entries/e9999/revisions", nil, "", 404, false},
		{full, "GET", "/api/v1/suggest?q=pro&limit=3", nil, "", 200, false},
		{full, "GET", "/api/v1/suggest?q=pro&format=opensearch", nil, "", 200, false},
		{full, "GET", "/api/v1/suggest", nil, "", 400, true},
		{full, "GET", "/api/v1/facets/country?prefix=K&limit=5&q=water", nil, "", 200, false},
		{full, "GET", "/api/v1/facets/bogus", nil, "", 400, true},
		{full, "GET", "/api/v1/stats?country=KEN", nil, "", 200, false},
		{full, "GET", "/api/v1/export?format=csv&country=KEN", nil, "", 200, false},
		{full, "GET", "/api/v1/export?format=jsonl", nil, "", 200, false},
		{full, "GET", "/api/v1/export?format=json&q=water", nil, "", 200, false},
		{full, "GET", "/api/v1/openapi.json", nil, "", 200, false},
		{full, "GET", "/api/v1/admin/analytics?weeks=3", nil, "", 200, false},
		{full, "POST", "/api/v1/admin/reindex", nil, "", 202, false},
		{full, "GET", "/api/v1/admin/reindex", nil, "", 200, false},
		{bare, "POST", "/api/v1/admin/reindex", nil, "", 401, false},
		{full, "GET", "/api", nil, "", 200, false},
		{full, "GET", "/healthz", nil, "", 200, false},
		{full, "GET", "/readyz", nil, "", 200, false},
		{full, "GET", "/metrics", nil, "", 200, false},
		{full, "GET", "/opensearch.xml", nil, "", 200, false},
		{full, "GET", "/sitemap.xml", nil, "", 200, false},
		{bare, "GET", "/api/v1/suggest?q=pro", nil, "", 503, false},
		{bare, "GET", "/api/v1/entries/e0001/similar", nil, "", 503, false},
		{bare, "GET", "/api/v1/stats", nil, "", 503, false},
		{bare, "GET", "/api/v1/facets/sdg", nil, "", 503, false},
		{bare, "GET", "/api/v1/export", nil, "", 503, false},
		{bare, "GET", "/api/v1/admin/analytics", nil, "", 401, false},
		{limited, "GET", "/api/v1/search", nil, "", 429, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			resp, body := tt.ts.do(t, tt.method, tt.target, tt.header, tt.body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d %.300s, want %d", resp.StatusCode, body, tt.status)
			}
			var rb io.Reader
			if tt.body != "" {
				rb = strings.NewReader(tt.body)
			}
			req := httptest.NewRequest(tt.method, tt.target, rb)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("%s is not in the document: %v", tt.target, err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && !tt.invalid {
				t.Errorf("request does not follow the document: %v", err)
			} else if err == nil && tt.invalid && tt.status == 400 {
				t.Errorf("the document accepts a request the server refuses with %d", tt.status)
			}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
				Header: resp.Header, Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
			out.SetBodyBytes(body)
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Errorf("response does not follow the document: %v\n%.500s", err, body)
			}
		})
	}
}

// TestOpenAPIProblemsOutsideOperations checks the problems no operation
// can list (a 405 answers a method the document has no operation for)
// against the document's Problem schema.
func TestOpenAPIProblemsOutsideOperations(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	schema := doc.Components.Schemas["Problem"].Value
	ts := newAPIServer(t, 3, nil)
	for _, tc := range []struct{ method, target string }{
		{"POST", "/api/v1/search"}, {"DELETE", "/api/v1/entries/e0001"}, {"GET", "/api/v1/nope"},
	} {
		_, body := ts.do(t, tc.method, tc.target, nil, "")
		var v any
		if err := json.NewDecoder(bytes.NewReader(body)).Decode(&v); err != nil {
			t.Fatal(err)
		}
		if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%s %s: %v", tc.method, tc.target, err)
		}
	}
}

// TestAPIDocsPage renders /api from the document: every operation is on
// it under its own anchor, with the token it needs and the body it reads.
func TestAPIDocsPage(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	ts := newAPIServer(t, 3, nil)
	resp, raw := ts.get(t, "/api")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("/api: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	body := string(raw)
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			n++
			head := `<h2 id="` + op.OperationID + `"><span class="m">` + method + `</span> <code>` + path + `</code></h2>`
			i := strings.Index(body, head)
			if i < 0 {
				t.Errorf("/api does not show %s %s as %s", method, path, head)
				continue
			}
			section, _, _ := strings.Cut(body[i+len(head):], "<h2 ")
			var role string
			if op.Security != nil {
				for _, req := range *op.Security {
					if r := req["bearerAuth"]; len(r) > 0 {
						role = r[0]
					}
				}
			}
			if role != "" && !strings.Contains(section, "Authentication: bearer token with the "+role+" role") {
				t.Errorf("/api does not say that %s %s needs the %s role", method, path, role)
			}
			if op.RequestBody != nil && !strings.Contains(section, "Request body: ") {
				t.Errorf("/api does not show the body of %s %s", method, path)
			}
		}
	}
	if got := strings.Count(body, "<h2 id="); got != n {
		t.Errorf("/api shows %d operations, the document has %d", got, n)
	}
	if strings.Contains(body, "http://") || strings.Contains(body, "https://cdn") {
		t.Error("/api loads something from elsewhere")
	}
}
