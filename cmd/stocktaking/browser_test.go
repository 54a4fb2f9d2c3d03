package main

// The real-browser suite: the real program on a free port, driven by a
// headless Chromium through chromedp. It checks the main flows with and
// without JavaScript, keyboard use, right-to-left pages, that no request
// leaves 127.0.0.1, and runs axe-core (WCAG 2.1 AA) on every page in every
// language. Without Chromium it skips, unless STOCKTAKING_BROWSER_REQUIRED=1.
// STOCKTAKING_SCREENSHOTS=dir keeps a desktop and a mobile screenshot of
// every page; on failure they go to a temporary directory named in the log.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
)

// browserLangs are the interface languages every page is checked in.
var browserLangs = []string{"en", "fr", "es", "ar"}

// chromiumPath finds the browser: $STOCKTAKING_CHROMIUM, then the usual names.
func chromiumPath() string {
	if p := os.Getenv("STOCKTAKING_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserSuite is one server and one browser shared by the subtests.
type browserSuite struct {
	base    string
	browser context.Context // a started chromedp context; tabs derive from it
	shots   string          // where screenshots go ("" until first needed)
	always  bool            // STOCKTAKING_SCREENSHOTS is set: keep every page
	mu      sync.Mutex
}

// newBrowserSuite skips without Chromium (or under -short), starts the real
// program over the hand-written and 300 generated entries, and a browser.
func newBrowserSuite(t *testing.T) *browserSuite {
	t.Helper()
	if testing.Short() {
		t.Skip("browser suite: skipped with -short")
	}
	exe := chromiumPath()
	if exe == "" {
		if os.Getenv("STOCKTAKING_BROWSER_REQUIRED") == "1" {
			t.Fatal("browser suite: STOCKTAKING_BROWSER_REQUIRED=1 but no Chromium found (apt-get install chromium, or set STOCKTAKING_CHROMIUM)")
		}
		t.Skip("browser suite: no Chromium found; install it (apt-get install chromium) or set STOCKTAKING_CHROMIUM to run it")
	}
	_, app, base := testServer(t, t.TempDir(), true)
	entries := append(fixtures.HandWritten(), fixtures.Generate(1, 300)...)
	ch := search.Change{Author: "browser test", Note: "fixtures", Time: time.Now().UTC()}
	if _, err := app.Service.Put(context.Background(), entries, ch); err != nil {
		t.Fatalf("put fixtures: %v", err)
	}

	// Not t.TempDir: Chromium's helper processes can still write there for a
	// moment after the browser is gone, so removal retries.
	profile, err := os.MkdirTemp("", "stocktaking-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(bctx); err != nil { // start the browser, no timeout
		t.Fatalf("start %s: %v", exe, err)
	}
	s := &browserSuite{base: base, browser: bctx}
	if dir := os.Getenv("STOCKTAKING_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		s.shots, s.always = dir, true
	}
	return s
}

// tab is one browser tab of a subtest. It records every request that would
// leave 127.0.0.1, script exceptions and CSP reports, and fails the test
// with them at the end.
type tab struct {
	t     *testing.T
	s     *browserSuite
	ctx   context.Context
	mu    sync.Mutex
	bad   []string       // problems seen by the listener, in order
	pages []string       // the page each was first seen on
	seen  map[string]int // how often each was seen
	shots map[string]bool
	phone bool // the tab shows the phone screen
}

// newTab opens a tab at the desktop size; js=false turns JavaScript off.
// Everything done in the tab must end within two minutes (a guard against
// a hang, not a measure of speed).
func (s *browserSuite) newTab(t *testing.T, js bool) *tab {
	t.Helper()
	return s.newTabFor(t, js, 2*time.Minute)
}

// newTabFor is newTab with another time limit.
func (s *browserSuite) newTabFor(t *testing.T, js bool, limit time.Duration) *tab {
	t.Helper()
	tb := &tab{t: t, s: s, shots: map[string]bool{}}
	if s.always {
		limit *= 4 // a screenshot of every page takes time
	}
	tctx, cancelTimeout := context.WithTimeout(s.browser, limit)
	ctx, cancelTab := chromedp.NewContext(tctx, chromedp.WithListener(tb.listen))
	tb.ctx = ctx
	steps := []chromedp.Action[chromedp.Void]{
		cdpCall(network.Enable, network.EnableParams{}),
		cdpCall(cdplog.Enable, cdp.Empty{}),
		desktopSize(),
	}
	if !js {
		steps = append(steps, cdpCall(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		cancelTab()
		cancelTimeout()
		t.Fatalf("open tab: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			tb.screenshot("failed")
		}
		cancelTab()
		cancelTimeout()
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for i, b := range tb.bad {
			n := tb.seen[b]
			if tb.pages[i] != "" {
				b += " (first on " + tb.pages[i] + ")"
			}
			if n > 1 {
				b += fmt.Sprintf(", %d times", n)
			}
			t.Error(b)
		}
	})
	return tb
}

// cdpCall makes an action of one protocol command.
func cdpCall[P, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// listen runs in the tab's read loop: record, never block. A problem seen
// on several pages is reported once, with the first page and a count.
func (tb *tab) listen(ev any) {
	var msg, page string
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if !localURL(e.Request.URL) {
			msg, page = fmt.Sprintf("request left 127.0.0.1: %s %s", e.Request.Method, e.Request.URL), e.DocumentURL
		}
	case *network.EventResponseReceived:
		// Sub-resources only: pages answer 404 on purpose, and the scripts
		// handle a failed fetch themselves.
		switch e.Type {
		case network.ResourceTypeDocument, network.ResourceTypeFetch, network.ResourceTypeXHR:
		default:
			if e.Response.Status >= 400 {
				msg = fmt.Sprintf("%s %s answered %d", e.Type, e.Response.URL, e.Response.Status)
			}
		}
	case *network.EventWebSocketCreated:
		if !localURL(e.URL) {
			msg = "websocket left 127.0.0.1: " + e.URL
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text = d.Exception.Description
		}
		msg = fmt.Sprintf("script exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
	case *cdplog.EventEntryAdded:
		if e.Entry.Source == cdplog.EntrySourceSecurity || e.Entry.Source == cdplog.EntrySourceJavascript {
			msg, page = fmt.Sprintf("browser %s %s: %s", e.Entry.Source, e.Entry.Level, e.Entry.Text), e.Entry.URL
		}
	}
	if msg == "" {
		return
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if tb.seen == nil {
		tb.seen = map[string]int{}
	}
	if tb.seen[msg] == 0 {
		tb.bad = append(tb.bad, msg)
		tb.pages = append(tb.pages, page)
	}
	tb.seen[msg]++
}

// localURL reports whether a request stays on this machine's loopback.
func localURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "about", "blob":
		return true
	case "http", "https", "ws", "wss":
		return u.Hostname() == "127.0.0.1"
	}
	return false
}

// do runs actions in the tab and fails the test on error.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to a path of the server and waits for the load.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do("open "+path, chromedp.Navigate(tb.s.base+path))
	tb.screenshotIfKept(path)
}

// follow runs an action that navigates (a click, Enter in a form) and waits
// for the new page.
func (tb *tab) follow(what string, step chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, step)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != 200 {
		tb.t.Fatalf("%s: %s answered %d", what, resp.URL, resp.Status)
	}
	tb.screenshotIfKept(what)
}

// eval evaluates JavaScript in the page and returns its value.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// location is the path and query of the page shown.
func (tb *tab) location() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatalf("location: %v", err)
	}
	return strings.TrimPrefix(loc, tb.s.base)
}

// count is the number of elements matching a CSS selector, without waiting.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return eval[int](tb, fmt.Sprintf("document.querySelectorAll(%q).length", sel))
}

// text is the trimmed text of the first element matching sel ("" if none).
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf("((e) => e ? e.textContent.trim() : '')(document.querySelector(%q))", sel))
}

// TestBrowser runs the browser scenarios against one server and browser.
func TestBrowser(t *testing.T) {
	s := newBrowserSuite(t)
	t.Run("search", s.testSearch)
	t.Run("facet-and-chip", s.testFacetAndChip)
	t.Run("pages", s.testPages)
	t.Run("entry", s.testEntry)
	t.Run("language", s.testLanguage)
	t.Run("keyboard", s.testKeyboard)
	t.Run("no-javascript", s.testNoJavaScript)
	t.Run("every-page-no-javascript", s.testEveryPageNoJS)
	t.Run("mobile", s.testMobile)
	t.Run("axe-self-check", s.testAxeSelfCheck)
	t.Run("axe", s.testAxe)
}

func TestLocalURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"http://127.0.0.1:8080/search?q=x", true},
		{"ws://127.0.0.1:1/", true},
		{"data:text/css,", true},
		{"about:blank", true},
		{"blob:http://127.0.0.1:1/uuid", true},
		{"http://localhost:8080/", false}, // resolves elsewhere on some hosts
		{"https://fonts.example.com/a.woff2", false},
		{"http://127.0.0.1.example.com/", false},
		{"chrome-extension://abc/x.js", false},
		{"//evil.example/", false},
	}
	for _, tt := range tests {
		if got := localURL(tt.in); got != tt.want {
			t.Errorf("localURL(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
