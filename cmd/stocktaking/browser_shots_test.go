package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotIfKept saves the page when STOCKTAKING_SCREENSHOTS is set.
func (tb *tab) screenshotIfKept(label string) {
	if tb.s.always {
		tb.screenshot(label)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// desktopSize and phoneSize are the two screens pages are seen on.
func desktopSize() chromedp.Action[chromedp.Void] { return chromedp.EmulateViewport(1280, 900) }
func phoneSize() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)
}

// setPhone switches the tab to the phone screen, or back to the desktop.
func (tb *tab) setPhone(phone bool) {
	tb.t.Helper()
	size := desktopSize()
	if phone {
		size = phoneSize()
	}
	tb.do("screen size", size)
	tb.phone = phone
}

// screenshot saves what the screen shows at the desktop and the phone size
// (1280×900 and 390×844), then puts
// the tab's screen size back. Errors are logged: a screenshot is evidence,
// not a check.
func (tb *tab) screenshot(label string) {
	s := tb.s
	s.mu.Lock()
	if s.shots == "" {
		dir, err := os.MkdirTemp("", "stocktaking-screenshots-")
		if err != nil {
			s.mu.Unlock()
			tb.t.Logf("screenshot: %v", err)
			return
		}
		s.shots = dir
	}
	dir := s.shots
	s.mu.Unlock()
	name := unsafeName.ReplaceAllString(tb.t.Name()+"-"+label, "_")
	if tb.shots[name] {
		return
	}
	tb.shots[name] = true
	sizes := []struct {
		name string
		act  chromedp.Action[chromedp.Void]
	}{
		{"desktop", desktopSize()},
		{"mobile", phoneSize()},
	}
	for _, size := range sizes {
		ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
		var img []byte
		err := chromedp.Do(ctx, size.act, chromedp.Sleep(100*time.Millisecond))
		if err == nil {
			img, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		}
		cancel()
		if err != nil {
			tb.t.Logf("screenshot %s %s: %v", name, size.name, err)
			return
		}
		path := filepath.Join(dir, name+"-"+size.name+".png")
		if err := os.WriteFile(path, img, 0o644); err != nil {
			tb.t.Logf("screenshot: %v", err)
			return
		}
		if !s.always {
			tb.t.Logf("screenshot: %s", path)
		}
	}
	back := desktopSize()
	if tb.phone {
		back = phoneSize()
	}
	_ = chromedp.Do(tb.ctx, back)
}
