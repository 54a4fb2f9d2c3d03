package ui

import (
	"regexp"
	"strings"
	"testing"
)

// TestReport groups the entries of any search by action line, with the
// summary, the charts, printed URLs and the contents.
func TestReport(t *testing.T) {
	s, _, _ := newPageServer(t, pageEntries())
	p := fetchPage(t, s, "/report?q=health&sdg=3,2")
	if p.status != 200 {
		t.Fatalf("GET /report = %d", p.status)
	}
	p.mustContain(t, "/report",
		`<p class="scope">Search: “health” · SDG: 3 · Good Health and Well-being · SDG: 2 · Zero Hunger</p>`,
		`<section class="rep-sec" id="al-C7-4" aria-labelledby="al-C7-4-h">`,
		`<h2 id="al-C7-4-h">C7.4 E-health <span class="n">1 entry</span></h2>`,
		`<p class="purl">http://example.com/entries/e2</p>`,
		`<a href="#al-C7-7">C7.7 E-agriculture (1 entry)</a>`,
		`<p dir="auto" lang="fr">Clinics share health records. A second paragraph.</p>`,
		`<a class="v-explore" href="/explore?q=health&amp;sdg=3,2">`,
		`<button type="button" class="print" hidden>`,
		`<link rel="stylesheet" href="/static/`, `/print.css" media="print">`,
		`<body class="page-report">`,
	)
	p.mustNotContain(t, "/report", "Mobile learning in Arabic")

	// Sections follow the order of the action lines; an entry in two lines
	// is listed in both.
	s2, st, _ := newPageServer(t, pageEntries())
	st.entries["e5"].ActionLines = []string{"C7.7", "C2"}
	p = fetchPage(t, s2, "/report")
	ids := regexp.MustCompile(`<section class="rep-sec" id="([^"]+)"`).FindAllStringSubmatch(p.body, -1)
	var got []string
	for _, m := range ids {
		got = append(got, m[1])
	}
	if want := "al-C2 al-C4 al-C5 al-C7-3 al-C7-4 al-C7-7"; strings.Join(got, " ") != want {
		t.Errorf("report sections = %v, want %s", got, want)
	}
	if n := strings.Count(p.body, "Agriculture market prices by SMS</a></h3>"); n != 2 {
		t.Errorf("the entry of two lines is listed %d times, want 2", n)
	}
}

// TestReportIsCapped lists at most reportMaxEntries entries and says so.
func TestReportIsCapped(t *testing.T) {
	s, _, _ := newPageServer(t, pageBulkEntries(520))
	p := fetchPage(t, s, "/report?lang=es")
	if p.status != 200 {
		t.Fatalf("GET /report = %d", p.status)
	}
	p.mustContain(t, "/report", "Este informe incluye las 500 primeras fichas de 520.")
	distinct := map[string]bool{}
	for _, m := range regexp.MustCompile(`<p class="purl">([^<]+)</p>`).FindAllStringSubmatch(p.body, -1) {
		distinct[m[1]] = true
	}
	if len(distinct) != reportMaxEntries {
		t.Errorf("report lists %d distinct entries, want %d", len(distinct), reportMaxEntries)
	}
}
