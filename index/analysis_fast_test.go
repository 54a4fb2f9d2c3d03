package index

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
)

// analysisTexts covers every analyser: accents, full-width forms and
// half-width katakana (the width filter), Arabic, Russian, Chinese.
var analysisTexts = []string{
	"Confío Digital: Niños y Jóvenes Confiados en la información",
	"Télécommunications et santé numérique pour l'éducation des filles",
	"The Women's e-Health NETWORK connects 210 rural clinics' nurses",
	"ＷＳＩＳ　Ｐｒｉｚｅ ２０２４ ｶﾞｲﾄﾞ ﾊﾟﾝ and ａｂｃ",
	"الحكومة الإلكترونية والخدمات الرقمية في المدارس",
	"Электронное правительство и цифровые услуги для школ",
	"中国农村宽带接入与远程医疗 e-政务",
	"",
}

// referenceAnalyzers builds the analysers as they were specified before the
// faster filters: plain stemmers and the CJK width filter on every token.
func referenceAnalyzers(t *testing.T) map[string]analysis.Analyzer {
	t.Helper()
	m := mapping.NewIndexMapping()
	out := map[string]analysis.Analyzer{}
	for _, name := range analyzerNames() {
		var filters []any
		for _, f := range analyzerSpecs[name] {
			s := f.(string)
			if s == widthFilterName {
				s = cjk.WidthName
			}
			for _, st := range cachedStemmers {
				if s == cachedFilterName(st) {
					s = st
				}
			}
			filters = append(filters, s)
		}
		ref := "ref_" + name
		if err := m.AddCustomAnalyzer(ref, map[string]any{"type": "custom", "tokenizer": "unicode", "token_filters": filters}); err != nil {
			t.Fatal(err)
		}
		out[name] = m.AnalyzerNamed(ref)
	}
	return out
}

func tokenStrings(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("%s@%d[%d:%d]%d", t.Term, t.Position, t.Start, t.End, t.Type)
	}
	return out
}

// TestFastFiltersMatchReference checks that the cached stemmers, the width
// filter and the paired analysis give exactly the tokens of the plain
// filter chains, twice over (the second time from the stem caches), and
// leave the analysed bytes alone.
func TestFastFiltersMatchReference(t *testing.T) {
	ref := referenceAnalyzers(t)
	texts := slices.Clone(analysisTexts)
	r := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		texts = append(texts, genText(r, 30)+" "+genSpecial[r.IntN(len(genSpecial))])
	}
	plain := analyzerNamed(plainAnalyzer)
	for _, lang := range languages {
		name := analyzerFor(lang)
		fast := analyzerNamed(name)
		for round := range 2 {
			for _, text := range texts {
				want := tokenStrings(ref[name].Analyze([]byte(text)))
				if got := tokenStrings(fast.Analyze([]byte(text))); !slices.Equal(got, want) {
					t.Fatalf("%s round %d %q:\n got %v\nwant %v", name, round, text, got, want)
				}
				wantPlain := tokenStrings(ref[plainAnalyzer].Analyze([]byte(text)))
				value := []byte(text)
				pa, la := pairAnalyzers(plain, fast, value)
				if _, ok := pa.(*pairHalf); !ok {
					t.Fatalf("%s: analysers not paired", name)
				}
				gotLang := tokenStrings(la.Analyze(value)) // either half may run first
				gotPlain := tokenStrings(pa.Analyze(value))
				if !slices.Equal(gotPlain, wantPlain) || !slices.Equal(gotLang, want) {
					t.Fatalf("%s paired %q:\n got %v %v\nwant %v %v", name, text, gotPlain, gotLang, wantPlain, want)
				}
				if again := tokenStrings(pa.Analyze(value)); !slices.Equal(again, wantPlain) {
					t.Fatalf("%s paired again %q: got %v want %v", name, text, again, wantPlain)
				}
				if string(value) != text {
					t.Fatalf("%s: analysis rewrote the value %q to %q", name, text, value)
				}
			}
		}
	}
}
