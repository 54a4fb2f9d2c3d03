package search

import (
	"strings"
)

// NodeKind is the kind of a node of a parsed query.
type NodeKind int

// Node kinds of a parsed query.
const (
	NodeMatchAll  NodeKind = iota // empty query: every entry
	NodeTerm                      // one word
	NodePhrase                    // "exact phrase"
	NodePrefix                    // prefix*
	NodeAnd                       // all children
	NodeOr                        // any child
	NodeNot                       // excludes its single child
	NodeFilter                    // field:value on a keyword facet (country:KEN, sdg:3, al:C7.4)
	NodeYearRange                 // year:2018..2021
)

// Query is the typed form of what a user typed. Text nodes carry the field
// they are scoped to ("" = all text fields, "title", "org").
type Query struct {
	Kind     NodeKind `json:"kind"`
	Field    string   `json:"field,omitempty"` // text scope, or the facet of a NodeFilter
	Text     string   `json:"text,omitempty"`  // word, phrase, prefix or filter value
	From     int      `json:"from,omitempty"`  // NodeYearRange
	To       int      `json:"to,omitempty"`
	Children []*Query `json:"children,omitempty"`
	// Warnings says how a malformed input was read (only on the root).
	Warnings []string `json:"warnings,omitempty"`
}

// ParseQuery turns user text into a Query. It accepts every input; see
// parser.go for the language.
func ParseQuery(text string) *Query {
	return parse(text)
}

// IsMatchAll reports whether the query matches every entry.
func (q *Query) IsMatchAll() bool { return q == nil || q.Kind == NodeMatchAll }

// Terms returns the positive words and phrase words of the query, in order,
// for highlighting and spelling suggestions.
func (q *Query) Terms() []string {
	var out []string
	var walk func(n *Query, neg bool)
	walk = func(n *Query, neg bool) {
		if n == nil {
			return
		}
		switch n.Kind {
		case NodeTerm, NodePrefix:
			if !neg && (n.Field == "" || n.Field == "title" || n.Field == "org") {
				out = append(out, n.Text)
			}
		case NodePhrase:
			if !neg {
				out = append(out, strings.Fields(n.Text)...)
			}
		case NodeNot:
			for _, c := range n.Children {
				walk(c, !neg)
			}
		default:
			for _, c := range n.Children {
				walk(c, neg)
			}
		}
	}
	walk(q, false)
	return out
}

// String renders the query back in the query language: it is what the
// response reports as "read as".
func (q *Query) String() string {
	if q == nil {
		return ""
	}
	scope := ""
	if q.Field != "" {
		scope = q.Field + ":"
	}
	switch q.Kind {
	case NodeMatchAll:
		return ""
	case NodeTerm:
		return scope + q.Text
	case NodePrefix:
		return scope + q.Text + "*"
	case NodePhrase:
		return scope + `"` + q.Text + `"`
	case NodeFilter:
		v := q.Text
		if strings.ContainsAny(v, " \t\"():") {
			v = `"` + strings.ReplaceAll(v, `"`, "") + `"`
		}
		return shortField(q.Field) + ":" + v
	case NodeYearRange:
		if q.From == q.To && q.From != 0 {
			return "year:" + itoa(q.From)
		}
		return "year:" + itoa(q.From) + ".." + itoa(q.To)
	case NodeNot:
		if len(q.Children) == 1 {
			return "-" + wrap(q.Children[0])
		}
	case NodeAnd, NodeOr:
		sep := " "
		if q.Kind == NodeOr {
			sep = " OR "
		}
		parts := make([]string, len(q.Children))
		for i, c := range q.Children {
			parts[i] = wrap(c)
		}
		return strings.Join(parts, sep)
	}
	return ""
}

// shortField is the name a filter field is written with in the query language.
func shortField(facet string) string {
	switch facet {
	case FacetActionLine:
		return "al"
	case FacetLanguage:
		return "lang"
	case FacetPrizeStatus:
		return "prize"
	}
	return facet
}

func wrap(q *Query) string {
	if (q.Kind == NodeAnd || q.Kind == NodeOr) && len(q.Children) > 1 {
		return "(" + q.String() + ")"
	}
	return q.String()
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
