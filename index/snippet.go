package index

import (
	"html"
	"strings"
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

var snippetTokenizer = unicode.NewUnicodeTokenizer()

// highlighter finds the query's words in a description by re-analysing it
// (the index keeps no term vectors) and cuts an HTML fragment around the
// first one.
type highlighter struct {
	analyzer analysis.Analyzer
	terms    map[string]bool // analysed query terms
	prefixes []string        // folded, lower-case prefixes
}

func newHighlighter(q *search.Query, an analysis.Analyzer) *highlighter {
	h := &highlighter{analyzer: an, terms: map[string]bool{}}
	var walk func(n *search.Query, neg bool)
	walk = func(n *search.Query, neg bool) {
		if n == nil {
			return
		}
		switch n.Kind {
		case search.NodeTerm, search.NodePhrase:
			if !neg && (n.Field == "" || len(scopeFields(n.Field)) == 1 && scopeFields(n.Field)[0].name == fieldDesc) {
				for _, t := range an.Analyze([]byte(n.Text)) {
					h.terms[string(t.Term)] = true
				}
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

// matches reports whether one word of the text is a query word.
func (h *highlighter) matches(word []byte) bool {
	w := foldLower(string(word))
	for _, p := range h.prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	if len(h.terms) == 0 {
		return false
	}
	// Cheap pre-check: stems keep the first two letters of their word.
	candidate := false
	for t := range h.terms {
		if len(t) < 2 || len(w) >= 2 && w[:2] == t[:2] {
			candidate = true
			break
		}
	}
	if !candidate {
		return false
	}
	for _, t := range h.analyzer.Analyze([]byte(w)) {
		if h.terms[string(t.Term)] {
			return true
		}
	}
	return false
}

// snippet returns an HTML fragment of text around the first query word:
// every character of text is escaped, matches are wrapped in <mark>.
func (h *highlighter) snippet(text string) string {
	if text == "" {
		return ""
	}
	tokens := snippetTokenizer.Tokenize([]byte(text))
	first := -1
	marked := make([]bool, len(tokens))
	for i, t := range tokens {
		if first >= 0 && t.Start > tokens[first].Start+snippetLen {
			break
		}
		if h.matches(t.Term) {
			marked[i] = true
			if first < 0 {
				first = i
			}
		}
	}
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
		for _, t := range tokens {
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
