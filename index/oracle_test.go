package index

import (
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/itu-stocktaking/stocktaking/search"
)

// oracle answers searches by brute force over the entries: the reference the
// index is checked against.
type oracle struct {
	entries map[string]*search.Entry
	fields  map[string][3][]posToken // title, org, desc in the entry's language
	plain   map[string][3][]posToken // the same, language-neutral (for prefixes)
	values  map[string]map[string][]string

	queryTokens map[string][]posToken // memo of analysed query words, by analyser and text
}

type posToken struct {
	term string
	pos  int
}

func newOracle(ix *Index) *oracle {
	return &oracle{
		entries: map[string]*search.Entry{},
		fields:  map[string][3][]posToken{}, plain: map[string][3][]posToken{}, values: map[string]map[string][]string{},
		queryTokens: map[string][]posToken{},
	}
}

func (o *oracle) analyze(an analysis.Analyzer, s string) []posToken {
	var out []posToken
	for _, t := range an.Analyze([]byte(s)) {
		out = append(out, posToken{string(t.Term), t.Position})
	}
	return out
}

// apply mirrors Index.Apply.
func (o *oracle) apply(entries []*search.Entry) {
	for _, e := range entries {
		if e.Withdrawn {
			delete(o.entries, e.ID)
			continue
		}
		o.entries[e.ID] = e
		an, plain := analyzerNamed(analyzerFor(e.Language)), analyzerNamed(plainAnalyzer)
		o.fields[e.ID] = [3][]posToken{o.analyze(an, e.Title), o.analyze(an, e.Organization), o.analyze(an, entryDescription(e))}
		o.plain[e.ID] = [3][]posToken{o.analyze(plain, e.Title), o.analyze(plain, e.Organization), o.analyze(plain, entryDescription(e))}
		o.values[e.ID] = search.FacetValues(e)
	}
}

func scopeIndexes(field string) []int {
	fs := scopeFields(field)
	if len(fs) == len(textFields) {
		return []int{0, 1, 2}
	}
	switch fs[0].name {
	case fieldTitle:
		return []int{0}
	case fieldOrg:
		return []int{1}
	}
	return []int{2}
}

// match evaluates q on entry id.
func (o *oracle) match(q *search.Query, id string) bool {
	e := o.entries[id]
	f := o.fields[id]
	switch q.Kind {
	case search.NodeMatchAll:
		return true
	case search.NodeTerm, search.NodePhrase:
		// The query is analysed in the entry's language; several tokens
		// (a phrase, or a word such as "e-commerce") must be adjacent.
		name := analyzerFor(e.Language)
		want, ok := o.queryTokens[name+"\x00"+q.Text]
		if !ok {
			want = o.analyze(analyzerNamed(name), q.Text)
			o.queryTokens[name+"\x00"+q.Text] = want
		}
		if len(want) == 0 {
			return false
		}
		for _, i := range scopeIndexes(q.Field) {
			if len(want) > 1 && hasPhrase(f[i], want) || len(want) == 1 && hasAll(f[i], want) {
				return true
			}
		}
		return false
	case search.NodePrefix:
		p := foldLower(strings.TrimSpace(q.Text))
		for _, i := range scopeIndexes(q.Field) {
			for _, t := range o.plain[id][i] {
				if strings.HasPrefix(t.term, p) {
					return true
				}
			}
		}
		return false
	case search.NodeFilter:
		facet := canonicalFacet(q.Field)
		v := CanonicalValue(facet, q.Text)
		if facet == FacetOrganization {
			return e.Organization == v
		}
		return slices.Contains(o.values[id][facet], v)
	case search.NodeYearRange:
		return (q.From <= 0 || e.Year >= q.From) && (q.To <= 0 || e.Year <= q.To)
	case search.NodeNot:
		for _, c := range q.Children {
			if o.match(c, id) {
				return false
			}
		}
		return true
	case search.NodeAnd:
		for _, c := range q.Children {
			if !o.match(c, id) {
				return false
			}
		}
		return true
	case search.NodeOr:
		for _, c := range q.Children {
			if o.match(c, id) {
				return true
			}
		}
		return false
	}
	return false
}

func hasAll(have, want []posToken) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(t posToken) bool { return t.term == w.term }) {
			return false
		}
	}
	return true
}

// hasPhrase reports whether want's terms occur at the same relative
// positions in have (stop-word gaps included).
func hasPhrase(have, want []posToken) bool {
	at := map[int]string{}
	for _, t := range have {
		at[t.pos] = t.term
	}
	for _, t := range have {
		if t.term != want[0].term {
			continue
		}
		ok := true
		for _, w := range want[1:] {
			if at[t.pos+w.pos-want[0].pos] != w.term {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// result is the brute-force answer: matching ids and disjunctive counts.
type oracleResult struct {
	ids    []string
	counts map[string]map[string]int
}

func (o *oracle) search(req *search.Request) oracleResult {
	res := oracleResult{counts: map[string]map[string]int{}}
	active := req.Filters.Active()
	if req.Filters.YearFrom > 0 || req.Filters.YearTo > 0 {
		active = append(active, search.FacetYear)
	}
	for id, e := range o.entries {
		if !o.match(req.Query, id) {
			continue
		}
		all := req.Filters.Matches(e, "")
		if all {
			res.ids = append(res.ids, id)
		}
		for _, f := range search.FacetNames {
			for _, v := range req.Filters.CountedValues(o.values[id], e.Year, f) {
				if res.counts[f] == nil {
					res.counts[f] = map[string]int{}
				}
				res.counts[f][v]++
			}
		}
	}
	sort.Strings(res.ids)
	return res
}
