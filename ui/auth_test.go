package ui

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/index/store"
	"github.com/itu-stocktaking/stocktaking/search"
)

// route is one protected route and the role it needs.
type route struct {
	method, path, role string
	body               any
}

// protectedRoutes lists every route that needs a token, for a submission
// ref and a published entry id.
func protectedRoutes(ref, id string) []route {
	mod, admin := search.RoleModerator, search.RoleAdmin
	note := map[string]string{"note": "n"}
	return []route{
		{"GET", "/api/v1/submissions?status=pending", mod, nil},
		{"GET", "/api/v1/submissions/" + ref + "/diff", mod, nil},
		{"POST", "/api/v1/submissions/" + ref + "/approve", mod, note},
		{"POST", "/api/v1/submissions/" + ref + "/reject", mod, note},
		{"POST", "/api/v1/submissions/" + ref + "/request-changes", mod, note},
		{"POST", "/api/v1/entries/" + id + "/withdraw", mod, note},
		{"POST", "/api/v1/admin/backup", admin, nil},
		{"POST", "/api/v1/admin/import", admin, `{"id":"9","title":"x"}`},
		{"GET", "/api/v1/admin/tokens", admin, nil},
		{"POST", "/api/v1/admin/tokens", admin, map[string]string{"name": "new", "role": "admin"}},
		{"DELETE", "/api/v1/admin/tokens/mia", admin, nil},
		{"GET", "/api/v1/admin/reindex", admin, nil},
		{"POST", "/api/v1/admin/reindex", admin, nil},
		{"GET", "/api/v1/admin/analytics", admin, nil},
		{"GET", "/moderation", mod, nil},
		{"GET", "/moderation/" + ref, mod, nil},
		{"POST", "/moderation/withdraw", mod, "id=" + id + "&reason=r"},
		{"POST", "/moderation/" + ref, mod, "decision=approve"},
		{"GET", "/admin/analytics", admin, nil},
	}
}

// publicWrites are the routes that change something without a token, by
// design; TestEveryRouteIsClassified fails on any other such route that is
// not in protectedRoutes.
var publicWrites = []struct{ method, pattern, why string }{
	{"POST", "/api/v1/submissions", "anyone may submit; rate limited per address"},
	{"PUT", "/api/v1/submissions/:ref", "the submitter resubmits; the unguessable ref is the secret"},
	{"POST", "/submit", "the submission form; CSRF cookie, rate limited"},
	{"POST", "/signin", "the sign-in form checks the token it is sent; CSRF"},
	{"POST", "/signout", "ends the caller's own session; CSRF (TestSignOutNeedsCSRF)"},
}

// protectedPrefixes are the paths whose every route, GET included, needs a
// token.
var protectedPrefixes = []string{"/admin", "/api/v1/admin", "/moderation"}

// routePattern turns a fiber route path into a regexp of the paths it takes.
func routePattern(path string) *regexp.Regexp {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p, ":"):
			parts[i] = "[^/]+"
		case p == "*":
			parts[i] = ".*"
		default:
			parts[i] = regexp.QuoteMeta(p)
		}
	}
	return regexp.MustCompile("^" + strings.Join(parts, "/") + "$")
}

// TestEveryRouteIsClassified walks the registered routes: every route that
// is not a GET or HEAD, and every route under a protected prefix, must be
// in protectedRoutes (which TestProtectedRoutesRefuse checks) or in
// publicWrites; the only others allowed are the 405 (and OPTIONS 204)
// answers that read-only paths give other methods, and the 404 of the API
// catch-all, which this test checks by sending the request.
func TestEveryRouteIsClassified(t *testing.T) {
	env := newLCEnv(t, false)
	protected := protectedRoutes("someref", "someid")
	for _, r := range env.srv.App().GetRoutes(true) {
		under := false
		for _, p := range protectedPrefixes {
			under = under || r.Path == p || strings.HasPrefix(r.Path, p+"/")
		}
		method := r.Method
		if method == "HEAD" {
			method = "GET" // fiber adds HEAD to every GET route
		}
		if method == "GET" && !under {
			continue
		}
		re, name := routePattern(r.Path), r.Method+" "+r.Path
		found := false
		for _, p := range protected {
			path, _, _ := strings.Cut(p.path, "?")
			found = found || p.method == method && re.MatchString(path)
		}
		for _, p := range publicWrites {
			found = found || p.method == method && p.pattern == r.Path
		}
		if found {
			continue
		}
		path := strings.ReplaceAll(re.String()[1:len(re.String())-1], "[^/]+", "x")
		path = strings.ReplaceAll(strings.ReplaceAll(path, ".*", "x"), `\`, "")
		code, out, hdr := env.do(r.Method, path, "", nil)
		if method == "GET" && code != http.StatusMethodNotAllowed {
			t.Errorf("%s is under a protected prefix but in neither protectedRoutes nor publicWrites (answers %d)", name, code)
			continue
		}
		switch {
		// the answer of a path's method fallback (methodsRoute, getRoute)
		case r.Method == "OPTIONS" && code == http.StatusNoContent && hdr.Get("Allow") != "":
		case code == http.StatusMethodNotAllowed || code == http.StatusNotFound:
		default:
			t.Errorf("%s (sent as %s %s without a token) = %d %s; only 404 and 405 answers may stay unlisted: add it to protectedRoutes or publicWrites", name, r.Method, path, code, out)
		}
	}
}

func TestProtectedRoutesRefuse(t *testing.T) {
	env := newLCEnv(t, false, &search.Entry{ID: "1500000000", Title: "Published", Organization: "O",
		Stakeholder: "other", Country: "FRA", Language: "fr", Year: 2015, ActionLines: []string{"C1"}})
	ref := env.submit(validEntry("Pending"))
	modSession := signIn(t, env, env.mod)
	for _, r := range protectedRoutes(ref, "1500000000") {
		name := r.method + " " + r.path
		code, out, _ := env.do(r.method, r.path, "", r.body, "Accept", "text/html")
		if code != http.StatusUnauthorized {
			t.Errorf("%s without a token = %d, want 401: %s", name, code, out)
		}
		page := !strings.HasPrefix(r.path, "/api/")
		if page && r.method == "GET" && !strings.Contains(string(out), `name="token"`) {
			t.Errorf("%s without a session shows no sign-in form:\n%s", name, out)
		}
		if page && r.role == search.RoleAdmin {
			if code, _, _ := modSession.send(r.method, r.path, ""); code != http.StatusForbidden {
				t.Errorf("%s with a moderator's session = %d, want 403", name, code)
			}
		}
		if code, _, _ := env.do(r.method, r.path, "stk_"+strings.Repeat("A", 43), r.body); code != http.StatusUnauthorized {
			t.Errorf("%s with an unknown token = %d, want 401", name, code)
		}
		if r.role == search.RoleAdmin {
			if code, out, _ := env.do(r.method, r.path, env.mod, r.body); code != http.StatusForbidden {
				t.Errorf("%s with a moderator token = %d, want 403: %s", name, code, out)
			}
		}
	}
	if list, _ := env.store.Submissions(search.SubmissionPending, 0, 0); len(list) != 1 {
		t.Errorf("refused requests changed the queue: %d pending", len(list))
	}
	if n := env.reindexes.Load(); n != 0 {
		t.Errorf("refused requests started %d reindexes", n)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	env := newLCEnv(t, true, &search.Entry{ID: "1500000000", Title: "Published", Organization: "O",
		Stakeholder: "other", Country: "FRA", Language: "fr", Year: 2015, ActionLines: []string{"C1"}})
	writes := []route{
		{"POST", "/api/v1/submissions", "", validEntry("x")},
		{"PUT", "/api/v1/submissions/someref", "", validEntry("x")},
		{"POST", "/submit", "", "title=x"},
	}
	for _, r := range protectedRoutes("someref", "1500000000") {
		if r.method != "GET" && r.path != "/api/v1/admin/backup" {
			writes = append(writes, r)
		}
	}
	for _, r := range writes {
		code, out, _ := env.do(r.method, r.path, env.admin, r.body, "Accept", "application/json")
		var p problem
		_ = json.Unmarshal(out, &p)
		if code != http.StatusMethodNotAllowed || p.Code != search.EREADONLY {
			t.Errorf("%s %s on a replica = %d %s, want 405 read_only", r.method, r.path, code, out)
		}
	}
	if code, _, _ := env.do("GET", "/api/v1/submissions", env.mod, nil); code != http.StatusOK {
		t.Errorf("reading the queue on a replica = %d, want 200", code)
	}
}

// browser keeps cookies across requests to the test server.
type browser struct {
	env     *lcEnv
	cookies map[string]*http.Cookie
	last    []*http.Cookie
}

func (b *browser) send(method, path, form string, header ...string) (int, string, http.Header) {
	b.env.t.Helper()
	var body io.Reader
	if form != "" {
		body = strings.NewReader(form)
	}
	req := httptest.NewRequest(method, path, body)
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	resp, err := b.env.srv.App().Test(req, 10_000)
	if err != nil {
		b.env.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	b.last = resp.Cookies()
	for _, c := range b.last {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return resp.StatusCode, string(out), resp.Header
}

// signIn returns a browser signed in with the token secret.
func signIn(t *testing.T, env *lcEnv, secret string) *browser {
	t.Helper()
	b := &browser{env: env, cookies: map[string]*http.Cookie{}}
	_, page, _ := b.send("GET", "/signin", "")
	code, _, _ := b.send("POST", "/signin", url.Values{"csrf": {csrf(t, page)}, "token": {secret}}.Encode())
	if code != http.StatusSeeOther || b.cookies[cookieSession] == nil {
		t.Fatalf("sign-in = %d, want 303 and a session cookie", code)
	}
	return b
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the first form of page.
func csrf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field in the page:\n%s", page)
	}
	return m[1]
}

func TestSignInAndModerateInBrowser(t *testing.T) {
	env := newLCEnv(t, false)
	b := &browser{env: env, cookies: map[string]*http.Cookie{}}
	ref := env.submit(validEntry("Community radio"))

	code, page, _ := b.send("GET", "/moderation", "")
	if code != http.StatusUnauthorized || !strings.Contains(page, `name="token"`) {
		t.Fatalf("GET /moderation signed out = %d, want 401 with the sign-in form", code)
	}
	tok := csrf(t, page)
	if code, _, _ := b.send("POST", "/signin", url.Values{"token": {env.mod}}.Encode()); code != http.StatusForbidden {
		t.Errorf("sign-in without CSRF = %d, want 403", code)
	}
	if code, page, _ := b.send("POST", "/signin", url.Values{"csrf": {tok}, "token": {env.mod + "x"}}.Encode()); code != http.StatusUnauthorized || strings.Contains(page, env.mod) {
		t.Errorf("sign-in with a wrong token = %d, want 401 and no echo", code)
	}
	code, _, hdr := b.send("POST", "/signin", url.Values{"csrf": {tok}, "token": {env.mod}, "next": {"/moderation/" + ref}}.Encode(),
		"X-Forwarded-Proto", "https")
	if code != http.StatusSeeOther || hdr.Get("Location") != "/moderation/"+ref {
		t.Fatalf("sign-in = %d to %q", code, hdr.Get("Location"))
	}
	sess := b.cookies[cookieSession]
	if sess == nil || !sess.HttpOnly || !sess.Secure || sess.SameSite != http.SameSiteStrictMode || sess.Value == env.mod {
		t.Fatalf("session cookie = %+v; want HttpOnly, Secure behind https, SameSite=Strict, not the token", sess)
	}
	sess.Secure = false // the test client sends it over plain HTTP

	code, page, _ = b.send("GET", "/moderation/"+ref, "")
	if code != http.StatusOK || !strings.Contains(page, "Community radio") || !strings.Contains(page, `value="approve"`) {
		t.Fatalf("item page = %d:\n%s", code, page)
	}
	form := url.Values{"decision": {"approve"}, "note": {"ok"}}
	if code, _, _ := b.send("POST", "/moderation/"+ref, form.Encode()); code != http.StatusForbidden {
		t.Errorf("decision without CSRF = %d, want 403", code)
	}
	form.Set("csrf", csrf(t, page))
	if code, _, hdr := b.send("POST", "/moderation/"+ref, form.Encode()); code != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/moderation") {
		t.Fatalf("decision = %d to %q", code, hdr.Get("Location"))
	}
	if sub, _ := env.store.Submission(ref); sub.Status != search.SubmissionApproved || sub.Moderator != "mia" {
		t.Errorf("after the form: %+v", sub)
	}
	code, page, _ = b.send("GET", "/moderation?status=approved", "")
	if code != http.StatusOK || !strings.Contains(page, "Community radio") {
		t.Errorf("approved queue = %d", code)
	}
	if code, _, _ := b.send("POST", "/signout", url.Values{"csrf": {csrf(t, page)}}.Encode()); code != http.StatusSeeOther {
		t.Errorf("sign-out = %d", code)
	}
	if code, _, _ := b.send("GET", "/moderation", ""); code != http.StatusUnauthorized {
		t.Errorf("after sign-out GET /moderation = %d, want 401", code)
	}
	assertNoSecrets(t, env)
}

// TestSignOutNeedsCSRF: another site must not be able to end a session, so
// a sign-out without the session's CSRF token (or with another one) is
// refused and the session stays.
func TestSignOutNeedsCSRF(t *testing.T) {
	env := newLCEnv(t, false)
	b := signIn(t, env, env.mod)
	code, page, _ := b.send("GET", "/moderation", "")
	if code != http.StatusOK {
		t.Fatalf("GET /moderation signed in = %d", code)
	}
	tok := csrf(t, page)
	for _, form := range []url.Values{{}, {"csrf": {""}}, {"csrf": {tok + "x"}}} {
		if code, _, _ := b.send("POST", "/signout", form.Encode()); code != http.StatusForbidden {
			t.Errorf("sign-out with %q = %d, want 403", form.Encode(), code)
		}
		if c := b.cookies[cookieSession]; c == nil {
			t.Fatalf("sign-out with %q cleared the session cookie", form.Encode())
		}
		if code, _, _ := b.send("GET", "/moderation", ""); code != http.StatusOK {
			t.Fatalf("after a refused sign-out (%q) GET /moderation = %d, want 200: the session ended", form.Encode(), code)
		}
	}
	if code, _, _ := b.send("POST", "/signout", url.Values{"csrf": {tok}}.Encode()); code != http.StatusSeeOther {
		t.Errorf("sign-out with the CSRF token = %d, want 303", code)
	}
	if code, _, _ := b.send("GET", "/moderation", ""); code != http.StatusUnauthorized {
		t.Errorf("after sign-out GET /moderation = %d, want 401", code)
	}
}

func TestSubmitForm(t *testing.T) {
	env := newLCEnv(t, false)
	b := &browser{env: env, cookies: map[string]*http.Cookie{}}
	code, page, _ := b.send("GET", "/submit?lang=ar", "")
	if code != http.StatusOK || !strings.Contains(page, `dir="rtl"`) || !strings.Contains(page, "عنوان المشروع") {
		t.Fatalf("Arabic form = %d, want rtl and Arabic labels", code)
	}
	if c := b.cookies[cookieCSRF]; c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure {
		t.Errorf("CSRF cookie = %+v", b.cookies[cookieCSRF])
	}
	_, page, _ = b.send("GET", "/submit?lang=fr", "")
	if !strings.Contains(page, "Titre du projet") {
		t.Errorf("French form lacks its labels")
	}
	form := url.Values{"title": {""}, "organization": {"Radio Kiswahili"}, "stakeholder": {"civil-society"},
		"country": {"TZA"}, "language": {"en"}, "action_lines": {"C8", "C9"}, "sdgs": {"4", "10"}}
	if code, _, _ := b.send("POST", "/submit", form.Encode()); code != http.StatusForbidden {
		t.Errorf("POST /submit without CSRF = %d, want 403", code)
	}
	form.Set("csrf", csrf(t, page))
	code, page, _ = b.send("POST", "/submit?lang=fr", form.Encode())
	if code != http.StatusBadRequest || !strings.Contains(page, `id="e-title"`) || !strings.Contains(page, `value="Radio Kiswahili"`) ||
		!strings.Contains(page, `value="C9" checked`) {
		t.Fatalf("invalid form = %d, want 400 with the message beside title and the values kept:\n%s", code, page)
	}
	form.Set("title", "Community radio in Kiswahili")
	code, _, hdr := b.send("POST", "/submit", form.Encode())
	loc := hdr.Get("Location")
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/submit/") {
		t.Fatalf("valid form = %d to %q", code, loc)
	}
	code, page, hdr = b.send("GET", loc, "")
	ref := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/submit/")
	if code != http.StatusOK || !strings.Contains(page, ref) || hdr.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("status page = %d, want the reference and no referrer", code)
	}
	sub, err := env.store.Submission(ref)
	if err != nil || sub.Entry.Title != "Community radio in Kiswahili" || len(sub.Entry.ActionLines) != 2 || len(sub.Entry.SDGs) != 2 {
		t.Errorf("stored submission = %+v, %v", sub, err)
	}
}

func TestAdminTokensImportBackup(t *testing.T) {
	env := newLCEnv(t, false)
	var created createTokenResponse
	env.mustJSON("POST", "/api/v1/admin/tokens", env.admin, map[string]string{"name": "bob", "role": "moderator"}, http.StatusCreated, &created)
	if created.Secret == "" || created.Role != "moderator" {
		t.Fatalf("created = %+v", created)
	}
	env.mustJSON("GET", "/api/v1/submissions", created.Secret, nil, http.StatusOK, nil)
	env.mustJSON("DELETE", "/api/v1/admin/tokens/bob", env.admin, nil, http.StatusNoContent, nil)
	if code, _, _ := env.do("GET", "/api/v1/submissions", created.Secret, nil); code != http.StatusUnauthorized {
		t.Errorf("revoked token = %d, want 401", code)
	}

	jsonl := `{"id":"1600000001","title":"Imported one","organization":"O","stakeholder":"other","country":"FRA","language":"fr","year":2016,"action_lines":["C1"]}
{"id":"1600000002","title":"","organization":"O"}
`
	var rep struct{ Read, Accepted int }
	env.mustJSON("POST", "/api/v1/admin/import?format=jsonl", env.admin, jsonl, http.StatusOK, &rep)
	if rep.Read != 2 || rep.Accepted != 1 {
		t.Errorf("import report = %+v, want 2 read, 1 accepted", rep)
	}
	if ids := env.searchIDs("Imported one"); len(ids) != 1 {
		t.Errorf("imported entry not indexed: %v", ids)
	}

	code, db, hdr := env.do("POST", "/api/v1/admin/backup", env.admin, nil)
	if code != http.StatusOK || !strings.Contains(hdr.Get("Content-Disposition"), "stocktaking-") {
		t.Fatalf("backup = %d", code)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, db, 0o600); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer cp.Close()
	if err := cp.Check(); err != nil {
		t.Errorf("backup Check: %v", err)
	}
	if e, err := cp.Get("1600000001"); err != nil || e.Title != "Imported one" {
		t.Errorf("backup lacks the imported entry: %v", err)
	}
	assertNoSecrets(t, env)
}

// assertNoSecrets checks that no token secret appears in the logs or, in
// clear, in the database file.
func assertNoSecrets(t *testing.T, env *lcEnv) {
	t.Helper()
	raw, err := os.ReadFile(env.path)
	if err != nil {
		t.Fatal(err)
	}
	logs := env.logs.String()
	if !strings.Contains(logs, `"request"`) && !strings.Contains(logs, "signed in") && !strings.Contains(logs, "submission") {
		t.Fatalf("the logs are empty; the check below would prove nothing:\n%s", logs)
	}
	for _, secret := range []string{env.mod, env.admin} {
		if strings.Contains(logs, secret) {
			t.Errorf("a token is in the logs")
		}
		if strings.Contains(string(raw), secret) {
			t.Errorf("a token is in the database file in clear")
		}
	}
}
