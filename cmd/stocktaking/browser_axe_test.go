package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeTags are the rule sets run: WCAG 2.0 and 2.1, levels A and AA.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]`

// axeRunJS runs axe-core on the document and keeps what a report needs.
const axeRunJS = `axe.run(document, {runOnly: {type: "tag", values: ` + axeTags + `}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact || "", help: v.help, url: v.helpUrl, count: v.nodes.length,
    nodes: v.nodes.slice(0, 8).map(n => ({
      target: n.target.map(String).join(" "),
      html: n.html.length > 240 ? n.html.slice(0, 240) + "…" : n.html,
      summary: (n.failureSummary || "").replace(/\s+/g, " ")
    }))
  })))`

// axeViolation is one failed axe rule on one page.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"url"`
	Count  int    `json:"count"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axePage is a page checked by axe, with the status it must answer.
type axePage struct {
	name, path string
	status     int
	optional   bool // a page another part of the program may not have yet
}

var axePages = []axePage{
	{"home", "/", 200, false},
	{"results", "/search?q=health", 200, false},
	{"filtered", "/search?q=health&action_line=C7.4&region=africa", 200, false},
	{"page-2", "/search?page=2&sort=title", 200, false},
	{"years", "/search?year_from=2010&year_to=2015", 200, false},
	{"zero", "/search?q=zzqxjvw&sdg=3", 200, false},
	{"misspelt", "/search?q=helth", 200, false},
	{"entry", "/entries/hw-01", 200, false},
	{"entry-rtl-content", "/entries/hw-06", 200, false},
	{"not-found", "/entries/no-such-entry", 404, false},
	{"bad-request", "/search?page=-3&year_from=abc", 0, false},
	{"explore", "/explore", 200, true},
	{"showcase", "/showcase", 200, true},
	{"shortlist", "/shortlist", 200, true},
	{"report", "/report", 200, true},
}

// present reports which pages the server has, logging the optional ones
// it does not.
func (s *browserSuite) present(t *testing.T) []axePage {
	t.Helper()
	var out []axePage
	for _, p := range axePages {
		resp, err := http.Get(s.base + p.path)
		if err != nil {
			t.Fatalf("GET %s: %v", p.path, err)
		}
		resp.Body.Close()
		switch {
		case p.optional && resp.StatusCode == 404:
			t.Logf("axe: %s answers 404: not there yet, skipped", p.path)
			continue
		case p.status != 0 && resp.StatusCode != p.status:
			t.Errorf("GET %s = %d, want %d", p.path, resp.StatusCode, p.status)
		}
		out = append(out, p)
	}
	return out
}

// withLang adds ?lang= to a path.
func withLang(path, lang string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=" + lang
	}
	return path + "?lang=" + lang
}

// runAxe injects axe-core into the page shown and returns its violations.
func (tb *tab) runAxe(src string) []axeViolation {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		tb.t.Fatalf("inject axe-core: %v", err)
	}
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]axeViolation](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("run axe-core on %s: %v", tb.location(), err)
	}
	return v
}

// formatViolations prints violations so that each names the rule, the
// element and the fix.
func formatViolations(where string, vs []axeViolation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe: %d WCAG 2.1 AA violation(s) on %s", len(vs), where)
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  [%s, %s] %s (%d element(s)) %s", v.ID, v.Impact, v.Help, v.Count, v.URL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    at %s\n      %s\n      %s", n.Target, n.HTML, n.Summary)
		}
	}
	return b.String()
}

// testAxe runs axe-core on every page in every language at the desktop
// size, at the mobile size in English and Arabic, and on the open
// suggestion list.
func (s *browserSuite) testAxe(t *testing.T) {
	src, err := os.ReadFile("testdata/browser/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	pages := s.present(t)
	sizes := []struct {
		name  string
		langs []string
		act   chromedp.Action[chromedp.Void]
	}{
		{"desktop", browserLangs, chromedp.EmulateViewport(1280, 900)},
		{"mobile", []string{"en", "ar"}, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)},
	}
	tb := s.newTab(t, true)
	for _, size := range sizes {
		tb.do("viewport", size.act)
		for _, lang := range size.langs {
			for _, p := range pages {
				path := withLang(p.path, lang)
				tb.do("open "+path, chromedp.Navigate(s.base+path))
				if vs := tb.runAxe(string(src)); len(vs) > 0 {
					t.Error(formatViolations(fmt.Sprintf("%s (%s, %s, %s)", path, p.name, lang, size.name), vs))
					tb.screenshot(p.name + "-" + lang + "-" + size.name)
				} else {
					tb.screenshotIfKept(p.name + "-" + lang + "-" + size.name)
				}
			}
		}
	}
	// The suggestion list built by app.js.
	tb.do("viewport", chromedp.EmulateViewport(1280, 900))
	for _, lang := range []string{"en", "ar"} {
		tb.open(withLang("/search?q=health", lang))
		tb.do("type", chromedp.SendKeys(chromedp.CSS("#q"), " dig"))
		tb.waitFor("suggestions", `document.querySelector("#suggest li") && !document.querySelector("#suggest").hidden`)
		tb.do("arrow down", chromedp.KeyEvent(kb.ArrowDown)) // marks the first option
		if vs := tb.runAxe(string(src)); len(vs) > 0 {
			t.Error(formatViolations("the open suggestion list ("+lang+")", vs))
			tb.screenshot("suggestions-" + lang)
		}
	}
}
