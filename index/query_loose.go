package index

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/itu-stocktaking/stocktaking/search"
)

// The loose reading of user text. Words typed next to each other are not
// all required: an entry matching some of them is a result. For a few
// keywords, entries matching all words rank above those matching some
// (sumTiered); a question of minFeedbackWords words or more is read as
// best-match retrieval, the words' scores multiplied by the square of the
// fraction of words matched (Lucene's classic coordination, squared). The
// conjunction of every word adds its score once more. And entries where query words stand next to
// each other rank higher (ordered word pairs searched as phrases, as in the
// sequential dependence model). Each word also matches its synonyms, and a
// word found nowhere in the index matches the dictionary words closest to
// it. Phrases, filters, prefixes and groups stay required; an explicit AND
// anywhere in the text makes every word required (the parsed query cannot
// tell which AND was typed), and so do exclusions.
const (
	proximityBoost = 0.12 // a query word pair found as typed: SDM's ordered-window weight 0.1/0.85
	maxPairGap     = 3    // positions between paired words (stop words dropped from the query)
)

// reading is how one request's text is read; the translator records the
// spelling corrections it made for DidYouMean.
type reading struct {
	ctx       context.Context // the request's, for the feedback pass
	typed     bool            // the query is text a user typed: corrections are offered
	loose     bool
	concepts  int               // most soft clauses of one AND: long questions get feedback
	corrected map[string]string // query word → its best correction, searched
	suggested map[string]string // query word → its best correction, for DidYouMean only (strictCorrections)
	synonyms  []string          // synonyms searched, for highlighting
	speller   *speller
}

// newReading returns the reading of req: loose for text a user typed
// without an explicit AND, literal for queries built in code (no Text).
func newReading(ctx context.Context, req *search.Request) *reading {
	typed := strings.TrimSpace(req.Text) != ""
	return &reading{ctx: ctx, typed: typed, loose: typed && !explicitAnd(req.Text), corrected: map[string]string{}}
}

// didYouMean returns the corrected query text, or "".
func (rd *reading) didYouMean(q *search.Query) string {
	if rd == nil {
		return ""
	}
	all := rd.corrected
	if len(rd.suggested) > 0 {
		all = make(map[string]string, len(rd.corrected)+len(rd.suggested))
		for w, c := range rd.suggested {
			all[w] = c
		}
		for w, c := range rd.corrected {
			all[w] = c
		}
	}
	return didYouMean(q, all, !rd.loose)
}

// explicitAnd reports whether text has an AND operator outside quotes, as
// the parser reads them ("AND", "&", "&&").
func explicitAnd(text string) bool {
	inQuote := false
	var b strings.Builder
	for _, r := range text {
		switch {
		case r == '"':
			inQuote = !inQuote
			b.WriteRune(' ')
		case inQuote:
		case r == '(' || r == ')':
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	for _, w := range strings.Fields(b.String()) {
		if w == "AND" || w == "&" || w == "&&" {
			return true
		}
	}
	return false
}

func (t *translator) loose() bool { return t.rd != nil && t.rd.loose }

// literal returns a copy of t reading queries literally (for exclusions).
func (t *translator) literal() *translator {
	c := *t
	c.rd = nil
	return &c
}

// looseTerm translates a lone word: the word, its synonyms, corrections.
func (t *translator) looseTerm(q *search.Query) (query.Query, span, error) {
	c := t.concepts([]*search.Query{q})[0]
	if c == nil {
		return nil, spanNone, nil
	}
	return c, spanSome, nil
}

// looseAnd translates the children of an AND in the loose reading.
func (t *translator) looseAnd(children []*search.Query) (query.Query, span, error) {
	var must, should, mustNot, soft []query.Query
	var run []*search.Query // consecutive words of one scope
	words := 0
	flush := func() {
		if len(run) == 0 {
			return
		}
		for _, c := range t.concepts(run) {
			if c != nil {
				soft = append(soft, c)
			}
		}
		if p := t.proximity(run); p != nil {
			should = append(should, &clauseQuery{key: clauseKey("p", run), q: p})
		}
		run = nil
	}
	for _, c := range children {
		if c == nil {
			continue
		}
		switch {
		case c.Kind == search.NodeNot:
			ok, err := t.literal().negate(c, &mustNot)
			if err != nil || !ok {
				return nil, spanNone, err
			}
		case c.Kind == search.NodeTerm:
			if len(run) > 0 && run[0].Field != c.Field {
				flush()
			}
			run = append(run, c)
			words++
		default:
			flush()
			cq, sp, err := t.node(c)
			if err != nil {
				return nil, spanNone, err
			}
			switch {
			case sp == spanNone:
				return nil, spanNone, nil
			case sp == spanSome && c.Kind == search.NodePrefix:
				soft = append(soft, cq)
			case sp == spanSome:
				must = append(must, cq)
			}
		}
	}
	flush()
	t.rd.concepts = max(t.rd.concepts, len(soft))
	// Words alone (at most one run of them) combine from kept clauses
	// (query_clause.go).
	var lq *looseQuery
	if len(must) == 0 && len(mustNot) == 0 && len(should) <= 1 && (len(soft) >= 2 || len(soft) == 1 && len(should) == 1) {
		lq = &looseQuery{}
		for _, c := range soft {
			if cq, ok := c.(*clauseQuery); ok {
				lq.concepts = append(lq.concepts, cq)
			} else {
				lq = nil // a prefix
				break
			}
		}
		if lq != nil && len(should) == 1 {
			lq.prox = should[0].(*clauseQuery)
		}
	}
	switch len(soft) {
	case 0:
	case 1:
		must = append(must, soft[0])
	default:
		mode := sumTiered // keywords: entries with every word first
		if len(soft) >= minFeedbackWords {
			mode = sumSquared // a question: the best partial matches mix
		}
		must = append(must, &sumQuery{parts: soft, mode: mode})
		should = append(should, query.NewConjunctionQuery(soft))
		if lq != nil {
			lq.mode = mode
		}
	}
	if len(must) == 0 && words > 0 {
		return nil, spanNone, nil // only words that match nothing
	}
	bq, sp, err := boolOf(must, should, mustNot)
	if lq != nil && err == nil && sp == spanSome {
		lq.bool = bq
		return lq, sp, nil
	}
	return bq, sp, err
}

// clauseKey is the key of a clause of the words run in the clause cache:
// kind, the field scope and the words' text.
func clauseKey(kind string, run []*search.Query) string {
	var b strings.Builder
	b.WriteString(kind)
	b.WriteByte(0)
	b.WriteString(run[0].Field)
	for _, w := range run {
		b.WriteByte(0)
		b.WriteString(w.Text)
	}
	return b.String()
}

// concepts translates a run of words of one scope into one query per
// concept: a word, or the longest phrase of words with synonyms, searched
// with those synonyms at synonymWeight. A word found nowhere in the index
// is searched as its spelling corrections. Entries are nil for words that
// match nothing (stop words, unknown words without correction).
func (t *translator) concepts(run []*search.Query) []query.Query {
	fields := scopeFields(run[0].Field)
	keys := make([]string, len(run))
	for i, w := range run {
		keys[i] = synonymKey(w.Text)
	}
	var out []query.Query
	for i := 0; i < len(run); {
		n, syns := synonyms().longest(keys[i:])
		if n == 0 {
			out = append(out, keyed(clauseKey("c", run[i:i+1]), t.word(run[i].Text, fields)))
			i++
			continue
		}
		var orig []query.Query
		for _, w := range run[i : i+n] {
			if q := t.text(w.Text, fields, 1); q != nil {
				orig = append(orig, q)
			}
		}
		t.rd.synonyms = append(t.rd.synonyms, syns...)
		parts := []query.Query{conjOf(orig)}
		for _, s := range syns {
			parts = append(parts, t.text(s, fields, synonymWeight))
		}
		out = append(out, keyed(clauseKey("c", run[i:i+n]), maxOf(parts)))
		i += n
	}
	return out
}

// keyed wraps q as a clause kept under key; nil stays nil.
func keyed(key string, q query.Query) query.Query {
	if q == nil {
		return nil
	}
	return &clauseQuery{key: key, q: q}
}

func conjOf(parts []query.Query) query.Query {
	switch len(parts) {
	case 0:
		return nil
	case 1:
		return parts[0]
	}
	return query.NewConjunctionQuery(parts)
}

// word translates one word, correcting its spelling when the index does
// not know it.
func (t *translator) word(text string, fields []scopedField) query.Query {
	if t.rd.speller == nil {
		t.rd.speller = newSpeller(t.reader)
	}
	sp := t.rd.speller
	if sp.known(text, t.languages()) {
		return t.text(text, fields, 1)
	}
	var parts []query.Query
	for i, c := range sp.corrections(text, maxCorrections) {
		w := 1.0
		if i == 0 {
			t.rd.corrected[text] = c
		} else {
			w = correctionWeight
		}
		parts = append(parts, t.text(c, fields, w))
	}
	return sumOf(parts)
}

// proximity returns the should-clause rewarding entries where adjacent
// query words of run stand together, or nil.
func (t *translator) proximity(run []*search.Query) query.Query {
	if len(run) < 2 || run[0].Field != "" {
		return nil
	}
	words := make([]string, len(run))
	for i, w := range run {
		words[i] = w.Text
	}
	text := strings.Join(words, " ")
	var parts []query.Query
	for _, l := range t.languages() {
		toks := analyzerNamed(analyzerFor(l)).Analyze([]byte(text))
		for i := 1; i < len(toks); i++ {
			a, b := toks[i-1], toks[i]
			gap := b.Position - a.Position
			if gap < 1 || gap > maxPairGap || string(a.Term) == string(b.Term) {
				continue
			}
			terms := make([]string, gap+1) // "" for the dropped stop words
			terms[0], terms[gap] = string(a.Term), string(b.Term)
			for _, f := range []scopedField{textFields[0], textFields[2]} {
				pq := query.NewPhraseQuery(terms, langField(f.name, l))
				pq.SetBoost(f.boost * proximityBoost)
				parts = append(parts, pq)
			}
		}
	}
	return sumOf(parts)
}
