package search

// Field clauses of the query language: field:value, year ranges and the
// vocabulary codes of facets.

import (
	"strings"
	"unicode"
)

// fieldClause reads field:value, where field is a text scope, the year or
// a facet; a value that cannot be read is searched as text.
func (p *parser) fieldClause(field, name, value string, quoted bool) *Query {
	switch field {
	case "title", "org":
		if quoted {
			return phrase(value, field)
		}
		return p.words(value, field)
	case FacetYear:
		from, to, ok := parseYears(value)
		if ok {
			if from > to && to > 0 {
				from, to = to, from
				p.warn("year range reversed: read as year:%d..%d", from, to)
			}
			return &Query{Kind: NodeYearRange, From: from, To: to}
		}
		p.warn("invalid year %q: searched as text", value)
	default:
		if code, ok := facetCode(field, value); ok {
			return &Query{Kind: NodeFilter, Field: field, Text: code}
		}
		p.warn("unknown %s %q: searched as text", name, value)
	}
	if quoted {
		return phrase(value, "")
	}
	return p.words(value, "")
}

// scope applies field to the unscoped words and phrases of the group n.
func (p *parser) scope(field, name string, n *Query) *Query {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case NodeAnd, NodeOr, NodeNot:
		for i, c := range n.Children {
			n.Children[i] = p.scope(field, name, c)
		}
		return n
	case NodeTerm, NodePrefix, NodePhrase:
		if n.Field != "" {
			return n
		}
		if field == "title" || field == "org" {
			n.Field = field
			return n
		}
		text := n.Text
		if n.Kind == NodePrefix {
			text += "*"
		}
		return p.fieldClause(field, name, text, n.Kind == NodePhrase)
	}
	return n
}

// facetCode reads value as a code of the facet's vocabulary.
func facetCode(facet, value string) (string, bool) {
	switch facet {
	case FacetCountry:
		c, ok := ParseCountry(value)
		return c.ISO3, ok
	case FacetRegion:
		return ParseRegion(value)
	case FacetActionLine:
		return ParseActionLine(value)
	case FacetSDG:
		n, ok := ParseSDG(value)
		return itoa(n), ok
	case FacetLanguage:
		return ParseTerm(Languages, value)
	case FacetStakeholder:
		return ParseStakeholder(value)
	case FacetCollection:
		if code, ok := ParseTerm(Collections, value); ok {
			return code, true
		}
		return ParseTerm(Collections, strings.Replace(strings.ToLower(value), "covid19", "covid-19", 1))
	case FacetPrizeStatus:
		if code, ok := ParseTerm(PrizeStatuses, value); ok {
			return code, true
		}
		return ParseTerm(PrizeStatuses, strings.TrimSuffix(strings.ToLower(value), "s"))
	}
	return "", false
}

// parseYears reads "2019", "2018..2021", "..2010", "2015.." or "2018-2021";
// 0 stands for an open end.
func parseYears(v string) (from, to int, ok bool) {
	v = strings.TrimSpace(v)
	a, b, isRange := strings.Cut(v, "..")
	if !isRange {
		a, b, isRange = strings.Cut(v, "-")
	}
	from, okA := year4(a)
	if !isRange {
		return from, from, okA
	}
	to, okB := year4(b)
	okA = okA || strings.TrimSpace(a) == ""
	okB = okB || strings.TrimSpace(b) == ""
	return from, to, okA && okB && from+to > 0
}

func year4(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 4 || s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '_' {
			return false
		}
	}
	return true
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
