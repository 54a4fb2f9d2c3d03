package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// waitFor polls a JavaScript condition until it holds, or fails after 20 s.
func (tb *tab) waitFor(what, cond string) {
	tb.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if eval[bool](tb, "!!("+cond+")") {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("waited 20 s for %s (%s); page is %s", what, cond, tb.location())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// focused describes the focused element: its id, else the first class of
// the closest landmark-like ancestor that the checks name.
const focusedJS = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "body";
  if (e.id) return "#" + e.id;
  if (e.closest(".hit h2")) return "hit";
  if (e.closest(".facet")) return "facet";
  if (e.closest(".langs")) return "lang";
  if (e.classList.contains("skip")) return "skip";
  return e.tagName.toLowerCase() + "." + e.className;
})()`

func (tb *tab) focused() string { tb.t.Helper(); return eval[string](tb, focusedJS) }

func (s *browserSuite) testSearch(t *testing.T) {
	tb := s.newTab(t, true)
	tb.open("/")
	// Suggestions: typing opens the listbox (ARIA combobox).
	tb.do("type", chromedp.SendKeys(chromedp.CSS("#q"), "healt"))
	tb.waitFor("suggestions", `document.querySelector("#suggest li") && !document.querySelector("#suggest").hidden`)
	if got := eval[string](tb, `document.querySelector("#q").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("search box aria-expanded = %q with suggestions shown, want true", got)
	}
	tb.do("type", chromedp.SendKeys(chromedp.CSS("#q"), "h"))
	tb.follow("submit with Enter", chromedp.KeyEvent(kb.Enter))
	if loc := tb.location(); !strings.HasPrefix(loc, "/search?") || !strings.Contains(loc, "q=health") {
		t.Fatalf("after submit the page is %s, want /search?q=health", loc)
	}
	if n := tb.count(".hit h2 a"); n == 0 {
		t.Fatalf("no results for health")
	}
	if h := tb.text("#results-h"); !strings.Contains(h, "health") {
		t.Errorf("results heading %q does not name the query", h)
	}
	// Zero results: an explanation and tips, no result list.
	tb.open("/search?q=zzqxjvw")
	if tb.count(".hit") != 0 || tb.count(".empty .tips li") == 0 {
		t.Errorf("zero-result page: %d hits, %d tips; want 0 hits and tips", tb.count(".hit"), tb.count(".empty .tips li"))
	}
}

func (s *browserSuite) testFacetAndChip(t *testing.T) {
	tb := s.newTab(t, true)
	tb.open("/search")
	before := tb.text("#results-h")
	eval[bool](tb, "window.__noReload = true")
	label := tb.text("#f-action_line li a")
	tb.do("click facet", chromedp.Click(chromedp.CSS("#f-action_line li a")))
	tb.waitFor("a chip", `document.querySelector(".chips .chip")`)
	if !strings.Contains(tb.location(), "action_line=") {
		t.Errorf("after a facet click the URL is %s, want an action_line filter", tb.location())
	}
	if !eval[bool](tb, "window.__noReload === true") {
		t.Errorf("the facet click reloaded the page; want fetch and swap")
	}
	if after := tb.text("#results-h"); after == before {
		t.Errorf("heading still %q after selecting facet %q", after, label)
	}
	if tb.count(`#f-action_line a[aria-current="true"]`) == 0 {
		t.Errorf("selected facet value not marked aria-current")
	}
	if f := tb.focused(); f != "facet" {
		t.Errorf("focus after the swap is on %s, want the facet link", f)
	}
	tb.screenshotIfKept("facet-selected")
	tb.do("click chip", chromedp.Click(chromedp.CSS(".chips .chip")))
	tb.waitFor("no chip", `!document.querySelector(".chips .chip")`)
	if strings.Contains(tb.location(), "action_line=") {
		t.Errorf("after removing the chip the URL is %s", tb.location())
	}
	if after := tb.text("#results-h"); after != before {
		t.Errorf("heading %q after clearing, want %q", after, before)
	}
	if !eval[bool](tb, "window.__noReload === true") {
		t.Errorf("removing the chip reloaded the page")
	}
}

func (s *browserSuite) testPages(t *testing.T) {
	tb := s.newTab(t, true)
	tb.open("/search")
	first := tb.text(".hit h2 a")
	tb.do("click next", chromedp.Click(chromedp.CSS(`.pager a[rel="next"]`)))
	tb.waitFor("page 2", `(document.querySelector('.pager a[aria-current="page"]') || {}).textContent.trim().endsWith("2")`)
	if !strings.Contains(tb.location(), "page=2") {
		t.Errorf("page 2 URL is %s", tb.location())
	}
	if got := tb.text(".hit h2 a"); got == first || got == "" {
		t.Errorf("page 2 starts with %q, page 1 with %q", got, first)
	}
}

func (s *browserSuite) testEntry(t *testing.T) {
	tb := s.newTab(t, true)
	tb.open("/search?q=health")
	title := tb.text(".hit h2 a")
	tb.follow("open first result", chromedp.Click(chromedp.CSS(".hit h2 a")))
	if !strings.HasPrefix(tb.location(), "/entries/") {
		t.Fatalf("result link led to %s", tb.location())
	}
	if got := tb.text("#entry-h"); got != title {
		t.Errorf("entry heading %q, result title %q", got, title)
	}
	if tb.count(".facts dt") == 0 {
		t.Errorf("entry page has no details list")
	}
	// A facet link on the entry page leads back to a filtered search.
	tb.follow("entry action line link", chromedp.Click(chromedp.CSS(".entry-side .links a")))
	if loc := tb.location(); !strings.HasPrefix(loc, "/search?") || tb.count(".chips .chip") == 0 {
		t.Errorf("entry facet link led to %s with %d chips", loc, tb.count(".chips .chip"))
	}
}

func (s *browserSuite) testLanguage(t *testing.T) {
	tb := s.newTab(t, true)
	for _, lang := range browserLangs {
		tb.open("/search?q=health&lang=" + lang)
		want := "ltr"
		if lang == "ar" {
			want = "rtl"
		}
		got := eval[string](tb, `document.documentElement.lang + " " + document.documentElement.dir`)
		if got != lang+" "+want {
			t.Errorf("?lang=%s: html lang/dir = %q, want %q", lang, got, lang+" "+want)
		}
	}
	// Switch with the language links, keeping the query.
	tb.open("/search?q=health")
	tb.follow("switch to Arabic", chromedp.Click(chromedp.CSS(`.langs a[hreflang="ar"]`)))
	if got := eval[string](tb, `document.documentElement.dir`); got != "rtl" {
		t.Fatalf("after choosing Arabic dir = %q, want rtl", got)
	}
	if loc := tb.location(); !strings.Contains(loc, "q=health") {
		t.Errorf("language switch lost the query: %s", loc)
	}
	// The layout mirrors: the filters sit right of the results.
	if !eval[bool](tb, `document.querySelector(".side").getBoundingClientRect().left > document.querySelector(".results").getBoundingClientRect().left`) {
		t.Errorf("rtl page: the filter column is not on the right")
	}
	tb.follow("open entry in Arabic", chromedp.Click(chromedp.CSS(".hit h2 a")))
	if got := eval[string](tb, `document.documentElement.lang`); got != "ar" {
		t.Errorf("entry opened from an Arabic page has lang %q", got)
	}
}

func (s *browserSuite) testKeyboard(t *testing.T) {
	tb := s.newTab(t, true)
	tb.open("/search?q=health")
	// Tab order: skip link first, then the search box, facets, results.
	seen := map[string]int{}
	var order []string
	for i := 0; i < 400 && seen["hit"] == 0; i++ {
		tb.do("Tab", chromedp.KeyEvent(kb.Tab))
		f := tb.focused()
		order = append(order, f)
		if _, ok := seen[f]; !ok {
			seen[f] = i + 1
		}
		if f == "hit" {
			style := eval[string](tb, `getComputedStyle(document.activeElement).outlineStyle`)
			if style == "none" {
				t.Errorf("focused result link shows no outline")
			}
		}
	}
	if order[0] != "skip" {
		t.Errorf("first Tab focuses %s, want the skip link", order[0])
	}
	q, facet, hit := seen["#q"], seen["facet"], seen["hit"]
	if q == 0 || facet == 0 || hit == 0 || !(q < facet && facet < hit) {
		t.Fatalf("Tab order reached search box at %d, facets at %d, results at %d; want all, in that order:\n%s",
			q, facet, hit, strings.Join(order, " "))
	}
	// "/" focuses the search box; Escape leaves it; j/k move between results.
	tb.open("/search?q=health")
	tb.do("/", chromedp.KeyEvent("/"))
	if f := tb.focused(); f != "#q" {
		t.Fatalf(`"/" focused %s, want #q`, f)
	}
	tb.do("Escape", chromedp.KeyEvent(kb.Escape))
	if f := tb.focused(); f == "#q" {
		t.Errorf("Escape left the focus in the search box")
	}
	tb.do("j j", chromedp.KeyEvent("j"), chromedp.KeyEvent("j"))
	second := eval[string](tb, `document.activeElement.textContent`)
	tb.do("k", chromedp.KeyEvent("k"))
	firstHit := eval[string](tb, `document.activeElement.textContent`)
	want := eval[[]string](tb, `Array.from(document.querySelectorAll(".hit h2 a")).slice(0, 2).map(a => a.textContent)`)
	if len(want) < 2 || firstHit != want[0] || second != want[1] {
		t.Fatalf("j j focused %q, then k %q; want %q", second, firstHit, want)
	}
	// Enter activates the focused result link.
	tb.follow("Enter on a result", chromedp.KeyEvent(kb.Enter))
	if loc := tb.location(); !strings.HasPrefix(loc, "/entries/") {
		t.Errorf("Enter on a result led to %s", loc)
	}
	// Enter on a facet link filters in place and keeps focus on the facet.
	tb.open("/search?q=health")
	tb.do("focus facet", chromedp.Focus(chromedp.CSS("#f-region li a")), chromedp.KeyEvent(kb.Enter))
	tb.waitFor("a chip", `document.querySelector(".chips .chip")`)
	if f := tb.focused(); f != "facet" {
		t.Errorf("after Enter on a facet the focus is on %s, want the facet", f)
	}
	// The skip link moves focus to the main content, and stays a link to
	// #main: it does not fetch the page again.
	tb.open("/search?q=health")
	eval[bool](tb, `(window.__main = document.getElementById("main"), true)`)
	tb.do("Tab, Enter", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter), chromedp.Sleep(500*time.Millisecond))
	if f := tb.focused(); f != "#main" {
		t.Errorf("skip link moved focus to %s, want #main", f)
	}
	// A swap under way marks the results as loading; a finished one has
	// replaced #main.
	if !eval[bool](tb, `window.__main === document.getElementById("main") && !document.querySelector(".results.loading")`) {
		t.Errorf("following the skip link replaced the page content (app.js swaps on the popstate of a #fragment)")
	}
}

func (s *browserSuite) testNoJavaScript(t *testing.T) {
	tb := s.newTab(t, false)
	tb.open("/")
	// With scripts on, typing opens suggestions (see testSearch); here
	// nothing may happen, which shows that page scripts are really off.
	tb.do("type", chromedp.SendKeys(chromedp.CSS("#q"), "healt"), chromedp.Sleep(600*time.Millisecond))
	if tb.count("#suggest") != 0 {
		t.Fatalf("a suggestion list appeared with JavaScript off")
	}
	tb.do("type", chromedp.SendKeys(chromedp.CSS("#q"), "h"))
	tb.follow("submit", chromedp.KeyEvent(kb.Enter))
	if loc := tb.location(); !strings.Contains(loc, "q=health") || tb.count(".hit") == 0 {
		t.Fatalf("no-JS search: page %s with %d hits", loc, tb.count(".hit"))
	}
	steps := []struct {
		what, sel, wantURL string
		chips              int
	}{
		{"facet link", "#f-stakeholder li a", "stakeholder=", 1},
		{"second facet", "#f-region li a", "region=", 2},
		{"chip", ".chips .chip", "", 1},
		{"next page", `.pager a[rel="next"]`, "page=2", 1},
		{"clear all", ".chips .clear", "", 0},
	}
	for _, st := range steps {
		if tb.count(st.sel) == 0 {
			t.Fatalf("%s: no %s on %s", st.what, st.sel, tb.location())
		}
		tb.follow(st.what, chromedp.Click(chromedp.CSS(st.sel)))
		loc := tb.location()
		if st.wantURL != "" && !strings.Contains(loc, st.wantURL) {
			t.Errorf("%s led to %s, want %s", st.what, loc, st.wantURL)
		}
		if n := tb.count(".chips .chip"); n != st.chips && !(st.chips == 0 && n == 0) {
			t.Errorf("%s: %d chips on %s, want %d", st.what, n, loc, st.chips)
		}
	}
	// The year form works as a plain GET form.
	tb.open("/search?q=health")
	tb.do("year", chromedp.SendKeys(chromedp.CSS("#yf"), "2012"))
	tb.follow("year form", chromedp.KeyEvent(kb.Enter))
	if loc := tb.location(); !strings.Contains(loc, "year_from=2012") || !strings.Contains(loc, "q=health") {
		t.Errorf("year form led to %s, want year_from=2012 and the query kept", loc)
	}
	tb.follow("open entry", chromedp.Click(chromedp.CSS(".hit h2 a")))
	if !strings.HasPrefix(tb.location(), "/entries/") || tb.count("#entry-h") != 1 {
		t.Errorf("no-JS entry link led to %s", tb.location())
	}
	tb.follow("language link", chromedp.Click(chromedp.CSS(`.langs a[hreflang="fr"]`)))
	if got := eval[string](tb, `document.documentElement.lang`); got != "fr" {
		t.Errorf("no-JS language link: lang %q, want fr", got)
	}
}

// testMobile checks the phone layout: nothing wider than the screen
// (WCAG 1.4.10 reflow), filters folded behind their summary, and a facet
// chosen after unfolding them.
func (s *browserSuite) testMobile(t *testing.T) {
	tb := s.newTab(t, true)
	tb.setPhone(true)
	for _, lang := range browserLangs {
		for _, path := range []string{"/search?q=health&lang=" + lang, "/entries/hw-01?lang=" + lang} {
			tb.open(path)
			if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 390 {
				t.Errorf("%s is %d px wide on a 390 px screen: it scrolls sideways", path, w)
			}
		}
	}
	tb.open("/search?q=health")
	if eval[bool](tb, `document.getElementById("filters").open`) {
		t.Errorf("filters are unfolded on a phone; want them behind their summary")
	}
	tb.do("unfold filters", chromedp.Click(chromedp.CSS("#filters > summary")))
	tb.do("choose a facet", chromedp.Click(chromedp.CSS("#f-stakeholder li a")))
	tb.waitFor("a chip", `document.querySelector(".chips .chip")`)
	if !eval[bool](tb, `document.getElementById("filters").open`) {
		t.Errorf("choosing a facet folded the filters again")
	}
}

// noJSPages are the pages checked with JavaScript off in every language,
// each with an element that shows its content was rendered by the server.
var noJSPages = []struct{ name, path, want string }{
	{"home", "/", ".hit h2 a"},
	{"results", "/search?q=health&region=africa", ".hit h2 a"},
	{"zero", "/search?q=zzqxjvw", "h1"},
	{"entry", "/entries/hw-01", "#entry-h"},
	{"explore", "/explore?q=health", "svg a"},
	{"showcase", "/showcase", `main a[href^="/entries/"]`},
	{"shortlist", "/shortlist?ids=hw-01,hw-02", `main a[href^="/entries/hw-02"]`},
	{"report", "/report?q=health", `main a[href^="/entries/"]`},
	{"submit", "/submit", "form input[name]"},
	{"signin", "/signin", "form input[name]"},
}

// testEveryPageNoJS opens every page in every language with JavaScript
// off: each answers in its language with its server-rendered content, and
// a result can be put on the shortlist through the plain link.
func (s *browserSuite) testEveryPageNoJS(t *testing.T) {
	tb := s.newTab(t, false)
	for _, lang := range browserLangs {
		for _, p := range noJSPages {
			tb.open(withLang(p.path, lang))
			if got := eval[string](tb, `document.documentElement.lang`); got != lang {
				t.Errorf("%s (%s): lang %q", p.name, lang, got)
			}
			if tb.count("h1") != 1 || tb.count(p.want) == 0 {
				t.Errorf("%s (%s): %d h1, no %s", p.name, lang, tb.count("h1"), p.want)
			}
		}
	}
	tb.open("/search?q=health")
	id := eval[string](tb, `document.querySelector(".hit .sl-btn").dataset.sl`)
	tb.follow("add to shortlist", chromedp.Click(chromedp.CSS(".hit .sl-btn")))
	if loc := tb.location(); !strings.HasPrefix(loc, "/shortlist") || tb.count(`main a[href="/entries/`+id+`"]`) == 0 {
		t.Errorf("no-JS add to shortlist led to %s without entry %s", loc, id)
	}
}
