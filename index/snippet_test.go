package index

import (
	"strings"
	"testing"

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
		want := h.cut(text, snippetTokens(nil, text))
		if got := h.snippet(text); got != want {
			t.Fatalf("snippet(%.60q…) = %q, want %q", text, got, want)
		}
	}
}
