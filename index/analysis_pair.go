package index

import (
	"bytes"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Each text of an entry is indexed twice, in its language-neutral field and
// in its language's field, by two analysers that share their tokenizer. A
// pairedText tokenizes the text once for both: pairAnalyzers returns the
// two analysers of one text, each running its own token filters on its own
// copy of the tokens. Analysers that are not plain tokenizer-and-filters
// chains with one tokenizer are returned as they are.

// pairAnalyzers returns analysers equivalent to a and b for value, which
// tokenize value only once between them. Each must be used once, on value.
func pairAnalyzers(a, b analysis.Analyzer, value []byte) (analysis.Analyzer, analysis.Analyzer) {
	da, ok1 := a.(*analysis.DefaultAnalyzer)
	db, ok2 := b.(*analysis.DefaultAnalyzer)
	if !ok1 || !ok2 || len(da.CharFilters) > 0 || len(db.CharFilters) > 0 || da.Tokenizer != db.Tokenizer {
		return a, b
	}
	p := &pairedText{tokenizer: da.Tokenizer, value: value}
	return &pairHalf{p: p, first: true, filters: da.TokenFilters},
		&pairHalf{p: p, filters: db.TokenFilters}
}

// pairedText holds the tokens of one text until both halves took theirs.
type pairedText struct {
	tokenizer analysis.Tokenizer
	value     []byte
	once      sync.Once
	mu        sync.Mutex
	first     analysis.TokenStream
	second    analysis.TokenStream
}

// tokens returns the first or the second copy of the tokens, or nil when
// that copy was already taken.
func (p *pairedText) tokens(first bool) analysis.TokenStream {
	p.once.Do(func() {
		// The tokens point into the text they were cut from, and token
		// filters may rewrite a term in place: tokenize a copy of value
		// (which a field may store) and give the second half a copy.
		p.first = p.tokenizer.Tokenize(bytes.Clone(p.value))
		p.second = copyTokens(p.first)
	})
	p.mu.Lock()
	defer p.mu.Unlock()
	var ts analysis.TokenStream
	if first {
		ts, p.first = p.first, nil
	} else {
		ts, p.second = p.second, nil
	}
	return ts
}

// pairHalf is one of the two analysers of a pairedText.
type pairHalf struct {
	p       *pairedText
	first   bool
	filters []analysis.TokenFilter
}

func (h *pairHalf) Analyze(input []byte) analysis.TokenStream {
	ts := h.p.tokens(h.first)
	if ts == nil { // analysed again: tokenize afresh
		ts = copyTokens(h.p.tokenizer.Tokenize(input))
	}
	for _, f := range h.filters {
		ts = f.Filter(ts)
	}
	return ts
}

// copyTokens returns a deep copy of ts, its terms in one buffer.
func copyTokens(ts analysis.TokenStream) analysis.TokenStream {
	n := 0
	for _, t := range ts {
		n += len(t.Term)
	}
	buf := make([]byte, 0, n)
	toks := make([]analysis.Token, len(ts))
	out := make(analysis.TokenStream, len(ts))
	for i, t := range ts {
		toks[i] = *t
		start := len(buf)
		buf = append(buf, t.Term...)
		toks[i].Term = buf[start:len(buf):len(buf)]
		out[i] = &toks[i]
	}
	return out
}
