package index

import (
	"html"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestSnippetWithoutTermsCutsEarly checks that a snippet with nothing to
// mark, which tokenizes only the start of the text, is the snippet the
// whole text's tokens give.
func TestSnippetWithoutTermsCutsEarly(t *testing.T) {
	h := newHighlighter(search.ParseQuery(""), nil)
	texts := []string{strings.Repeat("word ", 100), strings.Repeat("é.a ", 90) + "tail", strings.Repeat("x", 400)}
	for _, e := range genEntries(9, 500) {
		texts = append(texts, entryDescription(e))
	}
	for _, text := range texts {
		sb := &snippetBuf{tokens: snippetTokens(nil, []byte(text))}
		want := h.cut([]byte(text), sb)
		if got := h.snippet([]byte(text)); got != want {
			t.Fatalf("snippet(%.60q…) = %q, want %q", text, got, want)
		}
	}
}

// TestSnippetEqualsReference compares snippets with those of the first,
// simple implementation (string based, a map per window; kept below) for
// generated descriptions, hostile text and many queries: the buffered
// version must cut and mark exactly the same.
func TestSnippetEqualsReference(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	texts := []string{
		"", "a", "<script>alert('x')</script> & \"quotes\" health",
		strings.Repeat("filler words ", 40) + "rural broadband <b>now</b>" + strings.Repeat(" tail", 60),
		"Télémédecine rurale: santé numérique pour tous. Cibersalud y telemedicina " + strings.Repeat("é ", 100),
		"ИКТ для развития: электронное здравоохранение. تكنولوجيا المعلومات والصحة الإلكترونية 信息通信技术",
		"bad \xff\xfe utf-8 health \xc3 data",
	}
	for _, e := range genEntries(13, 300) {
		texts = append(texts, entryDescription(e))
	}
	queries := []string{"health", "broadband rural", "e-health telemedicine", "women digital skills",
		"\"digital inclusion\"", "agri*", "santé", "здравоохранение", "school -rural", "data OR cybersecurity",
		"telemedicne", "", "the of and", "connecting people"}
	for range 30 { // queries of words drawn from the texts
		words := strings.Fields(texts[rnd.IntN(len(texts))])
		if len(words) == 0 {
			continue
		}
		q := words[rnd.IntN(len(words))]
		if rnd.IntN(2) == 0 {
			q += " " + words[rnd.IntN(len(words))]
		}
		queries = append(queries, q)
	}
	for _, qs := range queries {
		q := search.ParseQuery(qs)
		for _, text := range texts {
			want := refSnippet(newHighlighter(q, nil), text)
			if got := newHighlighter(q, nil).snippet([]byte(text)); got != want {
				t.Fatalf("query %q, text %.80q…:\n got %q\nwant %q", qs, text, got, want)
			}
		}
	}
}

// refSnippet is the first implementation of snippet, the reference.
func refSnippet(h *highlighter, text string) string {
	if text == "" {
		return ""
	}
	b := []byte(text)
	if len(h.terms) == 0 && len(h.prefixes) == 0 && len(b) > snippetLen+64 {
		b = []byte(string(h.tokenText(b)))
	}
	tokens := snippetTokens(nil, b)
	marked := make([]bool, len(tokens))
	var hits []int
	for i := range tokens {
		if refMatches(h, tokens[i].Term) {
			marked[i] = true
			hits = append(hits, i)
		}
	}
	first := refBestWindow(tokens, hits)
	start := 0
	if first >= 0 && tokens[first].Start > snippetBefore {
		start = tokens[first].Start - snippetBefore
		for i := first; i >= 0 && tokens[i].Start >= start; i-- {
			start = tokens[i].Start
		}
	}
	end := start + snippetLen
	if end >= len(text) {
		end = len(text)
	} else {
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
	var sb strings.Builder
	if start > 0 {
		sb.WriteString("…")
	}
	pos := start
	for i, t := range tokens {
		if !marked[i] || t.Start < start || t.End > end {
			continue
		}
		sb.WriteString(html.EscapeString(text[pos:t.Start]))
		sb.WriteString("<mark>")
		sb.WriteString(html.EscapeString(text[t.Start:t.End]))
		sb.WriteString("</mark>")
		pos = t.End
	}
	sb.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		sb.WriteString("…")
	}
	return strings.TrimSpace(sb.String())
}

func refMatches(h *highlighter, word []byte) bool {
	w := foldLower(string(word))
	for _, p := range h.prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	if len(h.terms) == 0 || len(w) < 2 {
		return false
	}
	return h.analyzedMatch(w)
}

func refBestWindow(tokens []analysis.Token, hits []int) int {
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
