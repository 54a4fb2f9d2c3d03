package ui

import (
	"encoding/csv"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search/exchange"
)

// shortlistTitles lists the entry titles of a shortlist page, in order.
func shortlistTitles(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<li class="hit card"><h3[^>]*><a href="/entries/[^"]*">([^<]*)</a>`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestShortlistURLRoundTrip checks that the ids of the URL come back in
// the page, its share link and its CSV link, cleaned and capped.
func TestShortlistURLRoundTrip(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	tests := []struct {
		target string
		titles []string
		want   []string
	}{
		{"/shortlist?ids=e3,e2", []string{"Mobile learning in Arabic", "Digital health records for rural clinics"}, []string{
			`value="http://example.com/shortlist?ids=e3,e2"`,
			`<a class="v-csv" href="/shortlist.csv?ids=e3,e2" download>`,
			`<a class="v-save" href="/shortlist?ids=e3,e2&amp;save=1">`,
		}},
		{"/shortlist?ids=%20e4,,e2,e4,nope&lang=fr", []string{"Cybersecurity awareness for schools", "Digital health records for rural clinics"}, []string{
			`value="http://example.com/shortlist?ids=e4,e2,nope"`,
			"1 fiches de cette liste ne sont plus disponibles.",
			`<a class="v-save" href="/shortlist?ids=e4,e2,nope&amp;lang=fr&amp;save=1">`,
		}},
	}
	for _, tt := range tests {
		p := fetchPage(t, s, tt.target)
		if p.status != 200 {
			t.Fatalf("GET %s = %d, want 200", tt.target, p.status)
		}
		if got := shortlistTitles(p.body); strings.Join(got, "|") != strings.Join(tt.titles, "|") {
			t.Errorf("GET %s lists %q, want %q", tt.target, got, tt.titles)
		}
		p.mustContain(t, tt.target, tt.want...)
		// The share link, followed, shows the same list.
		share := regexp.MustCompile(`id="sl-url" type="url" readonly value="http://example.com([^"]*)"`).FindStringSubmatch(p.body)
		if share == nil {
			t.Fatalf("GET %s: no share link", tt.target)
		}
		again := fetchPage(t, s, html.UnescapeString(share[1]))
		if got := shortlistTitles(again.body); strings.Join(got, "|") != strings.Join(tt.titles, "|") {
			t.Errorf("share link %s lists %q, want %q", share[1], got, tt.titles)
		}
	}

	// At most 200 ids; more are dropped and said so.
	var ids []string
	for i := 0; i < 230; i++ {
		ids = append(ids, fmt.Sprintf("b%04d", i))
	}
	s2, _, _ := newPageServer(t, pageBulkEntries(230))
	p := fetchPage(t, s2, "/shortlist?ids="+strings.Join(ids, ","))
	if got := len(shortlistTitles(p.body)); got != maxShortlist {
		t.Errorf("a list of 230 ids shows %d entries, want %d", got, maxShortlist)
	}
	p.mustContain(t, "230 ids", "30 more ids were left out")

	for _, bad := range []string{"/shortlist?ids=a/b", "/shortlist?ids=e1&ids=e2", "/shortlist?add=e1,e2", "/shortlist?x=1"} {
		if p := fetchPage(t, s, bad); p.status != 400 {
			t.Errorf("GET %s = %d, want 400", bad, p.status)
		}
	}
}

// TestShortlistWithoutJavaScript follows the links of the shortlist
// buttons as a browser without scripts does: the server keeps the list in
// a cookie and redirects to its shareable URL.
func TestShortlistWithoutJavaScript(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	cookie := ""
	follow := func(target, wantLocation string) {
		t.Helper()
		p := fetchPage(t, s, target, "Cookie", cookie)
		if p.status != 303 {
			t.Fatalf("GET %s = %d, want 303", target, p.status)
		}
		if got := p.header.Get("Location"); got != wantLocation {
			t.Errorf("GET %s redirects to %q, want %q", target, got, wantLocation)
		}
		set := p.header.Get("Set-Cookie")
		if !strings.HasPrefix(set, shortlistCookieName+"=") || !strings.Contains(strings.ToLower(set), "samesite=lax") {
			t.Fatalf("GET %s sets cookie %q", target, set)
		}
		cookie = strings.SplitN(set, ";", 2)[0]
	}

	// The search page offers "add" links.
	p := fetchPage(t, s, "/search?q=health")
	p.mustContain(t, "search", `<a class="sl-btn" href="/shortlist?add=e2" data-sl="e2">`, "Add to shortlist")
	follow("/shortlist?add=e2", "/shortlist?ids=e2")
	follow("/shortlist?add=e3&lang=ar", "/shortlist?ids=e2,e3&lang=ar")
	follow("/shortlist?add=e3", "/shortlist?ids=e2,e3") // no duplicate

	// Now the pages know the list: buttons, count, and the list is "mine".
	p = fetchPage(t, s, "/search?q=health", "Cookie", cookie)
	p.mustContain(t, "search with a list", `<a class="sl-btn on" href="/shortlist" data-sl="e2">`, `<span class="cnt" data-sl-count>2</span>`)
	p = fetchPage(t, s, "/entries/e3", "Cookie", cookie)
	p.mustContain(t, "entry in the list", `<a class="sl-btn on" href="/shortlist" data-sl="e3">`, "In your shortlist")
	if p := fetchPage(t, s, "/shortlist", "Cookie", cookie); p.status != 303 || p.header.Get("Location") != "/shortlist?ids=e2,e3" {
		t.Errorf("GET /shortlist with a list = %d to %q, want 303 to its ids", p.status, p.header.Get("Location"))
	}
	p = fetchPage(t, s, "/shortlist?ids=e3,e2", "Cookie", cookie)
	p.mustContain(t, "own list", "Your shortlist", `<a class="sl-rm" href="/shortlist?remove=e2" data-sl-rm="e2">`, `href="/shortlist?clear=1"`)
	p.mustNotContain(t, "own list", "save=1")

	follow("/shortlist?remove=e2", "/shortlist?ids=e3")
	follow("/shortlist?ids=e4,e1&save=1", "/shortlist?ids=e4,e1")
	follow("/shortlist?clear=1", "/shortlist")
	if !strings.HasPrefix(cookie, shortlistCookieName+"=") || strings.TrimPrefix(cookie, shortlistCookieName+"=") != "" {
		t.Errorf("after clear the cookie is %q, want it emptied", cookie)
	}
	p = fetchPage(t, s, "/shortlist")
	p.mustContain(t, "empty", "Your shortlist is empty.", "How to build a shortlist")
	// The copy button needs a script: it is hidden until one shows it.
	p = fetchPage(t, s, "/shortlist?ids=e2")
	p.mustContain(t, "copy", `<button type="button" class="copy" data-copy="sl-url" data-done="Link copied" hidden>`)
}

// TestShortlistCookieIsRead checks the cookie format shared with
// shortlist.js: escaped ids separated by "|", junk skipped.
func TestShortlistCookieIsRead(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	for _, tt := range []struct{ cookie, want string }{
		{"e2|e3", "/shortlist?ids=e2,e3"},
		{"e3|%65%34|e3||", "/shortlist?ids=e3,e4"},
		{"e2|%zz|a%2Fb", "/shortlist?ids=e2"}, // bad escapes and impossible ids are dropped
	} {
		p := fetchPage(t, s, "/shortlist", "Cookie", shortlistCookieName+"="+tt.cookie)
		if got := p.header.Get("Location"); got != tt.want {
			t.Errorf("cookie %q: /shortlist redirects to %q, want %q", tt.cookie, got, tt.want)
		}
	}
}

// TestShortlistCSV downloads a shortlist as CSV and reads it back.
func TestShortlistCSV(t *testing.T) {
	s, st, _ := newPageServer(t, pageEntries())
	st.entries["e5"].Withdrawn = true
	p := fetchPage(t, s, "/shortlist.csv?ids=e2,e1,nope,e5,e3")
	if p.status != 200 {
		t.Fatalf("GET /shortlist.csv = %d: %s", p.status, p.body)
	}
	if got := p.header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := p.header.Get("Content-Disposition"); !strings.HasPrefix(got, `attachment; filename="stocktaking-shortlist-`) {
		t.Errorf("Content-Disposition = %q", got)
	}
	body := strings.TrimPrefix(p.body, "\uFEFF")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v", err)
	}
	if strings.Join(rows[0], ",") != strings.Join(exchange.CSVHeader, ",") {
		t.Errorf("CSV header = %v, want %v", rows[0], exchange.CSVHeader)
	}
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
	}
	if got := strings.Join(ids, ","); got != "e2,e1,e3" {
		t.Errorf("CSV rows = %s, want e2,e1,e3 (gone and withdrawn entries left out)", got)
	}
	// The hostile title is kept as text, as the export keeps it.
	title := -1
	for i, h := range rows[0] {
		if h == "title" {
			title = i
		}
	}
	if title < 0 || rows[2][title] != pageScriptTitle {
		t.Errorf("the title of e1 in the CSV is not kept as text: %v", rows[2])
	}

	// Without ids the reader's own list (its cookie) is exported.
	p = fetchPage(t, s, "/shortlist.csv", "Cookie", shortlistCookieName+"=e4")
	if !strings.Contains(p.body, "Cybersecurity awareness for schools") || strings.Contains(p.body, "Digital health") {
		t.Errorf("the CSV of the cookie's list is wrong: %.200s", p.body)
	}
	if p := fetchPage(t, s, "/shortlist.csv?ids=e1&add=e2"); p.status != 400 {
		t.Errorf("GET /shortlist.csv with add = %d, want 400", p.status)
	}
}
