package ui

import (
	"bytes"
	"compress/gzip"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestDiscoveryPagesLanguages renders every discovery page in the four
// languages and checks lang, dir, the navigation and translated words.
func TestDiscoveryPagesLanguages(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	pages := []struct {
		path string
		want map[string][]string // per language
	}{
		{"/explore", map[string][]string{
			"en": {"Entries per year, by stakeholder type", "WSIS Action Lines × SDGs", "Egypt"},
			"fr": {"Fiches par année, par type de partie prenante", "Égypte", "ODD 4"},
			"es": {"Fichas por año, por tipo de parte interesada", "Egipto", "ODS 4"},
			"ar": {"المدخلات حسب السنة ونوع الجهة المعنية", "مصر"},
		}},
		{"/showcase", map[string][]string{
			"en": {"WSIS Prizes 2022: winners and champions", "Champion"},
			"fr": {"Prix du SMSI 2022 : lauréats et champions"},
			"es": {"Premios de la CMSI 2022: ganadores y campeones", "Campeón"},
			"ar": {"جوائز القمة 2022: الفائزون والأبطال"},
		}},
		{"/shortlist?ids=e2,e3", map[string][]string{
			"en": {"A shared shortlist", "2 entries", "By stakeholder type"},
			"fr": {"Une sélection partagée", "2 fiches", "Égypte"},
			"es": {"Una selección compartida", "2 fichas"},
			"ar": {"قائمة مختصرة مشتركة", "مصر"},
		}},
		{"/report", map[string][]string{
			"en": {"Stocktaking report", "All entries of the WSIS Stocktaking", "C7.4 E-health"},
			"fr": {"Rapport d’inventaire", "C7.4 Cybersanté"},
			"es": {"Informe del inventario", "C7.4 Cibersalud"},
			"ar": {"تقرير الحصيلة", "الصحة الإلكترونية"},
		}},
	}
	nav := map[string]string{"en": "Explore", "fr": "Explorer", "es": "Explorar", "ar": "استكشاف"}
	for _, pg := range pages {
		for _, lang := range pageLangs {
			target := pg.path + sepFor(pg.path) + "lang=" + lang
			p := fetchPage(t, s, target)
			if p.status != 200 {
				t.Fatalf("GET %s = %d, want 200", target, p.status)
			}
			dir := "ltr"
			if lang == "ar" {
				dir = "rtl"
			}
			p.mustContain(t, target, append(pg.want[lang],
				`<html lang="`+lang+`" dir="`+dir+`">`,
				`<nav class="mainnav" aria-label="`,
				`>`+nav[lang]+`</a>`,
				`<a class="nav-showcase" href="/showcase?lang=`+lang+`"`,
			)...)
		}
	}
}

// sepFor is the separator before one more query parameter of path.
func sepFor(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// TestExploreChartLinks checks that the chart elements and the data tables
// link to the search of their value under the page's query and filters.
func TestExploreChartLinks(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	tests := []struct {
		target string
		want   []string
	}{
		{"/explore", []string{
			// stacked bars: year and stakeholder
			`<a href="/search?year=2020&amp;stakeholder=civil-society"><title>Civil society, 2020: 1</title>`,
			// action lines and SDGs, with their counts
			`<a href="/search?action_line=C7.3"><title>C7.3 E-learning: 1</title>`,
			`<a href="/search?sdg=4"><title>4 Quality Education: 2</title>`,
			// the heatmap: a pair of the WSIS–SDG Matrix and one outside it
			`<a href="/search?action_line=C7.3&amp;sdg=4"><title>C7.3 × SDG 4: 1 (WSIS–SDG Matrix)</title>`,
			`<a href="/search?action_line=C7.3&amp;sdg=5"><title>C7.3 × SDG 5: 1</title>`,
			// the map, and the country table, which lists INTERNATIONAL too
			`<a href="/search?country=EGY"><title>Egypt: 1</title>`,
			`<th scope="row"><a href="/search?country=XIN">International</a></th><td>1</td>`,
			// the data table of the years
			`<th scope="row"><a href="/search?year=2018">2018</a></th>`,
			"A dot marks a pair linked by the WSIS–SDG Matrix",
		}},
		{"/explore?q=health&region=europe,africa&year_from=2010&lang=fr", []string{
			`<a href="/search?q=health&amp;sdg=3&amp;region=europe,africa&amp;year_from=2010&amp;lang=fr">`,
			`<a href="/search?q=health&amp;region=africa&amp;year_from=2010&amp;lang=fr">`, // the region bar replaces the selection
			`<a class="chip" href="/explore?q=health&amp;region=africa&amp;year_from=2010&amp;lang=fr">`,
			`<a class="v-search" href="/search?q=health&amp;region=europe,africa&amp;year_from=2010&amp;lang=fr">`,
			`<a class="v-csv" href="/api/v1/export?format=csv&amp;q=health&amp;region=europe,africa&amp;year_from=2010" download>`,
			`<a class="nav-search" href="/search?q=health&amp;region=europe,africa&amp;year_from=2010&amp;lang=fr">`,
		}},
	}
	for _, tt := range tests {
		p := fetchPage(t, s, tt.target)
		if p.status != 200 {
			t.Fatalf("GET %s = %d", tt.target, p.status)
		}
		p.mustContain(t, tt.target, tt.want...)
	}
	// An empty heatmap cell links nowhere.
	p := fetchPage(t, s, "/explore")
	p.mustNotContain(t, "/explore", `href="/search?action_line=C1&amp;sdg=1"`)
}

// TestExploreWithoutJavaScript checks that the page is complete as served:
// every chart is inline SVG with a data table, nothing waits for a script,
// and no inline script or style is used.
func TestExploreWithoutJavaScript(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	p := fetchPage(t, s, "/explore?sdg=4")
	if n := strings.Count(p.body, `<figure class="fig`); n != 7 {
		t.Errorf("explore has %d figures, want 7", n)
	}
	if n := strings.Count(p.body, `<details class="data">`); n != 7 {
		t.Errorf("explore has %d data tables, want one per figure", n)
	}
	if n := strings.Count(p.body, `<svg xmlns="http://www.w3.org/2000/svg" class="chart`); n != 7 {
		t.Errorf("explore has %d inline charts, want 7", n)
	}
	p.mustNotContain(t, "explore", "style=", "<script>", " onclick=", "<noscript")
	p.mustContain(t, "explore", `<bdi dir="ltr">2</bdi></dd>`, "Entries per country")
	if got := p.header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") {
		t.Errorf("explore CSP = %q", got)
	}
}

// TestExploreWithoutStats answers 503 with a clear page, and the report
// still lists the entries.
func TestExploreWithoutStats(t *testing.T) {
	s, _, _ := newPageServerWith(t, pageEntries(), func(c *Config) { c.Stats = nil })
	p := fetchPage(t, s, "/explore?lang=es")
	if p.status != 503 {
		t.Fatalf("GET /explore without stats = %d, want 503", p.status)
	}
	p.mustContain(t, "/explore", "Los gráficos no están disponibles en este servidor", `<a class="btn" href="/search?lang=es">`)
	p = fetchPage(t, s, "/report")
	if p.status != 200 {
		t.Fatalf("GET /report without stats = %d, want 200", p.status)
	}
	p.mustContain(t, "/report", "Charts are not available on this server", "Digital health records for rural clinics")
	p.mustNotContain(t, "/report", "<figure")
}

// TestDiscoveryPagesEscapeHostileText puts the hostile entry on every page
// and in the query, and checks that nothing of it becomes markup.
func TestDiscoveryPagesEscapeHostileText(t *testing.T) {
	s, st, _ := newPageServer(t, pageEntries())
	st.entries["e1"].Prizes = []search.Prize{{Year: 2022, Category: 4, Status: "winner"}}
	q := urlQ(pageScriptTitle)
	for _, target := range []string{
		"/explore", "/explore?q=" + q, "/explore?q=" + q + "&lang=ar",
		"/showcase", "/showcase?category=4",
		"/shortlist?ids=e1,e2", "/report", "/report?q=" + q, "/report?q=script",
		"/search?q=script",
	} {
		p := fetchPage(t, s, target)
		if p.status != 200 {
			t.Fatalf("GET %s = %d, want 200", target, p.status)
		}
		p.mustNotContain(t, target, "<script>alert", "<b>", "javascript:")
		if n, ours := strings.Count(p.body, "<script"), strings.Count(p.body, `<script src="/static/`); n != ours {
			t.Errorf("GET %s: %d <script elements, %d of them ours", target, n, ours)
		}
		if target == "/explore" { // no title and no query on it
			continue
		}
		if !strings.Contains(p.body, html.EscapeString(pageScriptTitle)) && !strings.Contains(p.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("GET %s: the hostile title is not shown escaped", target)
		}
	}
}

// TestExplorePageWeight keeps a typical explore page (600 entries over
// every country, line and goal) under 150 KB as sent, compressed, with its
// scripts and stylesheets.
func TestExplorePageWeight(t *testing.T) {
	s, _, _ := newPageServer(t, pageBulkEntries(600))
	p := fetchPage(t, s, "/explore?lang=fr")
	total := gzipSize(t, []byte(p.body))
	for _, m := range regexp.MustCompile(`(?:href|src)="/static/[0-9a-f]+/([^"]+)"`).FindAllStringSubmatch(p.body, -1) {
		f, ok := assets.static[m[1]]
		if !ok {
			t.Fatalf("explore links a missing static file %s", m[1])
		}
		total += gzipSize(t, f.body)
	}
	if total > 150<<10 {
		t.Errorf("explore weighs %d bytes compressed, want at most %d", total, 150<<10)
	}
	if strings.Contains(p.body, "http://") || strings.Contains(p.body, "https://") {
		for _, u := range regexp.MustCompile(`(?:href|src)="(https?://[^"]+)"`).FindAllString(p.body, -1) {
			t.Errorf("explore requests an external resource: %s", u)
		}
	}
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// TestNavigationCarriesTheSearch checks that the search and explore links
// of the main navigation keep the query and filters (not the page), and
// that the search page offers its other views.
func TestNavigationCarriesTheSearch(t *testing.T) {
	s, _, _ := newPageServer(t, pageBulkEntries(60))
	p := fetchPage(t, s, "/search?q=health&sdg=4&size=5&page=2&lang=fr")
	p.mustContain(t, "search",
		`<a class="nav-search" href="/search?q=health&amp;sdg=4&amp;size=5&amp;lang=fr" aria-current="page">Recherche</a>`,
		`<a class="nav-explore" href="/explore?q=health&amp;sdg=4&amp;size=5&amp;lang=fr">Explorer</a>`,
		`<a class="nav-shortlist" href="/shortlist?lang=fr">Sélection <span class="cnt" data-sl-count>0</span></a>`,
		`<a class="v-report" href="/report?q=health&amp;sdg=4&amp;size=5&amp;lang=fr">Rapport imprimable</a>`,
		`<a class="v-csv" href="/api/v1/export?format=csv&amp;q=health&amp;sdg=4&amp;size=5" download>`,
	)
	p = fetchPage(t, s, "/entries/b0001")
	p.mustContain(t, "entry", `<a class="nav-search" href="/search">Search</a>`)
	p.mustNotContain(t, "entry", `aria-current="page"`)
}
