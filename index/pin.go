package index

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// A cursor walk reads the snapshot its first page was computed on. Scores
// move whenever a write changes BM25's statistics (document counts, term
// frequencies, average field lengths: bm25.go), so "after this score and id" on
// another snapshot may skip or repeat entries; on the same snapshot it is
// exact. The first page's next_cursor therefore names its snapshot by a
// random token, and the index keeps the few snapshots recently named
// (pins): later pages of the walk read the same documents with the same
// scores. Pins are shared: every search on one snapshot gets the same
// token, so their number follows the writes, not the clients.
//
// Cost: a pin holds its scorch snapshot (its segments stay open: mostly
// memory-mapped files shared with newer snapshots; segments merged away or
// not yet persisted since cost extra) and a reference on its generation, so
// a generation retired by Rebuild stays on disk until its pins go. It holds
// the snapshot's facet view only while that is the latest pinned snapshot
// or once a later page has read it, because most first pages are never
// followed and the view of an older snapshot costs about 5 MB on 15 000
// entries (BenchmarkPinnedSnapshotMemory: 8 pins of successive snapshots
// add no measurable heap; once a walk has gone on from each, 42 MB). A
// later page on a snapshot whose view was let go builds it again, reading
// the data of segments merged away since (at most 130 ms there, plus up
// to 140 ms to count field lengths of such segments again, bm25.go). At
// most maxPins are kept, each at
// most pinIdle after its last use and pinMaxAge after its first; a
// withdrawal drops them all, so that a walk never lists an entry after it
// was withdrawn.
const (
	maxPins   = 8
	pinIdle   = 3 * time.Minute
	pinMaxAge = 15 * time.Minute
)

// pin is one kept snapshot with the references it holds.
type pin struct {
	token         string
	eng           *engine // one reference, released when the pin goes
	snap          *scorch.IndexSnapshot
	created, used time.Time
	walked        bool // a later page has read it (with pins.mu held)

	v     atomic.Pointer[view] // nil once let go (see above)
	build sync.Mutex           // one build of v at a time
}

// deadline is when the pin expires.
func (p *pin) deadline() time.Time {
	return minTime(p.used.Add(pinIdle), p.created.Add(pinMaxAge))
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// pins is the index's small set of kept snapshots.
type pins struct {
	mu      sync.Mutex
	byToken map[string]*pin
	bySnap  map[*scorch.IndexSnapshot]*pin
	closed  bool
	timer   *time.Timer
	now     func() time.Time // time.Now unless a test sets it
}

// tokenLen is the length of a pin token: 16 hex digits (64 random bits).
const tokenLen = 16

func (ps *pins) clock() time.Time {
	if ps.now != nil {
		return ps.now()
	}
	return time.Now()
}

// keep returns the token of r's snapshot, pinning it unless it is already
// pinned; "" once the index is closed.
func (ps *pins) keep(r *run) string {
	var dropped []*pin
	defer func() { drop(dropped) }()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.closed {
		return ""
	}
	now := ps.clock()
	if p := ps.bySnap[r.reader]; p != nil {
		p.used = now
		return p.token
	}
	if !r.eng.acquire() { // cannot happen: r holds a reference
		return ""
	}
	var b [tokenLen / 2]byte
	rand.Read(b[:])
	p := &pin{token: hex.EncodeToString(b[:]), eng: r.eng, snap: r.reader, created: now, used: now}
	p.v.Store(r.v)
	r.reader.AddRef()
	if ps.byToken == nil {
		ps.byToken = map[string]*pin{}
		ps.bySnap = map[*scorch.IndexSnapshot]*pin{}
	}
	for _, q := range ps.byToken {
		if !q.walked {
			q.v.Store(nil) // no walk has gone on from it yet: rebuilt if one does
		}
	}
	for len(ps.byToken) >= maxPins {
		var lru *pin
		for _, q := range ps.byToken {
			if lru == nil || q.used.Before(lru.used) {
				lru = q
			}
		}
		dropped = append(dropped, ps.remove(lru))
	}
	ps.byToken[p.token] = p
	ps.bySnap[p.snap] = p
	ps.arm(now)
	return p.token
}

// open starts a run on the snapshot of token; nil when it is not pinned
// (expired, dropped, from before a restart, or never made here).
func (ps *pins) open(ix *Index, token string) (*run, error) {
	ps.mu.Lock()
	p := ps.byToken[token]
	if p == nil || !p.deadline().After(ps.clock()) {
		ps.mu.Unlock()
		return nil, nil // an expired pin the timer has not dropped yet is not used
	}
	if !p.eng.acquire() { // cannot happen: the pin holds a reference
		ps.mu.Unlock()
		return nil, nil
	}
	p.used = ps.clock()
	p.walked = true
	p.snap.AddRef()
	ps.mu.Unlock()
	r := &run{ix: ix, eng: p.eng, reader: p.snap}
	if r.v = p.v.Load(); r.v == nil {
		p.build.Lock()
		defer p.build.Unlock()
		if r.v = p.v.Load(); r.v == nil {
			v, err := p.eng.views.of(p.snap)
			if err != nil {
				r.close()
				return nil, fmt.Errorf("facet view: %w", err)
			}
			p.v.Store(v)
			r.v = v
		}
	}
	return r, nil
}

// sweep drops the expired pins and arms the timer for the next expiry.
func (ps *pins) sweep() {
	var dropped []*pin
	ps.mu.Lock()
	now := ps.clock()
	for _, p := range ps.byToken {
		if !p.deadline().After(now) {
			dropped = append(dropped, ps.remove(p))
		}
	}
	ps.arm(now)
	ps.mu.Unlock()
	drop(dropped)
}

// dropAll drops every pin and returns the generations they held; with
// close, no pin is made afterwards.
func (ps *pins) dropAll(close bool) []*engine {
	var dropped []*pin
	ps.mu.Lock()
	for _, p := range ps.byToken {
		dropped = append(dropped, ps.remove(p))
	}
	if close {
		ps.closed = true
		if ps.timer != nil {
			ps.timer.Stop()
		}
	}
	ps.mu.Unlock()
	drop(dropped)
	var engs []*engine
	for _, p := range dropped {
		if !slices.Contains(engs, p.eng) {
			engs = append(engs, p.eng)
		}
	}
	return engs
}

// count is the number of pins kept.
func (ps *pins) count() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.byToken)
}

// remove takes p out of the maps (with ps.mu held); the caller drops it.
func (ps *pins) remove(p *pin) *pin {
	delete(ps.byToken, p.token)
	delete(ps.bySnap, p.snap)
	return p
}

// arm sets the timer to the earliest deadline (with ps.mu held).
func (ps *pins) arm(now time.Time) {
	if len(ps.byToken) == 0 || ps.closed {
		return
	}
	var next time.Time
	for _, p := range ps.byToken {
		if d := p.deadline(); next.IsZero() || d.Before(next) {
			next = d
		}
	}
	wait := max(next.Sub(now), time.Second)
	if ps.timer == nil {
		ps.timer = time.AfterFunc(wait, ps.sweep)
	} else {
		ps.timer.Reset(wait)
	}
}

// drop releases what removed pins held: the snapshot, then the engine
// reference (the last one of a retired generation closes it).
func drop(list []*pin) {
	for _, p := range list {
		p.snap.Close()
		p.eng.release()
	}
}
