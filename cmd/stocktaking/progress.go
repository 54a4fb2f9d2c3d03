package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-isatty"
)

// progressReader counts the bytes read through it.
type progressReader struct {
	r io.Reader
	n atomic.Int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n.Add(int64(n))
	return n, err
}

// startProgress draws a progress bar of read bytes against total on w when
// w is a terminal, until the returned stop function is called. Elsewhere
// (pipes, CI logs) it draws nothing.
func startProgress(w *os.File, name string, total int64, pr *progressReader, rows *atomic.Int64) (stop func()) {
	if total <= 0 || !isatty.IsTerminal(w.Fd()) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	draw := func() {
		frac := float64(pr.n.Load()) / float64(total)
		if frac > 1 {
			frac = 1
		}
		const width = 30
		full := int(frac * width)
		fmt.Fprintf(w, "\r%s [%s%s] %3.0f%% %d rows", name, strings.Repeat("#", full), strings.Repeat(" ", width-full), frac*100, rows.Load())
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				draw()
				fmt.Fprintln(w)
				return
			case <-t.C:
				draw()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
