package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

// oaRequest is one request of a conformance test.
type oaRequest struct {
	method, target string
	token          string // bearer secret, or ""
	ctype          string // Content-Type of body, or ""
	body           string
	status         int // the status the server must answer
	// check says what the document must make of the request itself.
	check oaCheck
}

type oaCheck int

const (
	oaValid     oaCheck = iota // the document accepts the request
	oaInvalid                  // the document refuses it, as the server does
	oaUnchecked                // only the response is checked
)

// newHTTPRequest builds the request r describes.
func (r oaRequest) newHTTPRequest() *http.Request {
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.target, body)
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	return req
}

// validateExchange checks a request (as r.check says) and its response
// against the document; the response's status must be documented.
func validateExchange(t *testing.T, router routers.Router, r oaRequest, status int, header http.Header, body []byte) {
	t.Helper()
	req := r.newHTTPRequest()
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s is not in the document: %v", r.method, r.target, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	switch err := openapi3filter.ValidateRequest(context.Background(), in); {
	case r.check == oaValid && err != nil:
		t.Errorf("%s %s: the request does not follow the document: %v", r.method, r.target, err)
	case r.check == oaInvalid && err == nil:
		t.Errorf("%s %s: the document accepts a request the server refuses with %d", r.method, r.target, status)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s: the response does not follow the document: %v\n%.500s", r.method, r.target, err, body)
	}
}

// oaSend sends r through srv's app, checks the status and validates the
// exchange; it returns the response body.
func oaSend(t *testing.T, router routers.Router, srv *Server, r oaRequest) []byte {
	t.Helper()
	resp, err := srv.App().Test(r.newHTTPRequest(), 10_000)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", r.method, r.target, err)
	}
	if resp.StatusCode != r.status {
		t.Errorf("%s %s = %d %.300s, want %d", r.method, r.target, resp.StatusCode, body, r.status)
		return body
	}
	validateExchange(t, router, r, resp.StatusCode, resp.Header, body)
	return body
}

// TestOpenAPILifecycleConformance sends real requests, with real tokens
// over a real store, to every submission, moderation and administration
// operation (their successes and main refusals) and validates each request
// and response against the document.
func TestOpenAPILifecycleConformance(t *testing.T) {
	_, router := loadOpenAPI(t)
	const pubID = "1500000000"
	env := newLCEnv(t, false, &search.Entry{ID: pubID, Title: "Published", Organization: "O",
		Stakeholder: "other", Country: "FRA", Language: "fr", Year: 2015, ActionLines: []string{"C1"}})
	mod, admin, bad := env.mod, env.admin, "stk_"+strings.Repeat("A", 43)
	send := func(r oaRequest) []byte { t.Helper(); return oaSend(t, router, env.srv, r) }
	asJSON := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const js = "application/json"
	entry := asJSON(validEntry("Telemedicine for rural clinics"))

	// submissions: file, read, list, compare, send back, change, decide
	var receipt submitResponse
	if err := json.Unmarshal(send(oaRequest{"POST", "/api/v1/submissions", "", js, entry, 201, oaValid}), &receipt); err != nil || receipt.Ref == "" {
		t.Fatalf("submit: %v %+v", err, receipt)
	}
	ref := receipt.Ref
	update := validEntry("Published, updated")
	update["update_of"] = pubID
	var upd submitResponse
	if err := json.Unmarshal(send(oaRequest{"POST", "/api/v1/submissions", mod, js, asJSON(update), 201, oaValid}), &upd); err != nil || upd.Ref == "" {
		t.Fatalf("submit an update: %v %+v", err, upd)
	}
	noTitle := validEntry("")
	delete(noTitle, "title")
	unknownField := validEntry("x")
	unknownField["colour"] = "red"
	badCountry := validEntry("x")
	badCountry["country"] = "ZZZ"
	for _, r := range []oaRequest{
		{"POST", "/api/v1/submissions", "", js, asJSON(noTitle), 400, oaInvalid},
		{"POST", "/api/v1/submissions", "", js, asJSON(unknownField), 400, oaInvalid},
		{"POST", "/api/v1/submissions", "", js, asJSON(badCountry), 400, oaValid}, // the document cannot list every country
		{"POST", "/api/v1/submissions", "", js, `{"title": 3}`, 400, oaInvalid},
		{"POST", "/api/v1/submissions", "", "text/plain", entry, 415, oaInvalid},

		{"GET", "/api/v1/submissions/" + ref, "", "", "", 200, oaValid},
		{"GET", "/api/v1/submissions/nosuchref", "", "", "", 404, oaValid},

		{"GET", "/api/v1/submissions", mod, "", "", 200, oaValid},
		{"GET", "/api/v1/submissions?status=all&limit=1", mod, "", "", 200, oaValid}, // next_after set
		{"GET", "/api/v1/submissions?status=pending&limit=1&after=1", admin, "", "", 200, oaValid},
		{"GET", "/api/v1/submissions?limit=0", mod, "", "", 400, oaInvalid},
		{"GET", "/api/v1/submissions?status=lost", mod, "", "", 400, oaInvalid},
		{"GET", "/api/v1/submissions", "", "", "", 401, oaValid},
		{"GET", "/api/v1/submissions", bad, "", "", 401, oaValid},

		{"GET", "/api/v1/submissions/" + ref + "/diff", mod, "", "", 200, oaValid},
		{"GET", "/api/v1/submissions/" + upd.Ref + "/diff", mod, "", "", 200, oaValid},
		{"GET", "/api/v1/submissions/nosuchref/diff", mod, "", "", 404, oaValid},
		{"GET", "/api/v1/submissions/" + ref + "/diff", "", "", "", 401, oaValid},

		{"POST", "/api/v1/submissions/" + ref + "/request-changes", mod, js, `{}`, 400, oaValid}, // a reason is required
		{"POST", "/api/v1/submissions/" + ref + "/request-changes", mod, js, `{"note": 1}`, 400, oaInvalid},
		{"POST", "/api/v1/submissions/" + ref + "/request-changes", mod, js, `{"note": "Name the clinics."}`, 200, oaValid},
		{"PUT", "/api/v1/submissions/" + ref, "", js, entry, 200, oaValid},
		{"PUT", "/api/v1/submissions/" + ref, "", js, asJSON(unknownField), 400, oaInvalid},
		{"PUT", "/api/v1/submissions/" + ref, "", "text/plain", entry, 415, oaInvalid},
		{"PUT", "/api/v1/submissions/nosuchref", "", js, entry, 404, oaValid},
		{"POST", "/api/v1/submissions/" + ref + "/approve", "", "", "", 401, oaValid},
		{"POST", "/api/v1/submissions/" + ref + "/approve", mod, "", "", 200, oaValid},
		{"POST", "/api/v1/submissions/" + ref + "/approve", mod, "", "", 409, oaValid},
		{"PUT", "/api/v1/submissions/" + ref, "", js, entry, 409, oaValid},
		{"POST", "/api/v1/submissions/" + upd.Ref + "/approve", mod, js, `{"note": "Checked with the ministry."}`, 200, oaValid},
		{"POST", "/api/v1/submissions/nosuchref/reject", mod, js, `{"reason": "Spam."}`, 404, oaValid},
	} {
		send(r)
	}
	other := submitAndRef(t, send, asJSON(validEntry("Another one")))
	send(oaRequest{"POST", "/api/v1/submissions/" + other + "/reject", mod, js, `{"reason": "Not an ICT project."}`, 200, oaValid})
	send(oaRequest{"POST", "/api/v1/submissions/" + other + "/reject", mod, js, `{"reason": "Again."}`, 409, oaValid})

	// withdrawal
	for _, r := range []oaRequest{
		{"POST", "/api/v1/entries/" + pubID + "/withdraw", "", "", "", 401, oaValid},
		{"POST", "/api/v1/entries/" + pubID + "/withdraw", mod, js, `{"note": "` + strings.Repeat("n", 2001) + `"}`, 400, oaValid},
		{"POST", "/api/v1/entries/" + pubID + "/withdraw", mod, js, `{"note": "Duplicate of another entry."}`, 200, oaValid},
		{"POST", "/api/v1/entries/" + pubID + "/withdraw", mod, "", "", 200, oaValid}, // again: nothing changes
		{"POST", "/api/v1/entries/e9999/withdraw", mod, "", "", 404, oaValid},
	} {
		send(r)
	}

	// administration: tokens, import, backup, and the admin routes of the
	// API with the same tokens
	jsonl := `{"id":"1600000001","title":"Imported one","organization":"O","stakeholder":"other","country":"FRA","language":"fr","year":2016,"action_lines":["C1"]}
{"id":"1600000002","title":"","organization":"O"}
`
	array := `[{"id":"1600000003","title":"Imported two","organization":"O","stakeholder":"other","country":"KEN","language":"en","year":2017,"action_lines":["C7.4"]}]`
	csv := "id,title,organization,stakeholder,country,language,year,action_lines\n1600000004,Imported three,O,other,FRA,fr,2018,C1\n"
	for _, r := range []oaRequest{
		{"GET", "/api/v1/admin/tokens", admin, "", "", 200, oaValid},
		{"GET", "/api/v1/admin/tokens", mod, "", "", 403, oaValid},
		{"GET", "/api/v1/admin/tokens", "", "", "", 401, oaValid},
		{"POST", "/api/v1/admin/tokens", admin, js, `{"name": "bob", "role": "moderator"}`, 201, oaValid},
		{"POST", "/api/v1/admin/tokens", admin, js, `{"name": "bob", "role": "admin"}`, 409, oaValid},
		{"POST", "/api/v1/admin/tokens", admin, js, `{"name": "eve", "role": "root"}`, 400, oaInvalid},
		{"POST", "/api/v1/admin/tokens", admin, js, `{"name": "e v e", "role": "admin"}`, 400, oaInvalid},
		{"POST", "/api/v1/admin/tokens", mod, js, `{"name": "eve", "role": "admin"}`, 403, oaValid},
		{"DELETE", "/api/v1/admin/tokens/bob", admin, "", "", 204, oaValid},
		{"DELETE", "/api/v1/admin/tokens/bob", admin, "", "", 404, oaValid},
		{"DELETE", "/api/v1/admin/tokens/ada", mod, "", "", 403, oaValid},

		{"POST", "/api/v1/admin/import?format=jsonl&source=harvest-2016", admin, "application/x-ndjson", jsonl, 200, oaValid},
		{"POST", "/api/v1/admin/import", admin, js, array, 200, oaValid},
		{"POST", "/api/v1/admin/import?format=csv&year=2018", admin, "text/csv", csv, 200, oaValid},
		{"POST", "/api/v1/admin/import?format=xml", admin, "text/csv", csv, 400, oaInvalid},
		{"POST", "/api/v1/admin/import?format=csv", admin, "text/csv", "garbage\n", 400, oaValid},
		{"POST", "/api/v1/admin/import?year=1990", admin, js, array, 400, oaInvalid},
		{"POST", "/api/v1/admin/import", mod, js, array, 403, oaValid},

		{"POST", "/api/v1/admin/backup", admin, "", "", 200, oaValid},
		{"POST", "/api/v1/admin/backup", mod, "", "", 403, oaValid},
		{"POST", "/api/v1/admin/backup", bad, "", "", 401, oaValid},
	} {
		send(r)
	}
	ops := withAdminCheck(t, env)
	for _, r := range []oaRequest{
		{"GET", "/api/v1/admin/reindex", admin, "", "", 200, oaValid},
		{"GET", "/api/v1/admin/reindex", mod, "", "", 403, oaValid},
		{"GET", "/api/v1/admin/reindex", bad, "", "", 401, oaValid},
		{"POST", "/api/v1/admin/reindex", mod, "", "", 403, oaValid},
		{"GET", "/api/v1/admin/analytics", mod, "", "", 403, oaValid},
		{"GET", "/api/v1/admin/analytics", admin, "", "", 503, oaValid}, // this server keeps no analytics
	} {
		oaSend(t, router, ops, r)
	}

	// the submission limit per address (tokens are not counted)
	for i := 0; ; i++ {
		resp, err := env.srv.App().Test(oaRequest{method: "POST", target: "/api/v1/submissions", ctype: js, body: "{}"}.newHTTPRequest(), 10_000)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
		if i > 1000 {
			t.Fatal("no submission limit")
		}
	}
	send(oaRequest{"POST", "/api/v1/submissions", "", js, entry, 429, oaValid})
	send(oaRequest{"PUT", "/api/v1/submissions/" + ref, "", js, entry, 429, oaValid})
	send(oaRequest{"POST", "/api/v1/submissions", mod, js, asJSON(noTitle), 400, oaInvalid})
}

// withAdminCheck returns a server over env's store whose admin routes of
// the API (reindex, analytics) check env's tokens, as serve wires them.
func withAdminCheck(t *testing.T, env *lcEnv) *Server {
	t.Helper()
	srv, err := New(Config{
		Service:  &search.Service{Store: env.store, Index: env.index},
		Logger:   zerolog.Nop(),
		ReadOnly: env.srv.cfg.ReadOnly,
		API:      APIConfig{AdminCheck: BearerCheck(env.store, search.RoleAdmin)},
		Reindex:  func(context.Context) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// submitAndRef files a submission and returns its reference.
func submitAndRef(t *testing.T, send func(oaRequest) []byte, body string) string {
	t.Helper()
	var receipt submitResponse
	if err := json.Unmarshal(send(oaRequest{"POST", "/api/v1/submissions", "", "application/json", body, 201, oaValid}), &receipt); err != nil {
		t.Fatal(err)
	}
	return receipt.Ref
}

// TestOpenAPILifecycleRefusals checks the answers of a read-only replica
// (405 read_only), of a server without the lifecycle stores (503) and of a
// body over the limit (413) against the document.
func TestOpenAPILifecycleRefusals(t *testing.T) {
	_, router := loadOpenAPI(t)
	const pubID = "1500000000"
	replica := newLCEnv(t, true, &search.Entry{ID: pubID, Title: "Published", Organization: "O",
		Stakeholder: "other", Country: "FRA", Language: "fr", Year: 2015, ActionLines: []string{"C1"}})
	admin, mod := replica.admin, replica.mod
	const js = "application/json"
	entry, err := json.Marshal(validEntry("x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []oaRequest{
		{"POST", "/api/v1/submissions", "", js, string(entry), 405, oaValid},
		{"PUT", "/api/v1/submissions/someref", "", js, string(entry), 405, oaValid},
		{"POST", "/api/v1/submissions/someref/approve", mod, "", "", 405, oaValid},
		{"POST", "/api/v1/submissions/someref/reject", mod, js, `{"note": "n"}`, 405, oaValid},
		{"POST", "/api/v1/submissions/someref/request-changes", mod, js, `{"note": "n"}`, 405, oaValid},
		{"POST", "/api/v1/entries/" + pubID + "/withdraw", mod, "", "", 405, oaValid},
		{"POST", "/api/v1/admin/import", admin, js, `[]`, 405, oaValid},
		{"POST", "/api/v1/admin/tokens", admin, js, `{"name": "bob", "role": "moderator"}`, 405, oaValid},
		{"DELETE", "/api/v1/admin/tokens/mia", admin, "", "", 405, oaValid},
		{"GET", "/api/v1/submissions?status=all", mod, "", "", 200, oaValid},
		{"POST", "/api/v1/admin/backup", admin, "", "", 200, oaValid},
	} {
		oaSend(t, router, replica.srv, r)
	}
	oaSend(t, router, withAdminCheck(t, replica), oaRequest{"POST", "/api/v1/admin/reindex", admin, "", "", 405, oaValid})

	// a server without submissions, tokens or backups
	bare := newAPIServer(t, 3, nil)
	for _, r := range []oaRequest{
		{"POST", "/api/v1/submissions", "", js, string(entry), 503, oaValid},
		{"GET", "/api/v1/submissions/someref", "", "", "", 503, oaValid},
		{"GET", "/api/v1/submissions", "stk_x", "", "", 503, oaValid},
		{"GET", "/api/v1/submissions/someref/diff", "stk_x", "", "", 503, oaValid},
		{"POST", "/api/v1/submissions/someref/approve", "stk_x", "", "", 503, oaValid},
		{"POST", "/api/v1/entries/e0001/withdraw", "stk_x", "", "", 503, oaValid},
		{"POST", "/api/v1/admin/backup", "stk_x", "", "", 503, oaValid},
		{"POST", "/api/v1/admin/import", "stk_x", js, `[]`, 503, oaValid},
		{"GET", "/api/v1/admin/tokens", "stk_x", "", "", 503, oaValid},
		{"POST", "/api/v1/admin/tokens", "stk_x", js, `{"name": "bob", "role": "admin"}`, 503, oaValid},
		{"DELETE", "/api/v1/admin/tokens/bob", "stk_x", "", "", 503, oaValid},
	} {
		oaSend(t, router, bare.Server, r)
	}

	// fasthttp refuses a body over the limit before routing, which only a
	// real listener shows (see TestAPIRealServerLimits)
	env := newLCEnv(t, false)
	addr, err := env.srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = env.srv.Serve() }()
	t.Cleanup(func() { _ = env.srv.Shutdown(time.Second) })
	for _, target := range []string{"/api/v1/submissions", "/api/v1/admin/import", "/api/v1/admin/tokens"} {
		resp, body, err := rawRequest(addr.String(), "POST", target, nil, 4<<20+1)
		if err != nil {
			t.Fatalf("POST %s: %v", target, err)
		}
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with 4 MiB + 1 = %d, want 413", target, resp.StatusCode)
			continue
		}
		validateExchange(t, router, oaRequest{method: "POST", target: target, check: oaUnchecked}, resp.StatusCode, resp.Header, body)
	}
}

// TestOpenAPICoversAPIRoutes walks the routes registered under /api and
// fails for any the document does not describe, and for any operation of
// the document no route serves. Not listed, by decision:
//   - HEAD, which fiber registers with every GET: it is the GET without a
//     body (RFC 9110 9.3.2), as the document's introduction says;
//   - the fallbacks of the reading routes (every other method, registered
//     with All): they must answer 405 with Allow, or OPTIONS 204, which the
//     introduction and the MethodNotAllowed response describe;
//   - the catch-all /api/v1/*, which must answer 404 not_found.
//
// Each fallback is checked by a real request, so a route with a real
// handler cannot hide among them.
func TestOpenAPICoversAPIRoutes(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	problemSchema := doc.Components.Schemas["Problem"].Value
	env := newLCEnv(t, false)
	served := map[string]bool{} // "METHOD /path" of the document that a route serves
	for _, r := range env.srv.App().GetRoutes(true) {
		if r.Path != "/api" && !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		path := openAPIPath(r.Path)
		item := doc.Paths.Value(path)
		if item != nil && item.GetOperation(r.Method) != nil {
			served[r.Method+" "+path] = true
			continue
		}
		if r.Method == http.MethodHead && item != nil && item.Get != nil {
			continue
		}
		target := strings.NewReplacer(":id", "e0001", ":facet", "sdg", ":ref", "someref", ":name", "mia", "*", "nope").Replace(r.Path)
		want, code := http.StatusMethodNotAllowed, codeMethodNotAllowed
		switch {
		case strings.HasSuffix(r.Path, "/*"):
			want, code = http.StatusNotFound, search.ENOTFOUND
		case item == nil:
			t.Errorf("%s %s: the document has no path %s", r.Method, r.Path, path)
			continue
		case r.Method == http.MethodOptions:
			want, code = http.StatusNoContent, ""
		}
		req := httptest.NewRequest(r.Method, target, nil)
		resp, err := env.srv.App().Test(req, 10_000)
		if err != nil {
			t.Fatalf("%s %s: %v", r.Method, target, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s %s is not in the document and answers %d %.200s, not the documented %d", r.Method, r.Path, resp.StatusCode, body, want)
			continue
		}
		if want != http.StatusNotFound && item != nil && resp.Header.Get("Allow") != allowOf(item) {
			t.Errorf("%s %s: Allow = %q, want %q", r.Method, target, resp.Header.Get("Allow"), allowOf(item))
		}
		// HEAD has no body, and /api (a page for people) answers with HTML
		if code == "" || r.Method == http.MethodHead || !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		var p map[string]any
		if err := json.NewDecoder(bytes.NewReader(body)).Decode(&p); err != nil {
			t.Errorf("%s %s: %v", r.Method, target, err)
			continue
		}
		if err := problemSchema.VisitJSON(p, openapi3.EnableJSONSchema2020()); err != nil || p["code"] != code {
			t.Errorf("%s %s: problem %v, code %v, want %s", r.Method, target, err, p["code"], code)
		}
	}
	for path, item := range doc.Paths.Map() {
		if path != "/api" && !strings.HasPrefix(path, "/api/") {
			continue
		}
		for method := range item.Operations() {
			if !served[method+" "+path] {
				t.Errorf("the document lists %s %s, which no route serves", method, path)
			}
		}
	}
}

// openAPIPath turns a fiber route path into the document's form:
// /entries/:id to /entries/{id}, without a trailing slash.
func openAPIPath(p string) string {
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + strings.TrimSuffix(s[1:], "?") + "}"
		}
	}
	return strings.Join(parts, "/")
}

// allowOf is the Allow header a path's method fallback must send: the
// document's methods of the path (GET with HEAD) and OPTIONS.
func allowOf(item *openapi3.PathItem) string {
	var m []string
	for _, op := range []struct {
		name string
		op   *openapi3.Operation
	}{{"GET, HEAD", item.Get}, {"POST", item.Post}, {"PUT", item.Put}, {"DELETE", item.Delete}} {
		if op.op != nil {
			m = append(m, op.name)
		}
	}
	return strings.Join(append(m, "OPTIONS"), ", ")
}
