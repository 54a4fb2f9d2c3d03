package search

import "strings"

// parse is the minimal query reader of the foundation: words and "phrases",
// all required. The full language (fields, OR, NOT, parentheses, prefixes)
// replaces it.
func parse(text string) *Query {
	text = strings.TrimSpace(text)
	if text == "" {
		return &Query{Kind: NodeMatchAll}
	}
	var kids []*Query
	for i, part := range strings.Split(text, `"`) {
		if i%2 == 1 {
			if p := strings.Join(strings.Fields(part), " "); p != "" {
				kids = append(kids, &Query{Kind: NodePhrase, Text: p})
			}
			continue
		}
		for _, w := range strings.Fields(part) {
			kids = append(kids, &Query{Kind: NodeTerm, Text: w})
		}
	}
	switch len(kids) {
	case 0:
		return &Query{Kind: NodeMatchAll}
	case 1:
		return kids[0]
	}
	return &Query{Kind: NodeAnd, Children: kids}
}
