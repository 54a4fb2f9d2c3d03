package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeTags are the rule sets run: WCAG 2.0 and 2.1, levels A and AA.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]`

// axeRunJS runs axe-core on the document and keeps what a report needs.
// axe cannot judge text over a gradient and only asks for a review; for
// those nodes the script checks the contrast against every colour stop
// of the gradient and reports a failure as a violation of its own.
const axeRunJS = `(() => {
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const colours = s => (s.match(/rgba?\([^)]*\)/g) || []).map(m => m.match(/[\d.]+/g).slice(0, 3).map(Number));
  const node = (n, summary) => ({
    target: n.target.map(String).join(" "),
    html: n.html.length > 240 ? n.html.slice(0, 240) + "…" : n.html,
    summary: summary || (n.failureSummary || "").replace(/\s+/g, " ")
  });
  const overGradient = n => {
    const d = ((n.any || [])[0] || {}).data || {};
    if (d.messageKey !== "bgGradient") return null;
    const el = document.querySelector(String(n.target[0]));
    if (!el) return null;
    const fg = colours(getComputedStyle(el).color)[0];
    for (let a = el; a && fg; a = a.parentElement) {
      const stops = colours(getComputedStyle(a).backgroundImage);
      if (!stops.length) continue;
      const worst = Math.min(...stops.map(s => ratio(fg, s)));
      const want = parseFloat(d.expectedContrastRatio) || 4.5;
      return worst < want ? node(n, "contrast " + worst.toFixed(2) + ":1 against the gradient's worst stop, want " + want + ":1 (text " + getComputedStyle(el).color + ")") : null;
    }
    return null;
  };
  return axe.run(document, {runOnly: {type: "tag", values: ` + axeTags + `}, resultTypes: ["violations", "incomplete"]}).then(r => {
    const out = r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, url: v.helpUrl, count: v.nodes.length, nodes: v.nodes.slice(0, 8).map(n => node(n))}));
    const cc = r.incomplete.find(v => v.id === "color-contrast");
    const bad = cc ? cc.nodes.map(overGradient).filter(Boolean) : [];
    if (bad.length) out.push({id: "color-contrast-gradient", impact: "serious", help: "Text over a gradient must meet the contrast ratio against every colour stop", url: cc.helpUrl, count: bad.length, nodes: bad.slice(0, 8)});
    return out;
  });
})()`

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
	{"explore", "/explore?q=health", 200, true},
	{"showcase", "/showcase", 200, true},
	{"shortlist", "/shortlist", 200, true},
	{"report", "/report?q=health&action_line=C7.4", 200, true},
	{"submit", "/submit", 200, false},
	{"signin", "/signin", 200, false},
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
		case p.optional && (resp.StatusCode == 404 || resp.StatusCode == 503):
			t.Logf("axe: %s answers %d: not there (yet), skipped", p.path, resp.StatusCode)
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

// mobilePages are checked at the phone size too, in English and Arabic.
var mobilePages = map[string]bool{"home": true, "results": true, "filtered": true, "entry": true}

// testAxe runs axe-core on every page in every language at the desktop
// size; in English and Arabic also at the phone size and on the open
// suggestion list. Languages run two at a time, one tab each.
func (s *browserSuite) testAxe(t *testing.T) {
	src, err := os.ReadFile("testdata/browser/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	pages := s.present(t)
	for _, lang := range browserLangs {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			s.axeLanguage(t, string(src), pages, lang)
		})
	}
}

// axeLanguage checks the pages in one language.
func (s *browserSuite) axeLanguage(t *testing.T, src string, pages []axePage, lang string) {
	tb := s.newTabFor(t, true, 4*time.Minute)
	check := func(where, shot string) {
		start := time.Now()
		defer func() { t.Logf("axe %s: %v", where, time.Since(start).Round(time.Millisecond)) }()
		if vs := tb.runAxe(src); len(vs) > 0 {
			t.Error(formatViolations(where, vs))
			tb.screenshot(shot)
		} else {
			tb.screenshotIfKept(shot)
		}
	}
	rtlOrEn := lang == "en" || lang == "ar"
	for _, size := range []string{"desktop", "mobile"} {
		if size == "mobile" {
			if !rtlOrEn {
				break
			}
			tb.setPhone(true)
		}
		for _, p := range pages {
			if size == "mobile" && !mobilePages[p.name] {
				continue
			}
			path := withLang(p.path, lang)
			tb.do("open "+path, chromedp.Navigate(s.base+path))
			check(fmt.Sprintf("%s (%s, %s)", path, p.name, size), p.name)
		}
	}
	if !rtlOrEn {
		return
	}
	// The suggestion list that app.js builds, with an option marked.
	tb.setPhone(false)
	tb.open(withLang("/search?q=health", lang))
	tb.do("type", chromedp.Evaluate[chromedp.Void](`document.querySelector("#q").value = ""`), chromedp.SendKeys(chromedp.CSS("#q"), "digital"))
	tb.waitFor("suggestions", `document.querySelector("#suggest li") && !document.querySelector("#suggest").hidden`)
	tb.do("arrow down", chromedp.KeyEvent(kb.ArrowDown))
	check("the open suggestion list on "+tb.location(), "suggestions")
}

// badPage has one known axe violation (an image without alternative text)
// and one gradient contrast failure, to show the checks can fail.
const badPage = `data:text/html,<!doctype html><html lang="en"><title>bad</title><main>` +
	`<div style="background:linear-gradient(180deg,%230b4f8a,%23062b4f);padding:1em">` +
	`<a href="/x" style="color:%230d5fa6">Low contrast link</a></div>` +
	`<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20"></main></html>`

// testAxeSelfCheck runs the axe harness on a page with known faults.
func (s *browserSuite) testAxeSelfCheck(t *testing.T) {
	src, err := os.ReadFile("testdata/browser/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	tb := s.newTab(t, true)
	tb.do("open the bad page", chromedp.Navigate(badPage))
	got := map[string]bool{}
	for _, v := range tb.runAxe(string(src)) {
		got[v.ID] = true
	}
	for _, id := range []string{"image-alt", "color-contrast-gradient"} {
		if !got[id] {
			t.Errorf("axe harness missed %s on a page that has it; found %v", id, got)
		}
	}
}
