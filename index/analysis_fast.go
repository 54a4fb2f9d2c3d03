package index

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/registry"
)

// Building the index spends much of its time in the stemmers and in the
// CJK width filter, which map each token's term to a new term on its own.
// The filters below give the same output faster: a stemmer remembers the
// stems of the words it has seen (a collection has far fewer distinct
// words than tokens), and the width filter leaves ASCII tokens alone (it
// only changes full- and half-width forms).

// cachedFilterName is the name of the memoising wrapper of token filter name.
func cachedFilterName(name string) string { return "stk_cached_" + name }

// widthFilterName is the CJK width filter that skips ASCII tokens.
const widthFilterName = "stk_width"

// stemCacheShards and stemCacheMax bound the memory of a stem cache: once a
// shard holds stemCacheMax/stemCacheShards words, new words are stemmed
// without being remembered.
const (
	stemCacheShards = 16
	stemCacheMax    = 1 << 16
)

// cachedFilter applies a term-to-term filter through a concurrent cache.
type cachedFilter struct {
	inner  analysis.TokenFilter
	seed   maphash.Seed
	shards [stemCacheShards]struct {
		mu    sync.RWMutex
		stems map[string][]byte
	}
}

func newCachedFilter(inner analysis.TokenFilter) *cachedFilter {
	f := &cachedFilter{inner: inner, seed: maphash.MakeSeed()}
	for i := range f.shards {
		f.shards[i].stems = map[string][]byte{}
	}
	return f
}

func (f *cachedFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var one [1]*analysis.Token
	for _, t := range input {
		sh := &f.shards[maphash.Bytes(f.seed, t.Term)%stemCacheShards]
		sh.mu.RLock()
		stem, ok := sh.stems[string(t.Term)]
		sh.mu.RUnlock()
		if ok {
			t.Term = bytes.Clone(stem)
			continue
		}
		word := string(t.Term)
		one[0] = t
		f.inner.Filter(one[:])
		sh.mu.Lock()
		if len(sh.stems) < stemCacheMax/stemCacheShards {
			sh.stems[word] = bytes.Clone(t.Term)
		}
		sh.mu.Unlock()
	}
	return input
}

// asciiSkipFilter applies inner only to the tokens that are not pure ASCII.
type asciiSkipFilter struct{ inner analysis.TokenFilter }

func (f asciiSkipFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var one [1]*analysis.Token
	for _, t := range input {
		if !isASCII(t.Term) {
			one[0] = t
			f.inner.Filter(one[:])
		}
	}
	return input
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cachedStemmers are the stemmers wrapped by cachedFilter.
var cachedStemmers = []string{en.SnowballStemmerName, fr.LightStemmerName, es.LightStemmerName,
	ar.StemmerName, ru.SnowballStemmerName}

func init() {
	for _, name := range cachedStemmers {
		err := registry.RegisterTokenFilter(cachedFilterName(name), func(_ map[string]any, c *registry.Cache) (analysis.TokenFilter, error) {
			inner, err := c.TokenFilterNamed(name)
			if err != nil {
				return nil, fmt.Errorf("token filter %s: %w", name, err)
			}
			return newCachedFilter(inner), nil
		})
		if err != nil {
			panic(err)
		}
	}
	err := registry.RegisterTokenFilter(widthFilterName, func(_ map[string]any, c *registry.Cache) (analysis.TokenFilter, error) {
		inner, err := c.TokenFilterNamed(cjk.WidthName)
		if err != nil {
			return nil, fmt.Errorf("token filter %s: %w", cjk.WidthName, err)
		}
		return asciiSkipFilter{inner}, nil
	})
	if err != nil {
		panic(err)
	}
}
