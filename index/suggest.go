package index

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Kinds of suggestion, in the order they rank.
var suggestKinds = []string{"action_line", "sdg", "country", "organization", "title"}

// suggestCache holds the suggester of the current documents; a write marks
// it stale and the next Suggest rebuilds it.
type suggestCache struct {
	mu    sync.Mutex
	stale bool
	v     *view // the view it was built from
	s     *suggester
}

func (c *suggestCache) invalidate() {
	c.mu.Lock()
	c.stale = true
	c.mu.Unlock()
}

// install makes s, built from v, the current suggester (after a Rebuild
// swapped in the generation v belongs to).
func (c *suggestCache) install(v *view, s *suggester) {
	c.mu.Lock()
	c.s, c.v, c.stale = s, v, false
	c.mu.Unlock()
}

// suggester is a word index over everything worth proposing while a user
// types: entry titles, organisations, countries, action lines and SDGs.
type suggester struct {
	cands []suggestCand
	words []string  // distinct folded words, sorted
	posts [][]int32 // per word, the candidates containing it
}

// suggestCand is one proposal; labels holds per language what is shown
// (one entry for everything but action lines and SDGs).
type suggestCand struct {
	kind   int // index in suggestKinds
	value  string
	labels map[string]string
	count  int // popularity: entries behind it, or prizes for a title
}

// Suggest proposes up to limit titles (Value = entry id), organisations,
// countries, action lines and SDGs (Value = facet value) that have entries
// and whose words start
// with the words of prefix, ignoring case and accents; from four letters on
// a word may also differ by one typo. Facet values rank before
// organisations and titles, more entries before fewer, exact before typo.
// limit ≤ 0 means 10.
func (ix *Index) Suggest(ctx context.Context, prefix, lang string, limit int) ([]search.Suggestion, error) {
	if limit <= 0 {
		limit = 10
	}
	words := foldWords(prefix)
	if len(words) == 0 {
		return nil, nil
	}
	s, err := ix.suggester()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, search.Errorf(search.EUNAVAILABLE, "suggestions timed out")
	}
	return s.suggest(words, lang, limit), nil
}

// suggester returns the suggester of the current view, rebuilding it after
// writes.
func (ix *Index) suggester() (*suggester, error) {
	r, err := ix.open()
	if err != nil {
		return nil, err
	}
	defer r.close()
	c := &ix.suggest
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s != nil && (c.v == r.v || !c.stale) {
		return c.s, nil
	}
	s, err := newSuggester(r.v)
	if err != nil {
		return nil, err
	}
	c.s, c.v, c.stale = s, r.v, false
	return s, nil
}

func newSuggester(v *view) (*suggester, error) {
	s := &suggester{}
	counts := v.liveCounts()
	count := func(facet, val string) int {
		i := sort.SearchStrings(v.values[facet], val)
		if i < len(v.values[facet]) && v.values[facet][i] == val {
			return counts[facet][i]
		}
		return 0
	}
	for _, a := range search.ActionLines {
		labels := map[string]string{}
		for _, l := range []string{"en", "fr", "es", "ar"} {
			labels[l] = a.Code + " · " + a.Name.In(l)
		}
		if n := count(search.FacetActionLine, a.Code); n > 0 {
			s.cands = append(s.cands, suggestCand{kind: 0, value: a.Code, labels: labels, count: n})
		}
	}
	for _, g := range search.SDGs {
		n := strconv.Itoa(g.Number)
		labels := map[string]string{}
		for _, l := range []string{"en", "fr", "es", "ar"} {
			labels[l] = "SDG " + n + " · " + g.Name.In(l)
		}
		if c := count(search.FacetSDG, n); c > 0 {
			s.cands = append(s.cands, suggestCand{kind: 1, value: n, labels: labels, count: c})
		}
	}
	for _, c := range search.Countries() {
		if n := count(search.FacetCountry, c.ISO3); n > 0 {
			s.cands = append(s.cands, suggestCand{kind: 2, value: c.ISO3, labels: map[string]string{"": c.Name}, count: n})
		}
	}
	for i, org := range v.values[FacetOrganization] {
		if n := counts[FacetOrganization][i]; n > 0 {
			s.cands = append(s.cands, suggestCand{kind: 3, value: org, labels: map[string]string{"": org}, count: n})
		}
	}
	seen := map[string]int{} // folded title → candidate
	it := v.live.Iterator()
	for it.HasNext() {
		num := it.Next()
		hd, err := v.hit(num)
		if err != nil {
			return nil, err
		}
		pop := 0
		for _, p := range hd.Prizes {
			pop += map[string]int{"winner": 3, "champion": 2, "nominated": 1}[p.Status]
		}
		key := foldLower(hd.Title)
		if i, ok := seen[key]; ok {
			if pop > s.cands[i].count || pop == s.cands[i].count && v.ids[num] < s.cands[i].value {
				s.cands[i].value, s.cands[i].count = v.ids[num], pop
			}
			continue
		}
		seen[key] = len(s.cands)
		s.cands = append(s.cands, suggestCand{kind: 4, value: v.ids[num], labels: map[string]string{"": hd.Title}, count: pop})
	}
	post := map[string][]int32{}
	for i, c := range s.cands {
		var ws []string
		for _, l := range c.labels {
			ws = append(ws, foldWords(l)...)
		}
		if c.kind < 3 {
			ws = append(ws, foldWords(c.value)...)
		}
		if c.kind == 1 {
			ws = append(ws, "goal", "ods", "odd")
		}
		for _, w := range ws {
			if p := post[w]; len(p) == 0 || p[len(p)-1] != int32(i) {
				post[w] = append(p, int32(i))
			}
		}
	}
	s.words = make([]string, 0, len(post))
	for w := range post {
		s.words = append(s.words, w)
	}
	sort.Strings(s.words)
	s.posts = make([][]int32, len(s.words))
	for i, w := range s.words {
		s.posts[i] = post[w]
	}
	return s, nil
}

// Match states of a candidate for one query word.
const (
	noMatch    = 0
	exactMatch = 1
	typoMatch  = 2 // matched through a typo in this or an earlier word
)

// suggest ranks the candidates whose words match every query word.
func (s *suggester) suggest(words []string, lang string, limit int) []search.Suggestion {
	var prev []uint8
	state := make([]uint8, len(s.cands))
	for wi, w := range words {
		if wi > 0 {
			prev, state = state, make([]uint8, len(s.cands))
		}
		mark := func(i int, m uint8) {
			for _, c := range s.posts[i] {
				mc := m
				if prev != nil {
					if prev[c] == noMatch {
						continue
					}
					mc = max(m, prev[c])
				}
				if state[c] == noMatch || mc < state[c] {
					state[c] = mc
				}
			}
		}
		lo := sort.SearchStrings(s.words, w)
		for i := lo; i < len(s.words) && strings.HasPrefix(s.words[i], w); i++ {
			mark(i, exactMatch)
		}
		if len(w) >= 4 {
			for i, cand := range s.words {
				if len(cand) >= len(w)-1 && !strings.HasPrefix(cand, w) && prefixWithinOne(w, cand) {
					mark(i, typoMatch)
				}
			}
		}
	}
	better := func(a, b int) bool {
		if state[a] != state[b] {
			return state[a] < state[b]
		}
		ca, cb := &s.cands[a], &s.cands[b]
		if ca.kind != cb.kind {
			return ca.kind < cb.kind
		}
		if ca.count != cb.count {
			return ca.count > cb.count
		}
		return ca.value < cb.value
	}
	// Keep the limit best in a small sorted slice: limits are small.
	best := make([]int, 0, limit+1)
	for c, m := range state {
		if m == noMatch || len(best) == limit && !better(c, best[len(best)-1]) {
			continue
		}
		i := sort.Search(len(best), func(i int) bool { return better(c, best[i]) })
		best = append(best, 0)
		copy(best[i+1:], best[i:])
		best[i] = c
		if len(best) > limit {
			best = best[:limit]
		}
	}
	out := make([]search.Suggestion, 0, len(best))
	for _, c := range best {
		cand := &s.cands[c]
		out = append(out, search.Suggestion{Kind: suggestKinds[cand.kind], Text: cand.label(lang), Value: cand.value, Count: cand.count})
	}
	return out
}

func (c *suggestCand) label(lang string) string {
	if l, ok := c.labels[""]; ok {
		return l
	}
	lang, _, _ = strings.Cut(strings.ToLower(lang), "-")
	if l, ok := c.labels[lang]; ok {
		return l
	}
	return c.labels["en"]
}

// foldWords splits s into lower-case, accent-free words.
func foldWords(s string) []string {
	return strings.FieldsFunc(foldLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// prefixWithinOne reports whether some prefix of w is within one edit
// (substitution, insertion, deletion or transposition) of p. It compares
// bytes: folded words are ASCII but for non-Latin scripts, which then get
// no typo tolerance.
func prefixWithinOne(p, w string) bool {
	i := 0
	for i < len(p) && i < len(w) && p[i] == w[i] {
		i++
	}
	switch {
	case i == len(p):
		return true
	case i < len(w) && strings.HasPrefix(w[i+1:], p[i+1:]): // substitution
		return true
	case strings.HasPrefix(w[i:], p[i+1:]): // an extra letter typed
		return true
	case i < len(w) && strings.HasPrefix(w[i+1:], p[i:]): // a letter missed
		return true
	case i+1 < len(p) && i+1 < len(w) && p[i] == w[i+1] && p[i+1] == w[i] && strings.HasPrefix(w[i+2:], p[i+2:]):
		return true // transposition
	}
	return false
}
