package index

import (
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/itu-stocktaking/stocktaking/search"
)

// span says what a translated query matches when it needs no bleve query.
type span int

const (
	spanSome span = iota // the bleve query decides
	spanAll              // every live document
	spanNone             // nothing
)

// translator turns a search.Query into bleve query objects (never query
// strings). Prefixes are expanded against the snapshot's term dictionaries.
// With rd nil or rd.loose false the query is read literally (every word of
// an AND required, no synonyms, no spelling correction): the reading of
// queries built in code and of the property tests. User text gets the
// loose reading of query_loose.go.
type translator struct {
	reader   bindex.IndexReader
	analyzer analysis.Analyzer // unused: each language has its analyser (analysis.go)
	maxTerms int
	rd       *reading
	bm25     *bsearch.BM25Stats // the snapshot's, for the feedback pass (nil: bleve's own)

	langs []string // languages present in the snapshot, computed once
}

// translate returns the bleve query of q, or spanAll/spanNone when q matches
// everything or nothing without one.
func (t *translator) translate(q *search.Query) (query.Query, span, error) {
	bq, sp, err := t.node(q)
	if err == nil && sp == spanSome && t.loose() && t.rd.concepts >= minFeedbackWords {
		bq = t.feedback(bq)
	}
	return bq, sp, err
}

// node translates one node of the query and its children.
func (t *translator) node(q *search.Query) (query.Query, span, error) {
	if q == nil {
		return nil, spanAll, nil
	}
	switch q.Kind {
	case search.NodeMatchAll:
		return nil, spanAll, nil
	case search.NodeTerm:
		if t.loose() {
			return t.looseTerm(q)
		}
		return someOrNone(t.text(q.Text, scopeFields(q.Field), 1))
	case search.NodePhrase:
		return someOrNone(t.text(q.Text, scopeFields(q.Field), 1))
	case search.NodePrefix:
		return t.prefix(q)
	case search.NodeFilter:
		facet := canonicalFacet(q.Field)
		if facet == "" {
			return nil, spanNone, nil
		}
		tq := query.NewTermQuery(CanonicalValue(facet, q.Text))
		tq.SetField(facet)
		return tq, spanSome, nil
	case search.NodeYearRange:
		if q.From <= 0 && q.To <= 0 {
			return nil, spanAll, nil
		}
		lo, hi := "", ""
		if q.From > 0 {
			lo = strconv.Itoa(q.From)
		}
		if q.To > 0 {
			hi = strconv.Itoa(q.To)
		}
		yes := true
		rq := query.NewTermRangeInclusiveQuery(lo, hi, &yes, &yes)
		rq.SetField(search.FacetYear)
		return rq, spanSome, nil
	case search.NodeNot:
		if len(q.Children) == 0 {
			return nil, spanAll, nil
		}
		child, sp, err := t.node(&search.Query{Kind: search.NodeOr, Children: q.Children})
		if err != nil {
			return nil, spanNone, err
		}
		switch sp {
		case spanAll:
			return nil, spanNone, nil
		case spanNone:
			return nil, spanAll, nil
		}
		return query.NewBooleanQuery(nil, nil, []query.Query{child}), spanSome, nil
	case search.NodeAnd:
		return t.and(q.Children)
	case search.NodeOr:
		var parts []query.Query
		for _, c := range q.Children {
			cq, sp, err := t.node(c)
			if err != nil {
				return nil, spanNone, err
			}
			switch sp {
			case spanAll:
				return nil, spanAll, nil
			case spanSome:
				parts = append(parts, cq)
			}
		}
		if len(parts) == 0 {
			return nil, spanNone, nil
		}
		return orOf(parts), spanSome, nil
	}
	return nil, spanNone, nil
}

func someOrNone(q query.Query) (query.Query, span, error) {
	if q == nil {
		return nil, spanNone, nil
	}
	return q, spanSome, nil
}

// and translates a conjunction; negated children become must-not clauses.
// In the loose reading, plain words are not all required (see looseAnd).
func (t *translator) and(children []*search.Query) (query.Query, span, error) {
	if t.loose() {
		return t.looseAnd(children)
	}
	var must, mustNot []query.Query
	for _, c := range children {
		if c != nil && c.Kind == search.NodeNot {
			ok, err := t.negate(c, &mustNot)
			if err != nil || !ok {
				return nil, spanNone, err
			}
			continue
		}
		cq, sp, err := t.node(c)
		if err != nil {
			return nil, spanNone, err
		}
		switch sp {
		case spanNone:
			return nil, spanNone, nil
		case spanSome:
			must = append(must, cq)
		}
	}
	return boolOf(must, nil, mustNot)
}

// negate adds the children of the NOT node c to mustNot; it returns false
// when one of them matches everything (so the AND matches nothing).
func (t *translator) negate(c *search.Query, mustNot *[]query.Query) (bool, error) {
	for _, nc := range c.Children {
		cq, sp, err := t.node(nc)
		if err != nil {
			return false, err
		}
		switch sp {
		case spanAll:
			return false, nil
		case spanSome:
			*mustNot = append(*mustNot, cq)
		}
	}
	return true, nil
}

// boolOf combines required, optional (scoring only) and excluded clauses.
func boolOf(must, should, mustNot []query.Query) (query.Query, span, error) {
	switch {
	case len(must) == 0 && len(mustNot) == 0:
		return nil, spanAll, nil
	case len(mustNot) == 0 && len(should) == 0 && len(must) == 1:
		return must[0], spanSome, nil
	case len(mustNot) == 0 && len(should) == 0:
		return query.NewConjunctionQuery(must), spanSome, nil
	}
	return query.NewBooleanQuery(must, should, mustNot), spanSome, nil
}

// text returns the query matching text in the scoped fields: text is
// analysed in every language present in the index and searched in that
// language's fields, so a query in any language finds entries in all of
// them. A word that analyses into several tokens ("e-health", Chinese) and
// a phrase must match as a phrase. It returns nil when nothing is left.
func (t *translator) text(text string, fields []scopedField, boost float64) query.Query {
	var parts []query.Query
	for _, l := range t.languages() {
		toks := analyzerNamed(analyzerFor(l)).Analyze([]byte(text))
		if len(toks) == 0 {
			continue
		}
		for _, f := range fields {
			parts = append(parts, tokensQuery(toks, langField(f.name, l), f.boost*boost))
		}
	}
	return sumOf(parts)
}

// tokensQuery matches toks in field: one token is a term query, several
// are a phrase keeping the query's gaps (dropped stop words).
func tokensQuery(toks analysis.TokenStream, field string, boost float64) query.Query {
	if len(toks) == 1 {
		tq := query.NewTermQuery(string(toks[0].Term))
		tq.SetField(field)
		tq.SetBoost(boost)
		return tq
	}
	first := toks[0].Position
	terms := make([]string, toks[len(toks)-1].Position-first+1)
	for _, tok := range toks {
		if i := tok.Position - first; i >= 0 && i < len(terms) && terms[i] == "" {
			terms[i] = string(tok.Term)
		}
	}
	pq := query.NewPhraseQuery(terms, field)
	pq.SetBoost(boost)
	return pq
}

// languages returns the languages of the view's snapshot (see
// translator.languages), found once per view.
func (v *view) languages(reader bindex.IndexReader) []string {
	v.langsOnce.Do(func() { v.langs = (&translator{reader: reader}).languages() })
	return v.langs
}

// languages returns the languages whose fields hold at least one term in
// the snapshot, so that queries skip the fields no entry uses.
func (t *translator) languages() []string {
	if t.langs != nil {
		return t.langs
	}
	t.langs = []string{}
	for _, l := range languages {
		for _, f := range textFields {
			if t.fieldUsed(langField(f.name, l)) {
				t.langs = append(t.langs, l)
				break
			}
		}
	}
	return t.langs
}

func (t *translator) fieldUsed(field string) bool {
	if t.reader == nil {
		return true
	}
	dict, err := t.reader.FieldDict(field)
	if err != nil {
		return true
	}
	defer dict.Close()
	de, err := dict.Next()
	return de != nil || err != nil
}

// prefix expands a prefix on each scoped field into at most maxTerms terms
// per field, keeping the most frequent ones. Prefixes are matched against
// the language-neutral fields, whose terms are whole (unstemmed) words.
func (t *translator) prefix(q *search.Query) (query.Query, span, error) {
	p := foldLower(strings.TrimSpace(q.Text))
	if p == "" {
		return nil, spanAll, nil
	}
	var parts []query.Query
	for _, f := range scopeFields(q.Field) {
		dict, err := t.reader.FieldDictPrefix(f.name, []byte(p))
		if err != nil {
			return nil, spanNone, err
		}
		var terms []bindex.DictEntry
		for de, err := dict.Next(); de != nil || err != nil; de, err = dict.Next() {
			if err != nil {
				dict.Close()
				return nil, spanNone, err
			}
			terms = append(terms, *de)
		}
		dict.Close()
		if len(terms) > t.maxTerms {
			sort.SliceStable(terms, func(i, j int) bool { return terms[i].Count > terms[j].Count })
			terms = terms[:t.maxTerms]
		}
		for _, de := range terms {
			tq := query.NewTermQuery(de.Term)
			tq.SetField(f.name)
			tq.SetBoost(f.boost)
			parts = append(parts, tq)
		}
	}
	if len(parts) == 0 {
		return nil, spanNone, nil
	}
	return orOf(parts), spanSome, nil
}

type scopedField = struct {
	name  string
	boost float64
}

// scopeFields returns the text fields a node scoped to field searches.
func scopeFields(field string) []scopedField {
	switch strings.ToLower(field) {
	case "title":
		return textFields[0:1]
	case "org", "organization", "organisation":
		return textFields[1:2]
	case "desc", "description":
		return textFields[2:3]
	}
	return textFields
}

// orOf is a disjunction with bleve's coordination: a document matching
// more of the alternatives scores higher. It is used for OR as the user
// wrote it; alternatives of one word (fields, languages, synonyms) are
// summed without it (sumOf).
func orOf(parts []query.Query) query.Query {
	if len(parts) == 1 {
		return parts[0]
	}
	return query.NewDisjunctionQuery(parts)
}

// canonicalFacet returns the facet a filter field names, accepting a few
// short forms, or "" when unknown.
func canonicalFacet(field string) string {
	f := strings.ToLower(strings.TrimSpace(field))
	switch f {
	case "al", "line", "actionline", "action-line":
		return search.FacetActionLine
	case "org", "organisation":
		return FacetOrganization
	}
	if search.IsFacet(f) || f == FacetOrganization {
		return f
	}
	return ""
}

// CanonicalValue normalises a user-typed facet value to the keyword stored
// in the index ("c7.4" → "C7.4", "ken" → "KEN", "Africa" → "africa").
func CanonicalValue(facet, v string) string {
	v = strings.TrimSpace(v)
	switch facet {
	case search.FacetActionLine:
		if c, ok := search.ParseActionLine(v); ok {
			return c
		}
		return strings.ToUpper(v)
	case search.FacetCountry:
		return strings.ToUpper(v)
	case search.FacetRegion:
		if c, ok := search.ParseRegion(v); ok {
			return c
		}
	case search.FacetStakeholder:
		if c, ok := search.ParseStakeholder(v); ok {
			return c
		}
	case FacetOrganization:
		return v
	}
	return strings.ToLower(v)
}
