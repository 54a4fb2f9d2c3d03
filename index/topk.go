package index

import "sort"

// scored is one document of a result with its score.
type scored struct {
	num   uint32
	score float64
}

// topK keeps the k best documents seen: highest score first, ties broken by
// ascending id.
type topK struct {
	k    int
	ids  []string
	heap []scored // a min-heap on "better", so the worst kept document is at 0
}

func newTopK(k int, ids []string) *topK {
	c := k
	if c > 1024 {
		c = 1024
	}
	return &topK{k: k, ids: ids, heap: make([]scored, 0, c)}
}

// better reports whether a ranks before b.
func (t *topK) better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return t.ids[a.num] < t.ids[b.num]
}

// offer considers one document.
func (t *topK) offer(num uint32, score float64) {
	d := scored{num: num, score: score}
	switch {
	case t.k <= 0:
	case len(t.heap) < t.k:
		t.heap = append(t.heap, d)
		t.up(len(t.heap) - 1)
	case t.better(d, t.heap[0]):
		t.heap[0] = d
		t.down(0)
	}
}

// up and down restore the heap property: every parent is worse than its
// children.
func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.better(t.heap[p], t.heap[i]) {
			return
		}
		t.heap[p], t.heap[i] = t.heap[i], t.heap[p]
		i = p
	}
}

func (t *topK) down(i int) {
	n := len(t.heap)
	for {
		w := i
		if l := 2*i + 1; l < n && t.better(t.heap[w], t.heap[l]) {
			w = l
		}
		if r := 2*i + 2; r < n && t.better(t.heap[w], t.heap[r]) {
			w = r
		}
		if w == i {
			return
		}
		t.heap[w], t.heap[i] = t.heap[i], t.heap[w]
		i = w
	}
}

// sorted returns the kept documents, best first.
func (t *topK) sorted() []scored {
	out := append([]scored(nil), t.heap...)
	sort.Slice(out, func(i, j int) bool { return t.better(out[i], out[j]) })
	return out
}
