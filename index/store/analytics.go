package store

import (
	"encoding/binary"
	"fmt"
	"sort"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"github.com/itu-stocktaking/stocktaking/search"
)

// bucketAnalytics holds one sub-bucket per ISO week ("2026-W48"); its keys
// are a kind byte followed by a text, its values 8-byte big-endian counts:
// 'n' searches, 'z' zero-result searches, 'q'+query, 'Z'+zero-result query,
// 'f'+"facet:value".
var bucketAnalytics = []byte("analytics")

// maxAnalyticsRows caps the rows of one week so that a flood of distinct
// queries cannot grow the file without bound.
const maxAnalyticsRows = 50000

// Analytics implements search.AnalyticsSink on the store: Record only adds
// to an in-memory batch; a background loop writes it every flush interval
// and on Close. Nothing personal is kept: no address, no agent, no time
// finer than the week.
type Analytics struct {
	st    *Store
	mu    sync.Mutex
	batch map[string]map[string]uint64 // week → key → increment
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

// NewAnalytics starts the analytics writer of st; call Close before closing
// the store. A read-only store records nothing.
func NewAnalytics(st *Store, flushEvery time.Duration) *Analytics {
	if flushEvery <= 0 {
		flushEvery = 10 * time.Second
	}
	a := &Analytics{st: st, batch: map[string]map[string]uint64{}, stop: make(chan struct{}), done: make(chan struct{})}
	go a.loop(flushEvery)
	return a
}

func (a *Analytics) loop(every time.Duration) {
	defer close(a.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = a.Flush()
		case <-a.stop:
			_ = a.Flush()
			return
		}
	}
}

// Close writes what is pending and stops the writer.
func (a *Analytics) Close() error {
	a.once.Do(func() { close(a.stop) })
	<-a.done
	return nil
}

// weekKey names the ISO week of t.
func weekKey(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// Record counts one search; it never blocks on the disk.
func (a *Analytics) Record(q string, filters []string, total int, at time.Time) {
	if a.st.ReadOnly() {
		return
	}
	wk := weekKey(at)
	a.mu.Lock()
	defer a.mu.Unlock()
	m := a.batch[wk]
	if m == nil {
		m = map[string]uint64{}
		a.batch[wk] = m
	}
	m["n"]++
	if q != "" {
		m["q"+q]++
	}
	if total == 0 {
		m["z"]++
		if q != "" {
			m["Z"+q]++
		}
	}
	for _, f := range filters {
		m["f"+f]++
	}
}

// Flush writes the pending counts in one transaction.
func (a *Analytics) Flush() error {
	a.mu.Lock()
	batch := a.batch
	a.batch = map[string]map[string]uint64{}
	a.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	return a.st.DB().Update(func(tx *bbolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists(bucketAnalytics)
		if err != nil {
			return err
		}
		for wk, m := range batch {
			b, err := root.CreateBucketIfNotExists([]byte(wk))
			if err != nil {
				return err
			}
			rows := b.Stats().KeyN
			for k, inc := range m {
				var n uint64
				if v := b.Get([]byte(k)); len(v) == 8 {
					n = binary.BigEndian.Uint64(v)
				} else if rows >= maxAnalyticsRows && len(k) > 1 {
					continue
				} else {
					rows++
				}
				var buf [8]byte
				binary.BigEndian.PutUint64(buf[:], n+inc)
				if err := b.Put([]byte(k), buf[:]); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Report summarises the last weeks, newest first, with the 20 most frequent
// queries, zero-result queries and filters of each.
func (a *Analytics) Report(weeks int) (*search.AnalyticsReport, error) {
	if weeks < 1 {
		weeks = 1
	}
	_ = a.Flush()
	rep := &search.AnalyticsReport{Weeks: []search.AnalyticsWeek{}}
	err := a.st.DB().View(func(tx *bbolt.Tx) error {
		root := tx.Bucket(bucketAnalytics)
		if root == nil {
			return nil
		}
		c := root.Cursor()
		for k, _ := c.Last(); k != nil && len(rep.Weeks) < weeks; k, _ = c.Prev() {
			b := root.Bucket(k)
			if b == nil {
				continue
			}
			w := search.AnalyticsWeek{Start: weekStart(string(k))}
			var top, zero, filt []search.QueryCount
			_ = b.ForEach(func(key, v []byte) error {
				if len(v) != 8 || len(key) == 0 {
					return nil
				}
				n := int(binary.BigEndian.Uint64(v))
				text := string(key[1:])
				switch key[0] {
				case 'n':
					w.Searches = n
				case 'z':
					w.ZeroResults = n
				case 'q':
					top = append(top, search.QueryCount{Text: text, Count: n})
				case 'Z':
					zero = append(zero, search.QueryCount{Text: text, Count: n})
				case 'f':
					filt = append(filt, search.QueryCount{Text: text, Count: n})
				}
				return nil
			})
			w.TopQueries, w.ZeroResultQueries, w.TopFilters = topCounts(top), topCounts(zero), topCounts(filt)
			rep.Weeks = append(rep.Weeks, w)
		}
		return nil
	})
	return rep, err
}

// topCounts keeps the 20 largest counts, ties by text.
func topCounts(list []search.QueryCount) []search.QueryCount {
	sort.Slice(list, func(i, j int) bool {
		if list[i].Count != list[j].Count {
			return list[i].Count > list[j].Count
		}
		return list[i].Text < list[j].Text
	})
	if len(list) > 20 {
		list = list[:20]
	}
	if list == nil {
		list = []search.QueryCount{}
	}
	return list
}

// weekStart is the Monday 00:00 UTC of an ISO week key.
func weekStart(key string) time.Time {
	var y, w int
	if _, err := fmt.Sscanf(key, "%04d-W%02d", &y, &w); err != nil {
		return time.Time{}
	}
	// ISO week 1 contains 4 January.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w-1))
}
