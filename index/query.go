package index

import (
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
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
type translator struct {
	reader   bindex.IndexReader
	analyzer analysis.Analyzer
	maxTerms int
}

// translate returns the bleve query of q, or spanAll/spanNone when q matches
// everything or nothing without one.
func (t *translator) translate(q *search.Query) (query.Query, span, error) {
	if q == nil {
		return nil, spanAll, nil
	}
	switch q.Kind {
	case search.NodeMatchAll:
		return nil, spanAll, nil
	case search.NodeTerm, search.NodePhrase:
		tokens := t.analyzer.Analyze([]byte(q.Text))
		if len(tokens) == 0 {
			return nil, spanNone, nil
		}
		var parts []query.Query
		for _, f := range scopeFields(q.Field) {
			if q.Kind == search.NodePhrase && len(tokens) > 1 {
				mq := query.NewMatchPhraseQuery(q.Text)
				mq.SetField(f.name)
				mq.SetBoost(f.boost)
				parts = append(parts, mq)
				continue
			}
			mq := query.NewMatchQuery(q.Text)
			mq.SetField(f.name)
			mq.SetBoost(f.boost)
			mq.SetOperator(query.MatchQueryOperatorAnd)
			parts = append(parts, mq)
		}
		return orOf(parts), spanSome, nil
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
		child, sp, err := t.translate(&search.Query{Kind: search.NodeOr, Children: q.Children})
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
			cq, sp, err := t.translate(c)
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

// and translates a conjunction; negated children become must-not clauses.
func (t *translator) and(children []*search.Query) (query.Query, span, error) {
	var must, mustNot []query.Query
	for _, c := range children {
		if c != nil && c.Kind == search.NodeNot {
			for _, nc := range c.Children {
				cq, sp, err := t.translate(nc)
				if err != nil {
					return nil, spanNone, err
				}
				switch sp {
				case spanAll:
					return nil, spanNone, nil
				case spanSome:
					mustNot = append(mustNot, cq)
				}
			}
			continue
		}
		cq, sp, err := t.translate(c)
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
	switch {
	case len(must) == 0 && len(mustNot) == 0:
		return nil, spanAll, nil
	case len(mustNot) == 0 && len(must) == 1:
		return must[0], spanSome, nil
	case len(mustNot) == 0:
		return query.NewConjunctionQuery(must), spanSome, nil
	}
	return query.NewBooleanQuery(must, nil, mustNot), spanSome, nil
}

// prefix expands a prefix on each scoped field into at most maxTerms terms
// per field, keeping the most frequent ones.
func (t *translator) prefix(q *search.Query) (query.Query, span, error) {
	p := strings.ToLower(string(folder.Filter([]byte(strings.TrimSpace(q.Text)))))
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
