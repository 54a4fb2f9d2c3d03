package index

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// languages are the entry languages with an analyser of their own; text in
// any other language is analysed as English.
var languages = []string{"en", "fr", "es", "ar", "ru", "zh"}

// textLang is the language of textAnalyzer.
const textLang = "en"

// plainAnalyzer analyses the language-neutral fields: words are only
// lower-cased and accent-folded, never stemmed or dropped, so that prefixes,
// spelling corrections and the term dictionary work on real words.
const plainAnalyzer = "stk_plain"

// foldFilterName is the token filter that folds accents: "Confío" and
// "Confio" are one word, "télécommunications" is "telecommunications".
const foldFilterName = "stk_fold"

// analyzerFor returns the name of the analyser for text in language lang.
func analyzerFor(lang string) string {
	for _, l := range languages {
		if l == lang {
			return "stk_" + lang
		}
	}
	return textAnalyzer
}

// langField is the name of field base analysed in language lang ("desc_fr").
func langField(base, lang string) string { return base + "_" + lang }

// analyzerSpecs define the analysers. Accents are folded after stop words
// (the stop lists are accented) and before stemming, so that the stemmer
// sees the same word whether or not the user typed the accents. Russian
// is folded after stemming: its stemmer needs й, and folding only touches
// Latin letters anyway. The stemmers and the width filter are the faster
// equivalents of analysis_fast.go.
var analyzerSpecs = map[string][]any{
	"stk_en":      {en.PossessiveName, lowercase.Name, en.StopName, foldFilterName, cachedFilterName(en.SnowballStemmerName)},
	"stk_fr":      {lowercase.Name, fr.ElisionName, fr.StopName, foldFilterName, cachedFilterName(fr.LightStemmerName)},
	"stk_es":      {lowercase.Name, es.StopName, foldFilterName, cachedFilterName(es.LightStemmerName)},
	"stk_ar":      {lowercase.Name, ar.StopName, ar.NormalizeName, cachedFilterName(ar.StemmerName), foldFilterName},
	"stk_ru":      {lowercase.Name, ru.StopName, cachedFilterName(ru.SnowballStemmerName), foldFilterName},
	"stk_zh":      {widthFilterName, lowercase.Name, foldFilterName, cjk.BigramName},
	plainAnalyzer: {widthFilterName, lowercase.Name, foldFilterName, cjk.BigramName},
}

// addAnalyzers registers every analyser of analyzerSpecs in m.
func addAnalyzers(m *mapping.IndexMappingImpl) error {
	for _, name := range analyzerNames() {
		err := m.AddCustomAnalyzer(name, map[string]any{
			"type":          custom.Name,
			"tokenizer":     tokenizerName,
			"token_filters": analyzerSpecs[name],
		})
		if err != nil {
			return fmt.Errorf("analyzer %s: %w", name, err)
		}
	}
	return nil
}

// analyzerNames lists the analysers in a fixed order.
func analyzerNames() []string {
	out := []string{plainAnalyzer}
	for _, l := range languages {
		out = append(out, "stk_"+l)
	}
	return out
}

var (
	analyzersOnce   sync.Once
	analyzersByName map[string]analysis.Analyzer
	analyzersErr    error
)

// textAnalyzers returns every analyser by name, built once; analysers are
// safe for concurrent use.
func textAnalyzers() (map[string]analysis.Analyzer, error) {
	analyzersOnce.Do(func() {
		m := mapping.NewIndexMapping()
		if analyzersErr = addAnalyzers(m); analyzersErr != nil {
			return
		}
		analyzersByName = map[string]analysis.Analyzer{}
		for _, name := range analyzerNames() {
			a := m.AnalyzerNamed(name)
			if a == nil {
				analyzersErr = fmt.Errorf("analyzer %s not found", name)
				return
			}
			analyzersByName[name] = a
		}
	})
	return analyzersByName, analyzersErr
}

// analyzerNamed returns a built analyser; the names are constants checked
// by Open, so a miss is a programming error.
func analyzerNamed(name string) analysis.Analyzer {
	m, err := textAnalyzers()
	if err != nil || m[name] == nil {
		panic(fmt.Sprintf("index: analyzer %s: %v", name, err))
	}
	return m[name]
}

// foldFilter folds accents and other Latin variants to ASCII in each token.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		t.Term = foldTerm(t.Term)
	}
	return input
}

// foldTerm returns term with its Latin letters folded to ASCII, composing
// decomposed accents first; ASCII input is returned as is.
func foldTerm(term []byte) []byte {
	ascii := true
	for _, c := range term {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return term
	}
	return folder.Filter(norm.NFC.Bytes(term))
}

func init() {
	err := registry.RegisterTokenFilter(foldFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
	if err != nil {
		panic(err)
	}
}
