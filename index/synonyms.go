package index

import (
	"slices"
	"strings"
	"sync"

	"github.com/itu-stocktaking/stocktaking/search"
)

// synonymWeight is the weight of a synonym relative to the words the user
// typed: a synonym widens the result, the typed words still rank first.
const synonymWeight = 0.5

// maxSynonymWords is the longest phrase looked up in the synonym table.
const maxSynonymWords = 8

// synonymTable maps the folded, space-joined words of every synonym to its
// groups; a group lists its members as typed in synonymGroups.
type synonymTable struct {
	groups [][]string
	byKey  map[string][]int
}

var (
	synonymsOnce sync.Once
	synonymsTab  *synonymTable
)

// synonyms returns the table built from synonymGroups and the short names of
// the C7 sub-lines (search.ActionLines), built once.
func synonyms() *synonymTable {
	synonymsOnce.Do(func() {
		groups := append([][]string(nil), synonymGroups...)
		for _, al := range search.ActionLines {
			if al.Parent != "" { // the sub-lines' names in every language
				groups = append(groups, labelNames(al.Name))
			}
		}
		synonymsTab = newSynonymTable(groups)
	})
	return synonymsTab
}

func newSynonymTable(groups [][]string) *synonymTable {
	t := &synonymTable{byKey: map[string][]int{}}
	for _, g := range groups {
		var members []string
		gi := len(t.groups)
		for _, m := range g {
			k := synonymKey(m)
			if k == "" {
				continue
			}
			members = append(members, m)
			if !slices.Contains(t.byKey[k], gi) {
				t.byKey[k] = append(t.byKey[k], gi)
			}
		}
		t.groups = append(t.groups, members)
	}
	return t
}

// synonymKey returns the words of s as the language-neutral analyser sees
// them, joined by spaces ("E-Santé" → "e sante").
func synonymKey(s string) string {
	toks := analyzerNamed(plainAnalyzer).Analyze([]byte(s))
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = string(t.Term)
	}
	return strings.Join(words, " ")
}

// lookup returns the members of the groups of key (other than those with
// key itself), or nil. A final "s" is tried off, for plurals of acronyms
// ("SDGs", "ICTs").
func (t *synonymTable) lookup(key string) []string {
	ids, ok := t.byKey[key]
	if !ok && len(key) > 3 && strings.HasSuffix(key, "s") {
		key = key[:len(key)-1]
		ids = t.byKey[key]
	}
	var out []string
	seen := map[string]bool{key: true}
	for _, id := range ids {
		for _, m := range t.groups[id] {
			k := synonymKey(m)
			if !seen[k] {
				seen[k] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// longest returns how many of the query words (each the key of one query
// word, possibly several words itself) form the longest synonym starting at
// keys[0] (0 when none), and the synonyms of that phrase.
func (t *synonymTable) longest(keys []string) (int, []string) {
	for n := min(len(keys), maxSynonymWords); n > 0; n-- {
		if keys[n-1] == "" {
			continue
		}
		if syns := t.lookup(strings.Join(keys[:n], " ")); len(syns) > 0 {
			return n, syns
		}
	}
	return 0, nil
}

func labelNames(l search.Label) []string { return []string{l.En, l.Fr, l.Es, l.Ar} }
