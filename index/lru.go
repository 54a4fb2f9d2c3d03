package index

import "sync"

// lru is a small concurrent least-recently-used map bounded in entries and,
// when size is set, in bytes. The caches of a view (matches, clauses,
// translations) are lrus.
type lru[V any] struct {
	max      int         // entries
	maxBytes int         // with size: total bytes; a value over maxBytes/8 is not kept
	size     func(V) int // bytes of a value (keys are counted too); nil: no byte bound
	mu       sync.Mutex
	m        map[string]*lruItem[V]
	tick     uint64
	bytes    int
}

type lruItem[V any] struct {
	v     V
	used  uint64
	bytes int
}

func (c *lru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.m[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.tick++
	it.used = c.tick
	return it.v, true
}

// put adds key unless it is there, dropping the least recently used
// entries while a bound is exceeded (a scan: the bounds are small).
func (c *lru[V]) put(key string, v V) {
	bytes := 0
	if c.size != nil {
		bytes = c.size(v) + len(key)
		if bytes > c.maxBytes/8 {
			return
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*lruItem[V]{}
	}
	if _, ok := c.m[key]; ok {
		return
	}
	for len(c.m) > 0 && (len(c.m) >= c.max || c.size != nil && c.bytes+bytes > c.maxBytes) {
		var old string
		oldest := ^uint64(0)
		for k, it := range c.m {
			if it.used < oldest {
				old, oldest = k, it.used
			}
		}
		c.bytes -= c.m[old].bytes
		delete(c.m, old)
	}
	c.tick++
	c.m[key] = &lruItem[V]{v: v, used: c.tick, bytes: bytes}
	c.bytes += bytes
}

// Bounds of a view's caches.
const (
	translationCacheEntries = 1024

	clauseCacheEntries = 4096
	clauseCacheBytes   = 8 << 20

	matchCacheEntries = 64
	matchCacheBytes   = 4 << 20
)

// initCaches sets up the empty caches of a new view.
func (v *view) initCaches() {
	v.matches = lru[*matchEntry]{max: matchCacheEntries, maxBytes: matchCacheBytes, size: (*matchEntry).size}
	v.clauses = lru[*clauseEntry]{max: clauseCacheEntries, maxBytes: clauseCacheBytes, size: (*clauseEntry).size}
	v.translations = lru[*translation]{max: translationCacheEntries}
}
