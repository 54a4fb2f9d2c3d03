package index

import (
	"bytes"
	"slices"
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
	terms    map[string]bool    // "lang:term" of every analysed query word
	prefixes []string           // folded, lower-case prefixes
	heads    *[headWords]uint64 // hashed set of the first two bytes of the terms: a cheap pre-check
	// seen remembers the verdict for each folded word: the hits of one
	// page share most of their vocabulary, and analysing a word in every
	// language is the expensive part. A highlighter serves one request.
	seen map[string]seenWord // by the word as written
}

// newHighlighter returns the highlighter of q's positive words and
// phrases (an argument an is kept for callers; every language's analyser
// is used).
func newHighlighter(q *search.Query, an analysis.Analyzer) *highlighter {
	h := &highlighter{terms: map[string]bool{}, heads: new([headWords]uint64)}
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

// headWords is the size of the heads set in words: 4 096 bits, 512 bytes
// per highlighter (kept with each translation). Pairs share bits, which
// only lets a word through to the full check.
const headWords = 64

func headBit(a, b byte) uint { return (uint(a)*131 + uint(b)) & (headWords*64 - 1) }

func (h *highlighter) setHead(a, b byte) { i := headBit(a, b); h.heads[i>>6] |= 1 << (i & 63) }

func (h *highlighter) hasHead(a, b byte) bool {
	i := headBit(a, b)
	return h.heads[i>>6]&(1<<(i&63)) != 0
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

// matches reports whether one word of the text is a query word, and gives
// its folded form when it is.
func (h *highlighter) matches(word []byte) (string, bool) {
	if len(h.prefixes) == 0 {
		if len(h.terms) == 0 || len(word) < 2 {
			return "", false
		}
		// the pre-check below on the raw bytes: most words stop here
		// without being folded
		if word[0] < utf8.RuneSelf && word[1] < utf8.RuneSelf {
			if !h.hasHead(lowerByte(word[0]), lowerByte(word[1])) {
				return "", false
			}
		}
	}
	if s, ok := h.seen[string(word)]; ok {
		return s.fold, s.match
	}
	w := foldLower(string(word))
	v := h.verdict(w)
	if h.seen == nil {
		h.seen = map[string]seenWord{}
	}
	h.seen[string(word)] = seenWord{fold: w, match: v}
	return w, v
}

// seenWord is the verdict on a word of the text: its folded form and
// whether it matches.
type seenWord struct {
	fold  string
	match bool
}

// verdict reports whether the folded word w matches a query prefix or
// term.
func (h *highlighter) verdict(w string) bool {
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
	return h.analyzedMatch(w)
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
// text is only read during the call.
func (h *highlighter) snippet(text []byte) string {
	if len(text) == 0 {
		return ""
	}
	sb := snippetBufs.Get().(*snippetBuf)
	defer snippetBufs.Put(sb)
	sb.tokens = snippetTokens(sb.tokens[:0], h.tokenText(text))
	return h.cut(text, sb)
}

// snippetBuf holds the working lists of one snippet, reused from a pool.
type snippetBuf struct {
	tokens []analysis.Token
	hits   []int    // indexes of the matching tokens
	folds  []string // their folded words
	out    []byte
}

var snippetBufs = sync.Pool{New: func() any {
	return &snippetBuf{tokens: make([]analysis.Token, 0, 512), out: make([]byte, 0, 512)}
}}

// snippetTokens appends the words of text to dst; their terms point into
// text.
func snippetTokens(dst []analysis.Token, text []byte) []analysis.Token {
	if !utf8.Valid(text) {
		for _, t := range snippetTokenizer.Tokenize(text) {
			dst = append(dst, *t)
		}
		return dst
	}
	return snippetTokenizer.appendTokens(dst, text)
}

// tokenText is the part of text whose words the snippet needs: all of it,
// or when there is nothing to mark, the start: the snippet is then the
// first snippetLen bytes, and the margin keeps the cut from changing where
// the words near their end break.
func (h *highlighter) tokenText(text []byte) []byte {
	if len(h.terms) > 0 || len(h.prefixes) > 0 || len(text) <= snippetLen+64 {
		return text
	}
	cut := snippetLen + 64
	for cut < len(text) && !utf8.RuneStart(text[cut]) {
		cut++
	}
	return text[:cut]
}

// cut builds the snippet of text from its tokens (sb.tokens).
func (h *highlighter) cut(text []byte, sb *snippetBuf) string {
	tokens := sb.tokens
	hits, folds := sb.hits[:0], sb.folds[:0]
	for i := range tokens {
		if w, ok := h.matches(tokens[i].Term); ok {
			hits = append(hits, i)
			folds = append(folds, w)
		}
	}
	first := bestWindow(tokens, hits, folds)
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
	b := sb.out[:0]
	if start > 0 {
		b = append(b, "…"...)
	}
	pos := start
	for _, i := range hits {
		t := &tokens[i]
		if t.Start < start || t.End > end {
			continue
		}
		b = appendEscaped(b, text[pos:t.Start])
		b = append(b, "<mark>"...)
		b = appendEscaped(b, text[t.Start:t.End])
		b = append(b, "</mark>"...)
		pos = t.End
	}
	b = appendEscaped(b, text[pos:end])
	if end < len(text) {
		b = append(b, "…"...)
	}
	clear(folds) // the pool keeps no words
	sb.hits, sb.folds, sb.out = hits[:0], folds[:0], b[:0]
	return string(bytes.TrimSpace(b))
}

// appendEscaped appends s escaped as html.EscapeString escapes it.
func appendEscaped(dst, s []byte) []byte {
	last := 0
	for i, c := range s {
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, esc...)
		last = i + 1
	}
	return append(dst, s[last:]...)
}

// bestWindow returns the matched token that starts the passage with the
// most distinct matched words (then the most matches, then the earliest),
// or -1 when nothing matched. folds are the hits' folded words.
func bestWindow(tokens []analysis.Token, hits []int, folds []string) int {
	best, bestDistinct, bestCount := -1, 0, 0
	for a, i := range hits {
		limit := tokens[i].Start + snippetLen - snippetBefore
		distinct, count := 0, 0
		for b := a; b < len(hits); b++ {
			if tokens[hits[b]].End > limit {
				break
			}
			if !slices.Contains(folds[a:b], folds[b]) {
				distinct++
			}
			count++
		}
		if distinct > bestDistinct || distinct == bestDistinct && count > bestCount {
			best, bestDistinct, bestCount = i, distinct, count
		}
	}
	return best
}
