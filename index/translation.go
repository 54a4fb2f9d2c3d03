package index

import (
	"context"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/itu-stocktaking/stocktaking/search"
)

// translation is a query translated on one snapshot, with its reading.
type translation struct {
	bq  query.Query
	sp  span
	rd  *reading
	dym string

	// the highlighter of the query's words (built once, copied per
	// search) and the snippets it cut, by document
	hlOnce   sync.Once
	hl       *highlighter
	snipMu   sync.Mutex
	snippets []keptSnippet // the first maxKeptSnippets cut
}

// keptSnippet is a snippet a translation keeps: of document num.
type keptSnippet struct {
	num  uint32
	text string
}

// maxKeptSnippets bounds the snippets a translation keeps: the first two
// pages of ten (a user paging back and forth, or many users on the same
// first page).
const maxKeptSnippets = 20

// snippet returns the kept snippet of document num.
func (tr *translation) snippet(num uint32) (string, bool) {
	tr.snipMu.Lock()
	defer tr.snipMu.Unlock()
	for _, k := range tr.snippets {
		if k.num == num {
			return k.text, true
		}
	}
	return "", false
}

// keepSnippet keeps the snippet of num while there is room.
func (tr *translation) keepSnippet(num uint32, text string) {
	tr.snipMu.Lock()
	defer tr.snipMu.Unlock()
	if len(tr.snippets) >= maxKeptSnippets {
		return
	}
	for _, k := range tr.snippets {
		if k.num == num {
			return // cut meanwhile by another search
		}
	}
	tr.snippets = append(tr.snippets, keptSnippet{num, text})
}

// highlighter returns a highlighter of the translated query for one search.
func (tr *translation) highlighter(build func() *highlighter) *highlighter {
	tr.hlOnce.Do(func() { tr.hl = build() })
	h := *tr.hl
	h.seen = nil // the words' memo is per search; the term sets are shared, read only
	return &h
}

// translate translates req's query on the run's snapshot, or takes the
// translation kept from an earlier search of the same text (spelling
// corrections and the languages present depend on the snapshot only).
func (r *run) translate(ctx context.Context, req *search.Request, key string, cache bool) (query.Query, span, error) {
	if cache {
		if tr, ok := r.v.translations.get(key); ok {
			if tr.rd != nil {
				cp := *tr.rd
				cp.ctx = ctx
				r.rd = &cp
			}
			r.dym, r.tr = tr.dym, tr
			return tr.bq, tr.sp, nil
		}
	}
	st, err := r.v.bm25Stats()
	if err != nil {
		return nil, spanNone, err
	}
	t := translator{reader: r.reader, analyzer: r.ix.builder.analyzers[textAnalyzer], maxTerms: r.ix.opts.MaxPrefixTerms, rd: r.rd,
		langs: r.v.languages(r.reader), bm25: st}
	bq, sp, err := t.translate(req.Query)
	if err != nil {
		return nil, spanNone, fmt.Errorf("translate query: %w", err)
	}
	r.dym = r.correction(ctx, req.Query, &t)
	if cache && ctx.Err() == nil { // a feedback pass cut short is not kept
		tr := &translation{bq: bq, sp: sp, dym: r.dym}
		if r.rd != nil {
			cp := *r.rd
			cp.ctx = context.Background()
			tr.rd = &cp
		}
		r.v.translations.put(key, tr)
		r.tr = tr
	}
	return bq, sp, nil
}
