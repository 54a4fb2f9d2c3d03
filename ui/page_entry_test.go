package ui

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

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

// TestEntryPageSimilar shows up to six similar entries, linked in the
// chosen language, and leaves the section out without a finder or when it
// fails (logged at debug level), never failing the page.
func TestEntryPageSimilar(t *testing.T) {
	logs := &syncBuffer{}
	s, _, idx := newPageServerWith(t, pageEntries(), func(c *Config) { c.Logger = zerolog.New(logs).Level(zerolog.DebugLevel) })
	noFinder, _, _ := newPageServerWith(t, pageEntries(), func(c *Config) { c.Similar = nil })
	bulk, _, _ := newPageServer(t, pageBulkEntries(40))
	section := `<h2 id="similar-h">`
	tests := []struct {
		name, target string
		srv          *Server
		fail         error
		cards        int
		want, not    []string
	}{
		{"en", "/entries/e3", s, nil, 1, []string{section + "Similar entries</h2>",
			`<a href="/entries/e1">` + html.EscapeString(pageScriptTitle) + `</a>`}, []string{`href="/entries/e3"`}},
		{"fr keeps lang", "/entries/e3?lang=fr", s, nil, 1, []string{section + "Fiches similaires</h2>", `<a href="/entries/e1?lang=fr">`}, nil},
		{"ar", "/entries/e1?lang=ar", s, nil, 1, []string{section + "مدخلات مشابهة</h2>", `<a href="/entries/e3?lang=ar">`}, nil},
		{"none found", "/entries/e4", s, nil, 0, nil, []string{section}},
		{"at most six", "/entries/b0000", bulk, nil, maxSimilar, []string{section}, nil},
		{"no finder", "/entries/e3", noFinder, nil, 0, nil, []string{section}},
		{"finder fails", "/entries/e3", s, errors.New("index closed"), 0, nil, []string{section}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx.similarErr = tt.fail
			p := fetchPage(t, tt.srv, tt.target)
			if p.status != 200 {
				t.Fatalf("GET %s = %d, want 200", tt.target, p.status)
			}
			p.mustContain(t, tt.target, tt.want...)
			p.mustNotContain(t, tt.target, tt.not...)
			if n := strings.Count(p.body, `<li class="hit card">`); n != tt.cards {
				t.Errorf("GET %s: %d similar entries, want %d", tt.target, n, tt.cards)
			}
			if bad := unsafeHTML(p.body); len(bad) > 0 {
				t.Errorf("GET %s: %v", tt.target, bad)
			}
		})
	}
	if !strings.Contains(logs.String(), `"level":"debug"`) || !strings.Contains(logs.String(), "index closed") {
		t.Errorf("the failure of the finder is not logged at debug level:\n%s", logs.String())
	}
}

// TestEntryPageJSONLD renders the schema.org description in the head, with
// the configured public origin or the request's, never an unsafe website,
// and none for a withdrawn entry.
func TestEntryPageJSONLD(t *testing.T) {
	ldRE := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	tests := []struct {
		name, base, target string
		withdraw           bool
		want               map[string]any // fields of the document; nil: no block
	}{
		{"configured origin", "https://stocktaking.example.org/", "/entries/e2", false, map[string]any{
			"@id": "https://stocktaking.example.org/entries/e2", "name": "Digital health records for rural clinics",
			"sameAs": "https://example.org/clinics", "inLanguage": "fr"}},
		{"request origin", "", "/entries/e2?lang=ar", false, map[string]any{"url": "http://example.com/entries/e2"}},
		{"hostile entry", "", "/entries/e1", false, map[string]any{"name": pageScriptTitle, "sameAs": nil}},
		{"withdrawn", "", "/entries/e1", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, st, _ := newPageServerWith(t, pageEntries(), func(c *Config) { c.API.BaseURL = tt.base })
			st.entries["e1"].Withdrawn = tt.withdraw
			p := fetchPage(t, s, tt.target)
			head, _, _ := strings.Cut(p.body, "</head>")
			m := ldRE.FindAllStringSubmatch(head, -1)
			if tt.want == nil {
				if len(m) != 0 || strings.Contains(p.body, "ld+json") {
					t.Fatalf("GET %s: JSON-LD on a withdrawn entry", tt.target)
				}
				return
			}
			if len(m) != 1 {
				t.Fatalf("GET %s: %d JSON-LD blocks in the head, want 1", tt.target, len(m))
			}
			if strings.Contains(m[0][1], "<") {
				t.Errorf("GET %s: JSON-LD holds '<': %s", tt.target, m[0][1])
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(m[0][1]), &doc); err != nil {
				t.Fatalf("GET %s: JSON-LD does not parse: %v\n%s", tt.target, err, m[0][1])
			}
			if doc["@context"] != "https://schema.org" {
				t.Errorf("GET %s: @context = %v", tt.target, doc["@context"])
			}
			for k, v := range tt.want {
				if doc[k] != v {
					t.Errorf("GET %s: %s = %v, want %v", tt.target, k, doc[k], v)
				}
			}
		})
	}
}

// Similar returns, in id order, the entries other than id that are not
// withdrawn and share an action line or an SDG with it, at most size.
func (x *pageFakeIndex) Similar(ctx context.Context, id string, size int, lang string) ([]search.Hit, error) {
	if x.similarErr != nil {
		return nil, x.similarErr
	}
	e, err := x.store.Get(id)
	if err != nil {
		return nil, err
	}
	shares := func(o *search.Entry) bool {
		for _, al := range o.ActionLines {
			if slices.Contains(e.ActionLines, al) {
				return true
			}
		}
		for _, g := range o.SDGs {
			if slices.Contains(e.SDGs, g) {
				return true
			}
		}
		return false
	}
	var hits []search.Hit
	for _, oid := range x.store.ids() {
		o := x.store.entries[oid]
		if oid == id || o.Withdrawn || !shares(o) || len(hits) == size {
			continue
		}
		hits = append(hits, search.Hit{ID: o.ID, Title: o.Title, Organization: o.Organization, Country: o.Country,
			Stakeholder: o.Stakeholder, Year: o.Year, ActionLines: o.ActionLines, SDGs: o.SDGs, Prizes: o.Prizes})
	}
	return hits, nil
}
