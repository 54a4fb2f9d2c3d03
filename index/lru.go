package index

import "sync"

// lru is a small concurrent least-recently-used map bounded in entries.
type lru[V any] struct {
	mu   sync.Mutex
	max  int
	m    map[string]*lruItem[V]
	tick uint64
}

type lruItem[V any] struct {
	v    V
	used uint64
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

// put adds key, dropping the least recently used entry when full (a scan:
// the bound is small).
func (c *lru[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*lruItem[V]{}
	}
	if _, ok := c.m[key]; ok {
		return
	}
	if len(c.m) >= c.max {
		var old string
		oldest := ^uint64(0)
		for k, it := range c.m {
			if it.used < oldest {
				old, oldest = k, it.used
			}
		}
		delete(c.m, old)
	}
	c.tick++
	c.m[key] = &lruItem[V]{v: v, used: c.tick}
}

// translationCacheEntries bounds a snapshot's kept query translations.
const translationCacheEntries = 512
