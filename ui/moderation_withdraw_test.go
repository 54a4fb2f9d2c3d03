package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

func TestEntryIDOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1500000000", "1500000000"},
		{"  1500000000\n", "1500000000"},
		{"/entries/1500000000", "1500000000"},
		{"https://stocktaking.example/entries/1500000000?lang=fr#top", "1500000000"},
		{"stocktaking.example/entries/1500000000", "1500000000"},
		{"https://stocktaking.example/api/v1/entries/a.b_c-1/revisions", "a.b_c-1"},
		{"", ""},
		{"https://stocktaking.example/search?q=x", ""},
		{"/entries/", ""},
		{"<script>", ""},
		{"15 00", ""},
		{strings.Repeat("1", maxIDLength+1), ""},
	}
	for _, tt := range tests {
		got, ok := entryIDOf(tt.in)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("entryIDOf(%q) = %q, %v, want %q", tt.in, got, ok, tt.want)
		}
	}
}

// publishedEntry is a published entry the withdrawal tests withdraw.
func publishedEntry() *search.Entry {
	return &search.Entry{ID: "1500000000", Title: "Telecentres for fishing villages", Organization: "O",
		Stakeholder: "other", Country: "FRA", Language: "fr", Year: 2015, ActionLines: []string{"C1"}}
}

// TestWithdrawFormInBrowser: a signed-in moderator withdraws an entry with
// the moderation page's form; refusals are shown on the page, escaped, and
// change nothing.
func TestWithdrawFormInBrowser(t *testing.T) {
	env := newLCEnv(t, false, publishedEntry())
	const id = "1500000000"
	if ids := env.searchIDs("fishing villages"); len(ids) != 1 {
		t.Fatalf("seeded entry not searchable: %v", ids)
	}
	anon := &browser{env: env, cookies: map[string]*http.Cookie{}}
	if code, _, _ := anon.send("POST", "/moderation/withdraw", url.Values{"id": {id}, "reason": {"r"}}.Encode()); code != http.StatusUnauthorized {
		t.Errorf("withdrawal signed out = %d, want 401", code)
	}

	b := signIn(t, env, env.mod)
	code, page, _ := b.send("GET", "/moderation", "")
	if code != http.StatusOK || !strings.Contains(page, `action="/moderation/withdraw?lang=en"`) ||
		!strings.Contains(page, `<label for="w-id">`) || !strings.Contains(page, `<label for="w-reason">`) {
		t.Fatalf("GET /moderation = %d, want the withdrawal form with labelled fields:\n%s", code, page)
	}
	tok := csrf(t, page)

	for _, bad := range []string{"", "x" + tok} {
		form := url.Values{"id": {id}, "reason": {"ended"}}
		if bad != "" {
			form.Set("csrf", bad)
		}
		if code, _, _ := b.send("POST", "/moderation/withdraw", form.Encode()); code != http.StatusForbidden {
			t.Errorf("withdrawal with CSRF %q = %d, want 403", bad, code)
		}
	}

	refusals := []struct {
		name, lang, id, reason string
		code                   int
		want                   []string // in the page, as HTML
	}{
		{"no id", "en", " ", "ended", http.StatusBadRequest, []string{"Give the id or the address of the entry to withdraw.", `id="w-id" name="id" type="text" value=" "`}},
		{"no reason", "en", id, "  ", http.StatusBadRequest, []string{"Give the reason for the withdrawal.", `value="1500000000"`, `name="reason" rows="2" required maxlength="2000" aria-invalid="true"`}},
		{"no reason, French", "fr", id, "", http.StatusBadRequest, []string{"Indiquez le motif du retrait."}},
		{"not an id", "en", `"><script>alert(1)</script>`, "<b>ended</b>", http.StatusBadRequest,
			[]string{"This is neither an entry id", `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`, "&lt;b&gt;ended&lt;/b&gt;</textarea>"}},
		{"unknown id", "en", "1999999999", "ended", http.StatusNotFound, []string{"No entry has the id 1999999999."}},
		{"unknown id, Arabic", "ar", "1999999999", "ended", http.StatusNotFound, []string{"لا يوجد مشروع بالمعرّف"}},
		{"too long", "en", id, strings.Repeat("x", maxNote+1), http.StatusBadRequest, []string{"The reason is longer than 2000 characters."}},
	}
	for _, r := range refusals {
		form := url.Values{"csrf": {tok}, "id": {r.id}, "reason": {r.reason}}
		code, page, _ := b.send("POST", "/moderation/withdraw?lang="+r.lang, form.Encode())
		if code != r.code {
			t.Errorf("%s: withdrawal = %d, want %d", r.name, code, r.code)
		}
		for _, w := range r.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the page lacks %q:\n%s", r.name, w, page)
			}
		}
		if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b>ended") {
			t.Errorf("%s: the page echoes the input unescaped", r.name)
		}
	}
	if e, _ := env.store.Get(id); e.Withdrawn {
		t.Fatalf("a refused withdrawal withdrew the entry")
	}

	form := url.Values{"csrf": {tok}, "id": {"https://stocktaking.example/entries/" + id + "?lang=fr"}, "reason": {" project <b>ended</b> "}}
	code, _, hdr := b.send("POST", "/moderation/withdraw?lang=fr", form.Encode())
	loc := hdr.Get("Location")
	if code != http.StatusSeeOther || loc != "/moderation?lang=fr&withdrawn="+id {
		t.Fatalf("withdrawal = %d to %q, want 303 to the moderation page", code, loc)
	}
	if ids := env.searchIDs("fishing villages"); len(ids) != 0 {
		t.Errorf("withdrawn entry still found: %v", ids)
	}
	e, err := env.store.Get(id)
	if err != nil || !e.Withdrawn || e.Title != "Telecentres for fishing villages" {
		t.Errorf("withdrawn entry in the store = %+v, %v; want kept, withdrawn", e, err)
	}
	revs, err := env.store.Revisions(id)
	if err != nil || len(revs) != 2 {
		t.Fatalf("Revisions(%s) = %d, %v; want the import and the withdrawal", id, len(revs), err)
	}
	if r := revs[1]; r.Author != "mia" || r.Note != "project <b>ended</b>" || !r.Time.Equal(env.now) {
		t.Errorf("withdrawal revision = %+v; want by mia, with the reason, at %v", r, env.now)
	}
	code, page, _ = b.send("GET", loc, "")
	if code != http.StatusOK || !strings.Contains(page, `class="lc-done" role="status"`) || !strings.Contains(page, "Le projet 1500000000 a été retiré") ||
		!strings.Contains(page, "Telecentres for fishing villages") || !strings.Contains(page, `href="/api/v1/entries/1500000000/revisions"`) {
		t.Errorf("confirmation = %d:\n%s", code, page)
	}
	if _, page, _ := b.send("GET", "/moderation?withdrawn=1999999999", ""); strings.Contains(page, "lc-done") {
		t.Errorf("a confirmation for an entry that is not withdrawn")
	}

	code, page, _ = b.send("POST", "/moderation/withdraw", url.Values{"csrf": {tok}, "id": {id}, "reason": {"again"}}.Encode())
	if code != http.StatusConflict || !strings.Contains(page, "Entry 1500000000 is already withdrawn.") {
		t.Errorf("second withdrawal = %d, want 409 already withdrawn", code)
	}
	if revs, _ := env.store.Revisions(id); len(revs) != 2 {
		t.Errorf("a second withdrawal added a revision: %d", len(revs))
	}
	var hist struct{ Revisions []search.Revision }
	env.mustJSON("GET", "/api/v1/entries/"+id+"/revisions", "", nil, http.StatusOK, &hist)
	if n := len(hist.Revisions); n != 2 || hist.Revisions[1].Author != "mia" {
		t.Errorf("API history = %+v, want the withdrawal by mia last", hist.Revisions)
	}
	// the API still answers a second withdrawal as done (idempotent)
	env.mustJSON("POST", "/api/v1/entries/"+id+"/withdraw", env.mod, nil, http.StatusOK, nil)
	assertNoSecrets(t, env)
}

// TestWithdrawFormOnReplica: a replica refuses the form like any write,
// with 405 read_only, whatever the session.
func TestWithdrawFormOnReplica(t *testing.T) {
	env := newLCEnv(t, true, publishedEntry())
	b := signIn(t, env, env.mod)
	_, page, _ := b.send("GET", "/moderation", "")
	code, page, _ := b.send("POST", "/moderation/withdraw", url.Values{"csrf": {csrf(t, page)}, "id": {"1500000000"}, "reason": {"r"}}.Encode())
	if code != http.StatusMethodNotAllowed || !strings.Contains(page, "read-only") {
		t.Errorf("withdrawal on a replica = %d, want 405 read_only:\n%s", code, page)
	}
	if e, _ := env.store.Get("1500000000"); e.Withdrawn {
		t.Errorf("a replica withdrew the entry")
	}
}
