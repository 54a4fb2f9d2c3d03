package index

import (
	"fmt"
	"testing"
)

// TestLRUBounds: the least recently used entries go first, by count and by
// bytes, and a value over an eighth of the byte bound is not kept.
func TestLRUBounds(t *testing.T) {
	c := lru[string]{max: 3}
	for i := 0; i < 3; i++ {
		c.put(fmt.Sprint(i), "v")
	}
	c.get("0") // 1 is now the oldest
	c.put("3", "v")
	if _, ok := c.get("1"); ok {
		t.Error("entry 1 kept past the count bound")
	}
	for _, k := range []string{"0", "2", "3"} {
		if _, ok := c.get(k); !ok {
			t.Errorf("entry %s dropped", k)
		}
	}
	b := lru[string]{max: 100, maxBytes: 800, size: func(v string) int { return len(v) }}
	b.put("big", string(make([]byte, 101)))
	if _, ok := b.get("big"); ok {
		t.Error("a value over maxBytes/8 was kept")
	}
	for i := 0; i < 10; i++ {
		b.put(fmt.Sprint(i), string(make([]byte, 99))) // 100 bytes with the key
	}
	if b.bytes > 800 || len(b.m) != 8 {
		t.Errorf("%d bytes in %d entries, want ≤ 800 in 8", b.bytes, len(b.m))
	}
	if _, ok := b.get("0"); ok {
		t.Error("the oldest entry kept past the byte bound")
	}
}
