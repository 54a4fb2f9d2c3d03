package ui

import (
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestEntryPage checks every part of the entry page in the four languages.
func TestEntryPage(t *testing.T) {
	s, st, _ := newPageServer(t, pageEntries())
	e2 := st.entries["e2"]
	st.revs["e2"] = []search.Revision{
		{Seq: 1, EntryID: "e2", Author: "import", Time: time.Date(2023, 2, 1, 8, 0, 0, 0, time.UTC), Entry: e2},
		{Seq: 7, EntryID: "e2", Author: "<img src=x>", Note: "fixed the title", Changed: []string{"title", "sdgs"},
			Time: time.Date(2024, 3, 5, 14, 30, 0, 0, time.UTC), Entry: e2},
	}
	common := []string{
		`<h1 id="entry-h" dir="auto" lang="fr">Digital health records for rural clinics</h1>`,
		`<a href="https://example.org/clinics" rel="noopener nofollow ugc">`,
		`<a href="/api/v1/entries/e2" type="application/json">`,
		`<time datetime="2024-03-05T14:30:00Z">2024-03-05 14:30 UTC</time> · &lt;img src=x&gt;: fixed the title`,
		`<time datetime="2023-02-01T08:00:00Z">`,
		`<meta name="description" content="Clinics share health records. A second paragraph.">`,
		`<div dir="auto" lang="fr"><p>Clinics share health records.</p><p>A second paragraph.</p></div>`,
	}
	tests := []struct {
		lang, dir string
		want      []string
	}{
		{"en", "ltr", []string{
			`<a class="b sdg-3" href="/search?sdg=3" title="Good Health and Well-being">SDG 3</a>`,
			`<a class="b al" href="/search?action_line=C7.4" title="E-health">C7.4</a>`,
			`<a href="/search?country=FRA">France</a>`,
			`<a href="/search?prize_year=2019">2019</a>`,
			`<a href="/search?prize_category=10">C7.4 · E-health</a>`,
			`<a class="b prize prize-winner" href="/search?prize_status=winner">Winner</a>`,
			`<a href="/search?collection=covid-19">COVID-19</a>`,
			"changed: title, sdgs",
		}},
		{"fr", "ltr", []string{`href="/search?sdg=3&amp;lang=fr"`, "ODD 3", "Cybersanté", "Lauréat", "Historique des révisions"}},
		{"es", "ltr", []string{`href="/search?country=FRA&amp;lang=es">Francia</a>`, "ODS 3", "Cibersalud", "Ganador"}},
		{"ar", "rtl", []string{"فرنسا", "الهدف 3", "الصحة الإلكترونية", "فائز"}},
	}
	for _, tt := range tests {
		target := "/entries/e2"
		if tt.lang != "en" {
			target += "?lang=" + tt.lang
		}
		p := fetchPage(t, s, target)
		if p.status != 200 {
			t.Fatalf("GET %s = %d, want 200", target, p.status)
		}
		p.mustContain(t, target, append(append(tt.want, common...), `<html lang="`+tt.lang+`" dir="`+tt.dir+`">`)...)
	}
}

// TestEntryPageUnsafeWebsite shows no link for a website that is not
// http(s), and marks a withdrawn entry.
func TestEntryPageUnsafeWebsite(t *testing.T) {
	s, st, _ := newPageServer(t, pageEntries())
	st.entries["e1"].Withdrawn = true
	p := fetchPage(t, s, "/entries/e1")
	p.mustNotContain(t, "/entries/e1", "javascript:", "Project website")
	p.mustContain(t, "/entries/e1", "This entry has been withdrawn", "No revision recorded.", `<a href="/search?country=KEN">Kenya</a>`)
}

// TestEntryPageNotFound renders the 404 page in the negotiated language.
func TestEntryPageNotFound(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	tests := []struct {
		target, acceptLang string
		want               []string
	}{
		{"/entries/nope", "", []string{`<html lang="en" dir="ltr">`, "Page not found", `no entry &#34;nope&#34;`}},
		{"/entries/nope", "ar", []string{`<html lang="ar" dir="rtl">`, "الصفحة غير موجودة"}},
		{"/entries/nope?lang=es", "fr", []string{`<html lang="es" dir="ltr">`, "Página no encontrada", `href="/search?lang=es"`}},
		{"/entries/%3Cscript%3E", "", []string{"Page not found", "&lt;script&gt;"}},
	}
	for _, tt := range tests {
		p := fetchPage(t, s, tt.target, "Accept-Language", tt.acceptLang)
		if p.status != 404 {
			t.Fatalf("GET %s = %d, want 404", tt.target, p.status)
		}
		p.mustContain(t, tt.target, tt.want...)
		p.mustNotContain(t, tt.target, "<script>")
	}
}

// TestClipText cuts long descriptions at a word boundary.
func TestClipText(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short text", 20, "short text"},
		{"one two  three\nfour", 11, "one two…"},
		{"élan vital énergie", 8, "élan…"},
		{"abcdefghij", 4, "abcd…"},
	}
	for _, tt := range tests {
		if got := clipText(tt.in, tt.n); got != tt.want {
			t.Errorf("clipText(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
