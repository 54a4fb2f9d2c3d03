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

// screenshot saves the page at the desktop and the mobile size, then puts
// the desktop viewport back. Errors are logged: a screenshot is evidence,
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
		{"desktop", chromedp.EmulateViewport(1280, 900)},
		{"mobile", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)},
	}
	for _, size := range sizes {
		ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
		var png []byte
		err := chromedp.Do(ctx, size.act, chromedp.Sleep(100*time.Millisecond))
		if err == nil {
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		}
		cancel()
		if err != nil {
			tb.t.Logf("screenshot %s %s: %v", name, size.name, err)
			return
		}
		path := filepath.Join(dir, name+"-"+size.name+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			tb.t.Logf("screenshot: %v", err)
			return
		}
		if !s.always {
			tb.t.Logf("screenshot: %s", path)
		}
	}
	_ = chromedp.Do(tb.ctx, chromedp.EmulateViewport(1280, 900))
}
