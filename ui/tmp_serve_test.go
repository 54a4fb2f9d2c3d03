package ui

import (
	"os"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/fixtures"
)

// TestTmpServe serves generated entries for screenshots (temporary).
func TestTmpServe(t *testing.T) {
	addr := os.Getenv("UI_SERVE_ADDR")
	if addr == "" {
		t.Skip()
	}
	entries := append(fixtures.HandWritten(), fixtures.Generate(1, 3000)...)
	s, _, _ := newPageServer(t, entries)
	if _, err := s.Listen(addr); err != nil {
		t.Fatal(err)
	}
	go s.Serve()
	time.Sleep(40 * time.Minute)
}
