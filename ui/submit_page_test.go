package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestSubmitFormFrench sends the form in French with errors: the messages
// beside the fields and in the summary are French, the API's stay English,
// and the page has the public pages' header within the CSP.
func TestSubmitFormFrench(t *testing.T) {
	env := newLCEnv(t, false)
	b := &browser{env: env, cookies: map[string]*http.Cookie{}}
	code, page, hdr := b.send("GET", "/submit?lang=fr", "")
	if code != http.StatusOK {
		t.Fatalf("GET /submit?lang=fr = %d", code)
	}
	for _, want := range []string{
		`<link rel="stylesheet" href="` + staticURL("app.css") + `">`,
		`<link rel="stylesheet" href="` + lifecycleCSSURL() + `">`,
		`<link rel="icon" href="` + staticURL("logo.svg") + `" type="image/svg+xml">`,
		`<span class="brand-name">Inventaire du SMSI</span>`,
		`<a href="/submit?lang=ar" hreflang="ar" lang="ar">`,
		`<a class="nav-showcase" href="/showcase?lang=fr">Prix du SMSI</a>`,
		`<a class="nav-submit" href="/submit?lang=fr" aria-current="page">Soumettre un projet</a>`,
		`<form class="search" id="search" role="search" action="/search" method="get"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("French form lacks %s", want)
		}
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self';") || !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("CSP = %q, want no inline style or script", csp)
	}
	if m := regexp.MustCompile(`<style|\sstyle=|<script>|<script(?:\s+type="[^"]*")?>|\son[a-z]+=`).FindString(page); m != "" {
		t.Errorf("the form has inline style or script: %q", m)
	}

	form := url.Values{"csrf": {csrf(t, page)}, "title": {""}, "organization": {"Radio Kiswahili"}, "stakeholder": {"civil-society"},
		"country": {"TZA"}, "language": {"en"}, "action_lines": {"C9"}, "website": {"ftp://radio.example"}, "start_date": {"2020-13"}}
	code, page, _ = b.send("POST", "/submit?lang=fr", form.Encode())
	if code != http.StatusBadRequest {
		t.Fatalf("invalid form = %d, want 400", code)
	}
	for _, want := range []string{
		`<p class="error" id="e-title">Champ obligatoire</p>`,
		`<p class="error" id="e-website">Adresse attendue en http:// ou https://</p>`,
		`<p class="error" id="e-start_date">Date attendue sous la forme AAAA, AAAA-MM ou AAAA-MM-JJ</p>`,
		`<li><a href="#f-title">Titre du projet</a> — Champ obligatoire</li>`,
		`aria-describedby="e-title"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("French errors lack %s", want)
		}
	}
	if strings.Contains(page, "is required") || strings.Contains(page, "must be") {
		t.Errorf("French errors still hold English messages")
	}

	api := validEntry("")
	_, out, _ := env.do("POST", "/api/v1/submissions", "", api, "Accept-Language", "fr")
	if !strings.Contains(string(out), `"message":"is required"`) {
		t.Errorf("API answer %s, want the English field message", out)
	}
}

// TestFieldMessagesTranslated makes every message Validate and the form
// give for a field of the form, and wants each translated.
func TestFieldMessagesTranslated(t *testing.T) {
	bad := []search.Entry{
		{ID: "1", Title: "", Organization: strings.Repeat("x", search.MaxOrganizationLen+1), StartDate: "2020-13",
			EndDate: "someday", Website: "ftp://x", Year: 1990},
		{ID: "1", Title: "\xff", Organization: "O", Stakeholder: "nobody", Country: "XXX", Language: "tlh", Coverage: "moon",
			Status: "maybe", ActionLines: []string{"C99"}, SDGs: []int{18}, Collections: []string{"none"},
			StartDate: "2010", EndDate: "2005", Website: "https://" + strings.Repeat("x", search.MaxWebsiteLen), Year: 2020},
	}
	msgs := []string{fmt.Sprintf("%q is not an SDG number", "three"), fmt.Sprintf("no published entry has the id %q", "404")}
	for _, e := range bad {
		err := search.Validate(&e)
		serr, ok := err.(*search.Error)
		if !ok {
			t.Fatalf("Validate(%+v) = %v, want field errors", e, err)
		}
		for _, f := range serr.Fields {
			if f.Field != "id" {
				msgs = append(msgs, f.Message)
			}
		}
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if fieldMessage("en", m) != m {
			t.Errorf("English %q changed", m)
		}
		for _, lang := range []string{"fr", "es", "ar"} {
			got := fieldMessage(lang, m)
			if got == m || strings.Contains(got, "%!") {
				t.Errorf("%s: %q is not translated: %q", lang, m, got)
			}
		}
		seen[m] = true
	}
	if len(seen) < 14 {
		t.Errorf("only %d distinct messages made: %q", len(seen), msgs)
	}
	if got := fieldMessage("fr", `unknown value "moon" (want one of local, national)`); got != `Valeur inconnue "moon" (valeurs possibles : local, national)` {
		t.Errorf("arguments: %q", got)
	}
}
