package ui

import (
	"context"
	"html"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestSearchPageLanguages renders the search page in the four languages,
// chosen by ?lang= or by Accept-Language, and checks lang, dir and
// translated labels (country names from CLDR included).
func TestSearchPageLanguages(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	tests := []struct {
		name, target, acceptLang string
		lang, dir                string
		want                     []string
	}{
		{"default", "/search", "", "en", "ltr", []string{"5 entries", "Egypt", "Sustainable Development Goals"}},
		{"query fr", "/search?lang=fr", "", "fr", "ltr", []string{"5 fiches", "Égypte", "Objectifs de développement durable", "ODD 4"}},
		{"query es", "/search?lang=es", "", "es", "ltr", []string{"5 fichas", "Egipto", "Objetivos de Desarrollo Sostenible", "ODS 4"}},
		{"query ar", "/search?lang=ar", "", "ar", "rtl", []string{"مصر", "أهداف التنمية المستدامة", "الهدف 4"}},
		{"header fr", "/search", "fr-CH, fr;q=0.9, en;q=0.5", "fr", "ltr", []string{"Égypte"}},
		{"header ar", "/", "ar-EG,ar;q=0.9", "ar", "rtl", []string{"مصر"}},
		{"header unknown", "/search", "de-DE", "en", "ltr", []string{"Egypt"}},
		{"query wins", "/search?lang=es", "fr", "es", "ltr", []string{"Egipto"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fetchPage(t, s, tt.target, "Accept-Language", tt.acceptLang)
			if p.status != 200 {
				t.Fatalf("GET %s = %d, want 200", tt.target, p.status)
			}
			p.mustContain(t, tt.target, append(tt.want, `<html lang="`+tt.lang+`" dir="`+tt.dir+`">`)...)
			if got := p.header.Get("Content-Language"); got != tt.lang {
				t.Errorf("GET %s: Content-Language = %q, want %q", tt.target, got, tt.lang)
			}
		})
	}
}

// TestSearchPageLinksKeepLang checks that a language chosen in the URL is
// carried on by every search link, and one from the header is not.
func TestSearchPageLinksKeepLang(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	p := fetchPage(t, s, "/search?lang=fr&sdg=4")
	p.mustContain(t, "fr", `href="/search?sdg=4,5&amp;lang=fr"`, `<input type="hidden" name="lang" value="fr">`)
	p = fetchPage(t, s, "/search?sdg=4", "Accept-Language", "fr")
	p.mustContain(t, "fr header", `href="/search?sdg=4,5"`)
	if !strings.Contains(p.header.Get("Vary"), "Accept-Language") {
		t.Errorf("Vary = %q, want Accept-Language", p.header.Get("Vary"))
	}
}

// TestEntryLinksKeepLang checks that every page listing entries links to
// them in the language the URL chose, and without a language otherwise.
func TestEntryLinksKeepLang(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	entryHref := regexp.MustCompile(`href="(/entries/[^"]*)"`)
	for _, page := range []string{"/search?q=health", "/report?q=health", "/showcase?year=2019", "/shortlist?ids=e2,e3"} {
		for _, lang := range []string{"", "fr", "ar"} {
			target, wantQuery := page, ""
			if lang != "" {
				target, wantQuery = page+"&lang="+lang, "lang="+lang
			}
			p := fetchPage(t, s, target)
			if p.status != 200 {
				t.Fatalf("GET %s = %d, want 200", target, p.status)
			}
			links := entryHref.FindAllStringSubmatch(p.body, -1)
			if len(links) == 0 {
				t.Fatalf("GET %s: no link to an entry", target)
			}
			for _, m := range links {
				if _, query, _ := strings.Cut(m[1], "?"); query != wantQuery {
					t.Errorf("GET %s: entry link %q has query %q, want %q", target, m[1], query, wantQuery)
				}
			}
		}
	}
}

// TestScriptTitleEscaped checks that the hostile title and organisation
// never reach the page as markup, on every page that shows them.
func TestScriptTitleEscaped(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	for _, target := range []string{
		"/search",
		"/search?q=" + urlQ(pageScriptTitle),
		"/search?q=health&sort=title",
		"/entries/e1",
		"/entries/e1?lang=ar",
		"/search?q=" + urlQ(pageScriptTitle) + "&region=europe", // zero results, query echoed
	} {
		p := fetchPage(t, s, target)
		if p.status != 200 {
			t.Fatalf("GET %s = %d", target, p.status)
		}
		p.mustNotContain(t, target, "<script>alert", "<b>", "javascript:")
		p.mustContain(t, target, html.EscapeString(pageScriptTitle))
		// entry pages add one schema.org data block, which is not executed
		wantLD := 0
		if strings.HasPrefix(target, "/entries/") {
			wantLD = 1
		}
		n, ours, ld := strings.Count(p.body, "<script"), strings.Count(p.body, `<script src="/static/`), strings.Count(p.body, `<script type="application/ld+json">{`)
		if n != 2+wantLD || ours != 2 || ld != wantLD {
			t.Errorf("GET %s: %d <script elements (%d of ours, %d JSON-LD), want app.js, shortlist.js and %d JSON-LD", target, n, ours, ld, wantLD)
		}
	}
}

// TestSnippetIsTheOnlyHTML checks that the index's snippet keeps its <mark>
// while the entry text inside it stays escaped.
func TestSnippetIsTheOnlyHTML(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	p := fetchPage(t, s, "/search?q=description")
	p.mustContain(t, "snippet", `<p class="snip" dir="auto">A &lt;script&gt;alert(2)&lt;/script&gt; <mark>description</mark>`)
}

// TestFacetLinksToggle checks that each facet value links to the URL with
// that value added, or removed when it is selected.
func TestFacetLinksToggle(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	tests := []struct {
		target string
		want   []string
	}{
		{"/search", []string{
			`<a href="/search?sdg=4"><span class="sw sdg-4"></span>4 · Quality Education<span class="n">2</span></a>`,
			`<a href="/search?region=africa">Africa<span class="n">`,
			`<li class="sub"><a href="/search?action_line=C7.4">`,
		}},
		{"/search?sdg=4", []string{
			`<a href="/search" aria-current="true"><span class="sw sdg-4"></span>`,
			`<a href="/search?sdg=4,5">`,
			`<a href="/search?sdg=4&amp;region=africa">`,
		}},
		{"/search?q=health&sdg=3,4&page=1", []string{
			`<a href="/search?q=health&amp;sdg=4" aria-current="true">`,
			`<a href="/search?q=health&amp;sdg=3" aria-current="true">`,
		}},
		{"/search?country=EGY&sort=newest", []string{
			`<a href="/search?sort=newest" aria-current="true">Egypt<span class="n">`,
		}},
	}
	for _, tt := range tests {
		p := fetchPage(t, s, tt.target)
		p.mustContain(t, tt.target, tt.want...)
	}
}

// TestChipsRemoveValues checks that every active filter is a chip linking
// to the same search without it, and that "clear all" keeps the text.
func TestChipsRemoveValues(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	target := "/search?q=health&region=europe&sdg=3&year_from=2015&sort=title"
	p := fetchPage(t, s, target)
	chips := regexp.MustCompile(`<a class="chip" href="([^"]*)">`).FindAllStringSubmatch(p.body, -1)
	var got []string
	for _, m := range chips {
		got = append(got, html.UnescapeString(m[1]))
	}
	want := []string{
		"/search?q=health&region=europe&year_from=2015&sort=title", // without sdg
		"/search?q=health&sdg=3&year_from=2015&sort=title",         // without region
		"/search?q=health&sdg=3&region=europe&sort=title",          // without years
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("GET %s: chips link to\n%v\nwant\n%v", target, got, want)
	}
	p.mustContain(t, target, `<a class="clear" href="/search?q=health&amp;sort=title">`, "Years: 2015–")
}

// TestYearRangeControl checks the histogram links and the range form.
func TestYearRangeControl(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	p := fetchPage(t, s, "/search?q=s&year_from=2018")
	p.mustContain(t, "years",
		`<a href="/search?q=s&amp;year_from=2020&amp;year_to=2020" tabindex="-1">`,
		`name="year_from" type="number" inputmode="numeric" min="2003" max="2100" value="2018"`,
		`<input type="hidden" name="q" value="s">`,
	)
	if !regexp.MustCompile(`class="in"><title>2020: 1</title>`).MatchString(p.body) {
		t.Errorf("the bar of 2020 is not marked inside the range")
	}
}

// TestZeroResultsPage checks what an empty result explains and offers.
func TestZeroResultsPage(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	tests := []struct {
		target string
		want   []string
		absent []string
	}{
		{"/search?q=helth", []string{
			"No entries match “helth”",
			`Did you mean: <a href="/search?q=health">health</a>`,
			"Check the spelling",
		}, []string{`class="hits"`, `class="pager"`}},
		{"/search?q=clinics&region=africa&sdg=3", []string{
			"No entries match “clinics”",
			`<a class="chip" href="/search?q=clinics&amp;region=africa">`,
			`<a class="chip" href="/search?q=clinics&amp;sdg=3">`,
			`<a href="/search?q=clinics">Search “clinics” without any filter</a>`,
		}, []string{"Did you mean"}},
		{"/search?region=africa&country=FRA&lang=es", []string{
			"Ninguna ficha coincide con estos filtros",
			`<a href="/search?lang=es">Mostrar todas las fichas</a>`,
		}, nil},
	}
	for _, tt := range tests {
		p := fetchPage(t, s, tt.target)
		if p.status != 200 {
			t.Fatalf("GET %s = %d, want 200", tt.target, p.status)
		}
		p.mustContain(t, tt.target, tt.want...)
		p.mustNotContain(t, tt.target, tt.absent...)
	}
}

// TestPagination checks the pager around the current page.
func TestPagination(t *testing.T) {
	s, _, _ := newPageServer(t, pageBulkEntries(200))
	p := fetchPage(t, s, "/search?size=10&page=6")
	p.mustContain(t, "page 6",
		`<a href="/search?size=10&amp;page=5" rel="prev">`,
		`<a href="/search?size=10&amp;page=7" rel="next">`,
		`<a href="/search?size=10"><span class="vh">Page </span>1</a>`,
		`<a href="/search?size=10&amp;page=6" aria-current="page">`,
		`<a href="/search?size=10&amp;page=20"><span class="vh">Page </span>20</a>`,
	)
	if n := strings.Count(p.body, `<li class="gap"`); n != 2 {
		t.Errorf("page 6 of 20 has %d gaps, want 2", n)
	}
	p = fetchPage(t, s, "/search?q=Afghanistan&size=10") // fewer results than a page
	p.mustNotContain(t, "one page", `class="pager"`)
}

// TestFacetListsAreCapped checks the top-10 list and the show-more cap.
func TestFacetListsAreCapped(t *testing.T) {
	s, _, _ := newPageServer(t, pageBulkEntries(400))
	p := fetchPage(t, s, "/search")
	sec := htmlSection(p.body, `id="f-country"`)
	if n := strings.Count(sec, "<li"); n != maxFacetShown {
		t.Errorf("country facet lists %d values, want %d", n, maxFacetShown)
	}
	if !strings.Contains(sec, `<details class="more"><summary>Show 40 more</summary>`) {
		t.Errorf("country facet lacks its show-more of 40: %.300s", sec)
	}
	if !strings.Contains(sec, "more not listed") {
		t.Errorf("country facet does not say that values are left out")
	}
}

// TestSearchPageSize keeps a full page of 20 hits (each with its shortlist
// button) with every facet and the main navigation under
// 72 KB, in every language.
func TestSearchPageSize(t *testing.T) {
	s, _, _ := newPageServer(t, pageBulkEntries(600))
	for _, target := range []string{
		"/search", "/search?q=health&lang=ar", "/search?q=health&sdg=3,4,5&region=africa&country=KEN&lang=fr",
		"/search?action_line=C7&year_from=2005&year_to=2020&lang=es&sort=newest&page=2",
	} {
		p := fetchPage(t, s, target)
		if got := strings.Count(p.body, `<li class="hit">`); got != 20 && !strings.Contains(target, "country=KEN") {
			t.Errorf("GET %s: %d hits, want 20", target, got)
		}
		if len(p.body) > 72<<10 {
			t.Errorf("GET %s: page is %d bytes, want at most %d", target, len(p.body), 72<<10)
		}
	}
}

// TestSearchPageBadRequest shows an invalid parameter as an HTML 400 page
// that names the parameter.
func TestSearchPageBadRequest(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	p := fetchPage(t, s, "/search?sort=bogus&lang=fr")
	if p.status != 400 {
		t.Fatalf("GET /search?sort=bogus = %d, want 400", p.status)
	}
	p.mustContain(t, "sort=bogus", `<html lang="fr" dir="ltr">`, "Cette requête n’a pas pu être lue", "sort must be one of")
}

// BenchmarkRenderSearchPage measures a full search page: 20 hits and every
// facet, over a fake index (so mostly rendering).
func BenchmarkRenderSearchPage(b *testing.B) {
	s, _, idx := newPageServer(b, pageBulkEntries(600))
	target := "/search?q=health&sdg=3,4&region=africa&lang=fr"
	req := &search.Request{Text: "health", Filters: search.Filters{Values: map[string][]string{"sdg": {"3", "4"}, "region": {"africa"}}}}
	req.Normalize()
	res, err := idx.Search(context.Background(), req)
	if err != nil || len(res.Hits) != 20 {
		b.Fatalf("canned search: %d hits, %v", len(res.Hits), err)
	}
	idx.canned = res
	var durs []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		p := fetchPage(b, s, target)
		durs = append(durs, time.Since(start))
		if p.status != 200 {
			b.Fatalf("GET %s = %d", target, p.status)
		}
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "median-ms")
}

// section returns the HTML of the element whose opening tag holds attr, up
// to its closing </section>.
func htmlSection(body, attr string) string {
	i := strings.Index(body, attr)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// urlQ escapes a query value for a test URL.
func urlQ(s string) string { return queryEscape(s) }
