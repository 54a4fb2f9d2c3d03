package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// lockedBuffer is a bytes.Buffer safe for the writer's timer goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestLogWriterBatchesInfoAndKeepsOrder(t *testing.T) {
	var out lockedBuffer
	w := newLogWriter(&out)
	log := zerolog.New(w)
	log.Info().Msg("one")
	log.Info().Msg("two")
	if s := out.String(); s != "" {
		t.Fatalf("info lines written at once: %q", s)
	}
	log.Warn().Msg("three")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "one") || !strings.Contains(lines[2], "three") {
		t.Fatalf("after a warning: %q, want the three lines in order", lines)
	}
	log.Info().Msg("four")
	// the timer writes it out; wait for it without a deadline that could
	// fail on a slow machine (the test's own timeout bounds it)
	for !strings.Contains(out.String(), "four") {
		time.Sleep(10 * time.Millisecond)
	}
	log.Info().Msg("five")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "five") {
		t.Fatalf("Close did not write the kept line: %q", out.String())
	}
	log.Info().Msg("six") // after Close: at once
	if !strings.Contains(out.String(), "six") {
		t.Fatalf("a line after Close was kept: %q", out.String())
	}
}

func TestLogWriterWritesLargeBatches(t *testing.T) {
	var out lockedBuffer
	w := newLogWriter(&out)
	log := zerolog.New(w)
	line := strings.Repeat("x", 1000)
	for range 40 {
		log.Info().Msg(line)
	}
	if n := strings.Count(out.String(), "\n"); n < 30 {
		t.Fatalf("%d of 40 lines of 1 kB written without waiting, want those past the %d-byte limit", n, logBufLimit)
	}
	w.Close()
}
