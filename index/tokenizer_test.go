package index

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

func tokensOf(ts analysis.TokenStream) []analysis.Token {
	out := make([]analysis.Token, len(ts))
	for i, t := range ts {
		out[i] = *t
		out[i].Term = append([]byte{}, t.Term...)
	}
	return out
}

func sameTokens(t *testing.T, input string) {
	t.Helper()
	want := tokensOf(unicode.NewUnicodeTokenizer().Tokenize([]byte(input)))
	got := tokensOf(asciiTokenizer{unicode.NewUnicodeTokenizer()}.Tokenize([]byte(input)))
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Tokenize(%q):\n got %+v\nwant %+v", input, got, want)
	}
}

// TestASCIITokenizerMatchesUnicode compares the fast tokenizer with bleve's
// on hand-picked cases, on random strings over every byte class of the
// rules and on the descriptions of generated entries.
func TestASCIITokenizerMatchesUnicode(t *testing.T) {
	for _, s := range []string{
		"", " ", "e-health", "U.S.A.", "3.14", "1,000,000", "a:b", "1:2", "a.1", "1.a", "a1.2", "a.b1",
		"don't", "'quoted'", "__", "_1_", "a__b", "1._2", "x;y", "4;5", "end.", "CR\r\nLF", "tab\there",
		"ICT4D", "5G", "SDG-3", "C7.1", "e.g.", "..a..", "a..b", "it's 2.0's", "k:a", "a:1", "\x00a\x7f",
		"Télémédecine", "mixed ascii and accents: café", "日本語テキスト",
	} {
		sameTokens(t, s)
	}
	// every byte class of the ASCII rules, and non-ASCII letters, marks
	// (U+0301), format characters (U+00AD, U+200D), a MidNumLet (U+2019),
	// ideographs, kana, a non-ASCII space (U+00A0) and an invalid byte
	alphabet := []string{"a", "Z", "0", "9", "_", ".", ",", ":", ";", "'", " ", "-", "\"", "!", "\n", "\r", "\t", "/", "(",
		"é", "\u0301", "\u00ad", "\u200d", "\u2019", "日", "テ", "\u00a0", "ж", "\xff"}
	rng := rand.New(rand.NewPCG(7, 11))
	var buf []byte
	for n := 0; n < 200000; n++ {
		buf = buf[:0]
		for k := rng.IntN(40); k > 0; k-- {
			c := alphabet[rng.IntN(len(alphabet))]
			if n%2 == 0 && c[0] >= 0x80 { // half the strings are ASCII
				c = "b"
			}
			buf = append(buf, c...)
		}
		sameTokens(t, string(buf))
	}
	ascii := 0
	for _, e := range genEntries(5, 2000) {
		if isASCII([]byte(entryDescription(e))) {
			ascii++
		}
		sameTokens(t, e.Title)
		sameTokens(t, e.Organization)
		sameTokens(t, entryDescription(e))
	}
	t.Logf("%d of 2000 generated descriptions are ASCII", ascii)
}

func FuzzASCIITokenizer(f *testing.F) {
	for _, s := range []string{"a.b", "1,2", "don't", "x_y:z", "é a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { sameTokens(t, s) })
}

func BenchmarkTokenizer(b *testing.B) {
	var text []byte
	for _, e := range genEntries(5, 50) {
		if d := []byte(entryDescription(e)); isASCII(d) && len(d) > len(text) {
			text = d
		}
	}
	for _, tc := range []struct {
		name string
		tok  analysis.Tokenizer
	}{{"unicode", unicode.NewUnicodeTokenizer()}, {"ascii", asciiTokenizer{unicode.NewUnicodeTokenizer()}}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for i := 0; i < b.N; i++ {
				tc.tok.Tokenize(text)
			}
		})
	}
}
