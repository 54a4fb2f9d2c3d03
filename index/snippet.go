package index

import (
	"html"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Snippet sizes in bytes of description text.
const (
	snippetLen    = 220
	snippetBefore = 60
)

var snippetTokenizer = asciiTokenizer{unicode.NewUnicodeTokenizer()}

// highlighter finds the query's words in a description by re-analysing it
// and cuts an HTML fragment around the passage with the most of them. A
// description word matches when, analysed in some language, it gives a
// term the query gave in that language: stems, accents and case do not
// matter ("Connecting" matches "connected", "télémédecine" matches
// "telemedecine"). With the loose reading, synonyms and spelling
// corrections of the query words are highlighted too.
type highlighter struct {
	terms    map[string]bool  // "lang:term" of every analysed query word
	prefixes []string         // folded, lower-case prefixes
	heads    *[1 << 10]uint64 // bit set of the first two bytes of the terms: a cheap pre-check
	// seen remembers the verdict for each folded word: the hits of one
	// page share most of their vocabulary, and analysing a word in every
	// language is the expensive part. A highlighter serves one request.
	seen map[string]bool
}

// newHighlighter returns the highlighter of q's positive words and
// phrases (an argument an is kept for callers; every language's analyser
// is used).
func newHighlighter(q *search.Query, an analysis.Analyzer) *highlighter {
	h := &highlighter{terms: map[string]bool{}, heads: new([1 << 10]uint64)}
	var walk func(n *search.Query, neg bool)
	walk = func(n *search.Query, neg bool) {
		if n == nil {
			return
		}
		switch n.Kind {
		case search.NodeTerm, search.NodePhrase:
			if !neg {
				h.add(n.Text)
			}
		case search.NodePrefix:
			if !neg && n.Field == "" {
				if p := foldLower(strings.TrimSpace(n.Text)); p != "" {
					h.prefixes = append(h.prefixes, p)
				}
			}
		case search.NodeNot:
			for _, c := range n.Children {
				walk(c, !neg)
			}
		default:
			for _, c := range n.Children {
				walk(c, neg)
			}
		}
	}
	walk(q, false)
	return h
}

// add adds the terms of text in every language.
func (h *highlighter) add(text string) {
	for _, l := range languages {
		for _, t := range analyzerNamed(analyzerFor(l)).Analyze([]byte(text)) {
			if len(t.Term) < 2 {
				continue // "e" of "e-health" would mark every lone letter
			}
			h.terms[l+":"+string(t.Term)] = true
			h.setHead(t.Term[0], t.Term[1])
		}
	}
}

func (h *highlighter) setHead(a, b byte) { h.heads[int(a)<<2|int(b)>>6] |= 1 << (b & 63) }

func (h *highlighter) hasHead(a, b byte) bool {
	return h.heads[int(a)<<2|int(b)>>6]&(1<<(b&63)) != 0
}

// with adds the synonyms and corrections of the loose reading rd (after
// the query was translated) and returns h.
func (h *highlighter) with(rd *reading) *highlighter {
	if rd == nil || !rd.loose {
		return h
	}
	for _, c := range rd.corrected {
		h.add(c)
	}
	for _, s := range rd.synonyms {
		h.add(s)
	}
	return h
}

// matches reports whether one word of the text is a query word.
func (h *highlighter) matches(word []byte) bool {
	if len(h.prefixes) == 0 {
		if len(h.terms) == 0 || len(word) < 2 {
			return false
		}
		// the pre-check below on the raw bytes: most words stop here
		// without being folded
		if word[0] < utf8.RuneSelf && word[1] < utf8.RuneSelf {
			head := [2]byte{lowerByte(word[0]), lowerByte(word[1])}
			if !h.hasHead(head[0], head[1]) {
				return false
			}
		}
	}
	w := foldLower(string(word))
	for _, p := range h.prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	if len(h.terms) == 0 || len(w) < 2 {
		return false
	}
	// Stems keep the first two letters of their (folded) word; Arabic
	// stemmers drop prefixes, so non-Latin words skip the pre-check.
	if w[0] < utf8.RuneSelf && !h.hasHead(w[0], w[1]) {
		return false
	}
	if v, ok := h.seen[w]; ok {
		return v
	}
	v := h.analyzedMatch(w)
	if h.seen == nil {
		h.seen = map[string]bool{}
	}
	h.seen[w] = v
	return v
}

// analyzedMatch looks the terms of a folded word in every language up
// among the query's.
func (h *highlighter) analyzedMatch(w string) bool {
	for _, t := range wordTerms(w) {
		if h.terms[t] {
			return true
		}
	}
	return false
}

// wordTermsCache remembers the analysis of the words of descriptions in
// every language (a collection has far fewer distinct words than hits
// shown), up to wordTermsMax words.
var (
	wordTermsCache sync.Map // folded word → []string of "lang:term"
	wordTermsCount atomic.Int64
)

const wordTermsMax = 1 << 17

// wordTerms returns the "lang:term" of a folded word in every language.
func wordTerms(w string) []string {
	if v, ok := wordTermsCache.Load(w); ok {
		return v.([]string)
	}
	var out []string
	for _, l := range languages {
		for _, t := range analyzerNamed(analyzerFor(l)).Analyze([]byte(w)) {
			out = append(out, l+":"+string(t.Term))
		}
	}
	if wordTermsCount.Load() < wordTermsMax {
		if _, loaded := wordTermsCache.LoadOrStore(w, out); !loaded {
			wordTermsCount.Add(1)
		}
	}
	return out
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// snippet returns an HTML fragment of text around the passage holding the
// most distinct query words: every character of text is escaped, matches
// are wrapped in <mark>, and the fragment starts and ends on whole words.
func (h *highlighter) snippet(text string) string {
	if text == "" {
		return ""
	}
	buf := tokenBufs.Get().(*[]analysis.Token)
	defer tokenBufs.Put(buf)
	*buf = snippetTokens((*buf)[:0], h.tokenText(text))
	return h.cut(text, *buf)
}

var tokenBufs = sync.Pool{New: func() any { b := make([]analysis.Token, 0, 512); return &b }}

// snippetTokens appends the words of text to dst.
func snippetTokens(dst []analysis.Token, text string) []analysis.Token {
	b := []byte(text)
	if !utf8.Valid(b) {
		for _, t := range snippetTokenizer.Tokenize(b) {
			dst = append(dst, *t)
		}
		return dst
	}
	return snippetTokenizer.appendTokens(dst, b)
}

// tokenText is the part of text whose words the snippet needs: all of it,
// or when there is nothing to mark, the start: the snippet is then the
// first snippetLen bytes, and the margin keeps the cut from changing where
// the words near their end break.
func (h *highlighter) tokenText(text string) string {
	if len(h.terms) > 0 || len(h.prefixes) > 0 || len(text) <= snippetLen+64 {
		return text
	}
	cut := snippetLen + 64
	for cut < len(text) && !utf8.RuneStart(text[cut]) {
		cut++
	}
	return text[:cut]
}

// cut builds the snippet of text from its tokens.
func (h *highlighter) cut(text string, tokens []analysis.Token) string {
	marked := make([]bool, len(tokens))
	var hits []int
	for i := range tokens {
		t := &tokens[i]
		if h.matches(t.Term) {
			marked[i] = true
			hits = append(hits, i)
		}
	}
	first := bestWindow(tokens, hits)
	start := 0
	if first >= 0 && tokens[first].Start > snippetBefore {
		start = tokens[first].Start - snippetBefore
		for i := first; i >= 0 && tokens[i].Start >= start; i-- {
			start = tokens[i].Start // begin on a word
		}
	}
	end := start + snippetLen
	if end >= len(text) {
		end = len(text)
	} else {
		// end after the last whole word that fits
		cut := start
		for i := range tokens {
			t := &tokens[i]
			if t.Start >= start && t.End <= end {
				cut = t.End
			}
		}
		if cut > start {
			end = cut
		}
		for end > start && !utf8.RuneStart(text[end]) {
			end--
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for i, t := range tokens {
		if !marked[i] || t.Start < start || t.End > end {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:t.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[t.Start:t.End]))
		b.WriteString("</mark>")
		pos = t.End
	}
	b.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

// bestWindow returns the matched token that starts the passage with the
// most distinct matched words (then the most matches, then the earliest),
// or -1 when nothing matched.
func bestWindow(tokens []analysis.Token, hits []int) int {
	best, bestDistinct, bestCount := -1, 0, 0
	for a, i := range hits {
		limit := tokens[i].Start + snippetLen - snippetBefore
		distinct := map[string]bool{}
		count := 0
		for _, j := range hits[a:] {
			if tokens[j].End > limit {
				break
			}
			distinct[foldLower(string(tokens[j].Term))] = true
			count++
		}
		if len(distinct) > bestDistinct || len(distinct) == bestDistinct && count > bestCount {
			best, bestDistinct, bestCount = i, len(distinct), count
		}
	}
	return best
}
