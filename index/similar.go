package index

import (
	"context"
	"math"
	"sort"
	"strconv"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Tuning of Similar.
const (
	similarTerms      = 12  // distinctive terms searched
	similarTitleBoost = 2.0 // a shared term in the title counts double
	similarALBoost    = 0.6 // per shared action line
	similarSDGBoost   = 0.3 // per shared SDG
	similarCtryBoost  = 0.4 // same country
)

// Similar returns up to size entries like entry id (more-like-this): its
// most distinctive words (tf-idf against the index dictionary) searched as
// a disjunction in titles and descriptions, with extra weight for sharing
// its action lines, SDGs and country. The entry itself is left out; an
// unknown id is ENOTFOUND.
func (ix *Index) Similar(ctx context.Context, id string, size int, lang string) ([]search.Hit, error) {
	if size <= 0 {
		size = 5
	}
	r, err := ix.open()
	if err != nil {
		return nil, err
	}
	defer r.close()
	iid, err := r.reader.InternalID(id)
	if err != nil || iid == nil {
		return nil, search.Errorf(search.ENOTFOUND, "no entry %q", id)
	}
	num := uint32(iid.Value())
	if !r.v.live.Contains(num) {
		return nil, search.Errorf(search.ENOTFOUND, "no entry %q", id)
	}
	hd, err := r.v.hit(num)
	if err != nil {
		return nil, err
	}
	desc, err := r.v.description(num)
	if err != nil {
		return nil, err
	}
	terms := r.distinctiveTerms(hd.Title + "\n" + desc)

	var text []query.Query
	for _, t := range terms {
		for _, f := range []struct {
			name  string
			boost float64
		}{{fieldTitle, similarTitleBoost}, {fieldDesc, 1}} {
			tq := query.NewTermQuery(t.term)
			tq.SetField(f.name)
			tq.SetBoost(f.boost * t.weight)
			text = append(text, tq)
		}
	}
	if len(text) == 0 {
		return []search.Hit{}, nil
	}
	var should []query.Query
	term := func(field, val string, boost float64) {
		tq := query.NewTermQuery(val)
		tq.SetField(field)
		tq.SetBoost(boost)
		should = append(should, tq)
	}
	for _, a := range hd.ActionLines {
		term(search.FacetActionLine, a, similarALBoost)
	}
	for _, g := range hd.SDGs {
		term(search.FacetSDG, strconv.Itoa(g), similarSDGBoost)
	}
	if hd.Country != "" {
		term(search.FacetCountry, hd.Country, similarCtryBoost)
	}
	// Shared facets only add to the score of entries sharing words.
	bq := query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(text)}, should,
		[]query.Query{query.NewDocIDQuery([]string{id})})
	top := newTopK(size, r.v.ids)
	if err := r.stream(ctx, bq, true, func(n uint32, score float64) {
		if n != num {
			top.offer(n, score)
		}
	}); err != nil {
		return nil, err
	}
	return r.hits(top.sorted(), &search.Request{Lang: lang, Sort: search.SortRelevance})
}

// weightedTerm is a term of an entry with its tf-idf weight.
type weightedTerm struct {
	term   string
	weight float64
}

// distinctiveTerms analyses text as the language-neutral fields are
// analysed and returns its similarTerms terms of highest tf-idf in the
// description field, normalised so that the best weighs 1.
func (r *run) distinctiveTerms(text string) []weightedTerm {
	an := r.ix.builder.analyzers[plainAnalyzer]
	if an == nil {
		return nil
	}
	tf := map[string]int{}
	for _, tok := range an.Analyze([]byte(text)) {
		if len(tok.Term) >= 3 {
			tf[string(tok.Term)]++
		}
	}
	n, err := r.reader.DocCount()
	if err != nil || n == 0 {
		return nil
	}
	var out []weightedTerm
	for term, f := range tf {
		tfr, err := r.reader.TermFieldReader(context.Background(), []byte(term), fieldDesc, false, false, false)
		if err != nil {
			continue
		}
		df := tfr.Count()
		tfr.Close()
		if df <= 1 || float64(df) > float64(n)/4 { // only here, or too common to tell
			continue
		}
		out = append(out, weightedTerm{term, (1 + math.Log(float64(f))) * math.Log(float64(n)/float64(df))})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].weight != out[j].weight {
			return out[i].weight > out[j].weight
		}
		return out[i].term < out[j].term
	})
	out = out[:min(len(out), similarTerms)]
	if len(out) > 0 {
		best := out[0].weight
		for i := range out {
			out[i].weight /= best
		}
	}
	return out
}
