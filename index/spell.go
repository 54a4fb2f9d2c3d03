package index

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Spelling: a query word found nowhere in the index (in no field, neither
// as typed nor stemmed in any language) is searched as the dictionary words
// closest to it, and the result's DidYouMean offers the query with the best
// of them. Words the loose reading must take as typed (inside a phrase, or
// every word of a query with an explicit AND) are not searched otherwise,
// but are corrected in DidYouMean too. A DidYouMean is only offered when
// the corrected query has results. The dictionary is the snapshot's
// language-neutral term dictionaries, so corrections are real words with
// their document counts.
const (
	maxCorrections   = 3   // dictionary words a misspelt word expands to
	correctionWeight = 0.5 // weight of the corrections after the best one
	minFuzzyRunes    = 4   // shorter words are never corrected
	twoEditRunes     = 7   // words this long may be two edits away
)

// speller looks words up in one snapshot; it caches what it has read.
type speller struct {
	reader   bindex.IndexReader
	contains map[string]bindex.FieldDictContains
}

func newSpeller(r bindex.IndexReader) *speller {
	return &speller{reader: r, contains: map[string]bindex.FieldDictContains{}}
}

// has reports whether term is in the dictionary of field.
func (s *speller) has(field, term string) bool {
	c, ok := s.contains[field]
	if !ok {
		if r, ok := s.reader.(bindex.IndexReaderContains); ok {
			if fc, err := r.FieldDictContains(field); err == nil {
				c = fc
			}
		}
		s.contains[field] = c
	}
	if c == nil {
		return true // cannot tell: do not correct
	}
	found, err := c.Contains([]byte(term))
	return found || err != nil
}

// known reports whether word occurs in the index: as a folded word in a
// language-neutral field, or analysed in a language in that language's
// fields. A word that analyses to nothing (a stop word) counts as known.
func (s *speller) known(word string, langs []string) bool {
	toks := analyzerNamed(plainAnalyzer).Analyze([]byte(word))
	if len(toks) != 1 {
		return true // several words or none: not corrected
	}
	for _, f := range textFields {
		if s.has(f.name, string(toks[0].Term)) {
			return true
		}
	}
	for _, l := range langs {
		lt := analyzerNamed(analyzerFor(l)).Analyze([]byte(word))
		if len(lt) == 0 {
			return true
		}
		for _, f := range textFields {
			for _, t := range lt {
				if s.has(langField(f.name, l), string(t.Term)) {
					return true
				}
			}
		}
	}
	return false
}

type candidate struct {
	term  string
	dist  int
	count uint64
}

// corrections returns up to max dictionary words close to word, best first:
// fewest edits, then most documents, then alphabetical.
func (s *speller) corrections(word string, max int) []string {
	toks := analyzerNamed(plainAnalyzer).Analyze([]byte(word))
	if len(toks) != 1 {
		return nil
	}
	w := string(toks[0].Term)
	n := utf8.RuneCountInString(w)
	if n < minFuzzyRunes {
		return nil
	}
	fuzz := 1
	if n >= twoEditRunes {
		fuzz = 2
	}
	fr, ok := s.reader.(bindex.IndexReaderFuzzy)
	if !ok {
		return nil
	}
	counts := map[string]uint64{}
	for _, f := range textFields {
		dict, err := fr.FieldDictFuzzy(f.name, w, fuzz, "")
		if err != nil {
			continue
		}
		for de, err := dict.Next(); de != nil && err == nil; de, err = dict.Next() {
			counts[de.Term] += de.Count
		}
		dict.Close()
	}
	cands := make([]candidate, 0, len(counts))
	for t, c := range counts {
		if t != w && utf8.RuneCountInString(t) >= minFuzzyRunes-1 {
			cands = append(cands, candidate{t, editDistance(w, t), c})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.count != b.count {
			return a.count > b.count
		}
		return a.term < b.term
	})
	out := make([]string, 0, max)
	for _, c := range cands {
		if len(out) == max {
			break
		}
		out = append(out, c.term)
	}
	return out
}

// editDistance is the Damerau–Levenshtein distance (with adjacent
// transpositions) between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// didYouMean returns q with every corrected word replaced by its best
// correction, as query text, or "" when no word was corrected. Words are
// replaced alone and inside phrases. With explicitAnd, the query was typed
// with an AND and is written back with one between its words (Query.String
// writes a conjunction as words side by side, which reads loosely).
func didYouMean(q *search.Query, corrected map[string]string, explicitAnd bool) string {
	if len(corrected) == 0 || q == nil {
		return ""
	}
	changed := false
	var rewrite func(n *search.Query) *search.Query
	rewrite = func(n *search.Query) *search.Query {
		c := *n
		c.Warnings = nil
		switch n.Kind {
		case search.NodeTerm:
			if w, ok := corrected[n.Text]; ok {
				c.Text, changed = w, true
			}
		case search.NodePhrase:
			words := strings.Fields(n.Text)
			for i, w := range words {
				if cw, ok := corrected[w]; ok {
					words[i], changed = cw, true
				}
			}
			c.Text = strings.Join(words, " ")
		}
		c.Children = make([]*search.Query, len(n.Children))
		for i, ch := range n.Children {
			c.Children[i] = rewrite(ch)
		}
		return &c
	}
	out := rewrite(q)
	if !changed {
		return ""
	}
	if explicitAnd {
		return andText(out)
	}
	return out.String()
}

// andText is q as query text with AND written between the parts of a
// conjunction.
func andText(q *search.Query) string {
	wrap := func(c *search.Query) string {
		s := andText(c)
		if (c.Kind == search.NodeAnd || c.Kind == search.NodeOr) && len(c.Children) > 1 {
			return "(" + s + ")"
		}
		return s
	}
	switch {
	case (q.Kind == search.NodeAnd || q.Kind == search.NodeOr) && len(q.Children) > 1:
		sep := " AND "
		if q.Kind == search.NodeOr {
			sep = " OR "
		}
		parts := make([]string, len(q.Children))
		for i, c := range q.Children {
			parts[i] = wrap(c)
		}
		return strings.Join(parts, sep)
	case q.Kind == search.NodeNot && len(q.Children) == 1:
		return "-" + wrap(q.Children[0])
	}
	return q.String()
}

// strictCorrections corrects the words that the loose reading leaves as
// typed although the index does not know them: the words of phrases and,
// when the query is read literally (an explicit AND), every word. Such a
// word makes its phrase, or the whole conjunction, match nothing. Excluded
// words are left alone.
func (t *translator) strictCorrections(q *search.Query) {
	if t.rd == nil || !t.rd.typed {
		return
	}
	if t.rd.speller == nil {
		t.rd.speller = newSpeller(t.reader)
	}
	sp := t.rd.speller
	check := func(w string) {
		if _, done := t.rd.corrected[w]; done {
			return
		}
		if _, done := t.rd.suggested[w]; done || sp.known(w, t.languages()) {
			return
		}
		if c := sp.corrections(w, 1); len(c) > 0 {
			if t.rd.suggested == nil {
				t.rd.suggested = map[string]string{}
			}
			t.rd.suggested[w] = c[0]
		}
	}
	var walk func(n *search.Query)
	walk = func(n *search.Query) {
		switch n.Kind {
		case search.NodeNot:
			return
		case search.NodePhrase:
			for _, w := range strings.Fields(n.Text) {
				check(w)
			}
		case search.NodeTerm:
			if !t.rd.loose {
				check(n.Text)
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(q)
}

// correction returns the did-you-mean text of the query just translated
// by t, or "" when there is none or it would find nothing either: a
// correction is only offered when the corrected query has results.
func (r *run) correction(ctx context.Context, q *search.Query, t *translator) string {
	if r.rd == nil || !r.rd.typed || q == nil {
		return ""
	}
	t.strictCorrections(q)
	text := r.rd.didYouMean(q)
	if text == "" || !r.hasResults(ctx, text) {
		return ""
	}
	return text
}

// hasResults reports whether text, read as typed by a user, matches an
// entry of the run's snapshot (whatever the filters: a did-you-mean is kept
// with the query's translation, for every filter).
func (r *run) hasResults(ctx context.Context, text string) bool {
	req := &search.Request{Text: text}
	req.Normalize()
	t := translator{reader: r.reader, maxTerms: r.ix.opts.MaxPrefixTerms, rd: newReading(ctx, req),
		langs: r.v.languages(r.reader)}
	bq, sp, err := t.node(req.Query) // no feedback pass: whether anything matches is enough
	switch {
	case err != nil || sp == spanNone:
		return false
	case sp == spanAll:
		return !r.v.live.IsEmpty()
	}
	s, err := bq.Searcher(ctx, r.reader, r.ix.mapping, bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return false
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{
		DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0),
		IndexReader:       r.reader,
	}
	dm, err := s.Next(sctx)
	return err == nil && dm != nil
}
