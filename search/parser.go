package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The query language, as ParseQuery reads it:
//
//	word "exact phrase" prefix*         adjacent clauses are all required (AND)
//	a OR b, a | b, a AND b, a && b      upper-case keywords only; "or" is a word
//	-word, NOT word, (a OR b) c         precedence: NOT > AND > OR
//	title:word org:"a phrase"           text scopes (org = organization = organisation)
//	country:KEN country:"South Africa"  facet filters: country region al (action_line)
//	sdg:3 al:e-health lang:fr           sdg lang (language) stakeholder collection
//	prize:winner year:2019 year:..2010  prize (prize_status), year ranges a..b
//	title:(a OR b) country:(KEN OR UGA) a scope applies to every word of a group
//
// Every input is accepted: what is malformed degrades to plain text and the
// root's Warnings say how it was read.

// Limits of a parsed query; clauses beyond them are dropped or simplified,
// with a warning.
const (
	MaxQueryClauses  = 64 // words, phrases, prefixes, filters and year ranges
	MaxQueryDepth    = 8  // nested AND/OR nodes on any path (see Query.Depth)
	MaxQueryPrefixes = 5  // prefix* clauses; later ones are searched as words
)

// queryFields maps every field name a user may type (lower case) to the
// text scope ("title", "org") or the facet it filters.
var queryFields = map[string]string{
	"title": "title", "org": "org", "organization": "org", "organisation": "org",
	"country": FacetCountry, "region": FacetRegion,
	"al": FacetActionLine, "action_line": FacetActionLine, "actionline": FacetActionLine,
	"sdg": FacetSDG, "year": FacetYear, "lang": FacetLanguage, "language": FacetLanguage,
	"stakeholder": FacetStakeholder, "collection": FacetCollection,
	"prize": FacetPrizeStatus, "prize_status": FacetPrizeStatus,
}

type tokenKind uint8

const (
	tokWord       tokenKind = iota // text: a bare word
	tokPhrase                      // text: the inside of "…"
	tokField                       // field, text: field:value; quoted for field:"…"
	tokFieldGroup                  // field, name: field:( … the next token is tokOpen
	tokOpen
	tokClose
	tokOr
	tokAnd
	tokNot
	tokMinus // attached: directly followed by what it negates
	tokEnd   // what peek returns after the last token
)

type token struct {
	kind     tokenKind
	text     string
	field    string // canonical field of tokField, tokFieldGroup
	name     string // the field name as typed
	quoted   bool
	attached bool
}

type parser struct {
	toks     []token
	pos      int
	warnings []string
}

func (p *parser) warn(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	for _, x := range p.warnings {
		if x == w {
			return
		}
	}
	p.warnings = append(p.warnings, w)
}

// parse reads text in the query language described above.
func parse(text string) *Query {
	p := &parser{}
	p.lex(p.sanitize(text))
	q := p.parseOr(0)
	q = p.limit(normalize(q))
	if q == nil {
		q = &Query{Kind: NodeMatchAll}
	}
	q.Warnings = p.warnings
	return q
}

// sanitize repairs invalid UTF-8, truncates to MaxQueryLength runes, turns
// every space and control character into ' ' and typographic double quotes
// into '"', so that the lexer only deals with ASCII delimiters.
func (p *parser) sanitize(text string) string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
		p.warn("invalid UTF-8: replaced")
	}
	var b strings.Builder
	b.Grow(len(text))
	n := 0
	for _, r := range text {
		if n == MaxQueryLength {
			p.warn("query longer than %d characters: truncated", MaxQueryLength)
			break
		}
		n++
		switch {
		case r == '“' || r == '”' || r == '„' || r == '″':
			r = '"'
		case unicode.IsSpace(r) || unicode.IsControl(r):
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDelim(c byte) bool { return c == ' ' || c == '(' || c == ')' || c == '"' }

// lex splits s into tokens. An unmatched '"' is dropped with a warning.
func (p *parser) lex(s string) {
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case ' ':
			i++
		case '(':
			p.toks = append(p.toks, token{kind: tokOpen})
			i++
		case ')':
			p.toks = append(p.toks, token{kind: tokClose})
			i++
		case '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				p.warn("unbalanced quote: read as plain text")
				i++
				continue
			}
			p.toks = append(p.toks, token{kind: tokPhrase, text: s[i+1 : i+1+j]})
			i += j + 2
		case '-':
			attached := i+1 < len(s) && s[i+1] != ' ' && s[i+1] != ')'
			p.toks = append(p.toks, token{kind: tokMinus, attached: attached})
			i++
		default:
			i = p.lexWord(s, i)
		}
	}
}

// lexWord reads the word at s[i:] (an operator, field:value or plain word)
// and returns where it ends.
func (p *parser) lexWord(s string, i int) int {
	j := i
	for j < len(s) && !isDelim(s[j]) {
		j++
	}
	w := s[i:j]
	switch w {
	case "OR", "|", "||":
		p.toks = append(p.toks, token{kind: tokOr, text: w})
		return j
	case "AND", "&", "&&":
		p.toks = append(p.toks, token{kind: tokAnd, text: w})
		return j
	case "NOT":
		p.toks = append(p.toks, token{kind: tokNot})
		return j
	}
	k := strings.IndexByte(w, ':')
	if k <= 0 {
		p.toks = append(p.toks, token{kind: tokWord, text: w})
		return j
	}
	name := strings.ToLower(w[:k])
	field, ok := queryFields[name]
	if !ok {
		p.toks = append(p.toks, token{kind: tokWord, text: w})
		return j
	}
	t := token{kind: tokField, field: field, name: name, text: w[k+1:]}
	if t.text == "" && j < len(s) && s[j] == '(' {
		t.kind = tokFieldGroup
		p.toks = append(p.toks, t)
		return j
	}
	if t.text == "" && j < len(s) && s[j] == '"' {
		if e := strings.IndexByte(s[j+1:], '"'); e >= 0 {
			t.text, t.quoted = s[j+1:j+1+e], true
			j += e + 2
		} else {
			p.warn("unbalanced quote: read as plain text")
			e := j + 1
			for e < len(s) && !isDelim(s[e]) {
				e++
			}
			t.text, j = s[j+1:e], e
		}
	}
	if strings.TrimSpace(t.text) == "" {
		p.warn("empty value for %q: searched as text", name+":")
		t = token{kind: tokWord, text: w[:k]}
	}
	p.toks = append(p.toks, t)
	return j
}

func (p *parser) peek() tokenKind {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].kind
	}
	return tokEnd
}

func (p *parser) atEnd() bool { return p.pos >= len(p.toks) }

// ends reports whether the next token ends an operand list: the end of the
// input, a ')', an OR or an AND.
func (p *parser) ends() bool {
	k := p.peek()
	return k == tokEnd || k == tokClose || k == tokOr || k == tokAnd
}

// parseOr reads alternatives separated by OR; depth is the number of open
// parentheses around it.
func (p *parser) parseOr(depth int) *Query {
	or := &Query{Kind: NodeOr}
	for {
		if a := p.parseAnd(depth); len(a.Children) > 0 {
			or.Children = append(or.Children, a)
		}
		if p.peek() != tokOr {
			return or
		}
		t := p.toks[p.pos]
		p.pos++
		if k := p.peek(); len(or.Children) == 0 || k == tokEnd || k == tokClose || k == tokOr {
			p.warn("stray %q: ignored", t.text)
		}
	}
}

// parseAnd reads clauses that are all required, joined by AND or nothing.
func (p *parser) parseAnd(depth int) *Query {
	and := &Query{Kind: NodeAnd}
	for !p.atEnd() {
		switch p.peek() {
		case tokOr:
			return and
		case tokClose:
			if depth > 0 {
				return and
			}
			p.warn(`unmatched ")": ignored`)
			p.pos++
		case tokAnd:
			t := p.toks[p.pos]
			p.pos++
			if len(and.Children) == 0 || p.ends() {
				p.warn("stray %q: ignored", t.text)
			}
		default:
			if n := p.parseUnary(depth); n != nil {
				and.Children = append(and.Children, n)
			}
		}
	}
	return and
}

// parseUnary reads an optionally negated clause.
func (p *parser) parseUnary(depth int) *Query {
	t := p.toks[p.pos]
	if t.kind == tokMinus && !t.attached {
		p.pos++
		p.warn(`"-" with nothing after it: ignored`)
		return nil
	}
	if t.kind != tokNot && t.kind != tokMinus {
		return p.parsePrimary(depth)
	}
	p.pos++
	if p.ends() {
		if t.kind == tokNot {
			p.warn(`"NOT" with nothing after it: ignored`)
		} else {
			p.warn(`"-" with nothing after it: ignored`)
		}
		return nil
	}
	c := p.parseUnary(depth)
	if c == nil {
		return nil
	}
	return &Query{Kind: NodeNot, Children: []*Query{c}}
}

// parsePrimary reads a group, a phrase, a word or a field clause.
func (p *parser) parsePrimary(depth int) *Query {
	t := p.toks[p.pos]
	p.pos++
	switch t.kind {
	case tokOpen:
		g := p.parseOr(depth + 1)
		if p.peek() == tokClose {
			p.pos++
		} else {
			p.warn(`unclosed "(": closed at the end`)
		}
		if len(g.Children) == 0 {
			p.warn("empty parentheses: ignored")
			return nil
		}
		return g
	case tokFieldGroup:
		return p.scope(t.field, t.name, p.parsePrimary(depth))
	case tokPhrase:
		return phrase(t.text, "")
	case tokField:
		return p.fieldClause(t.field, t.name, t.text, t.quoted)
	}
	return p.words(t.text, "")
}

// phrase returns the phrase node of text, or nil when it holds no word.
func phrase(text, field string) *Query {
	text = strings.Join(strings.Fields(text), " ")
	if !hasWordRune(text) {
		return nil
	}
	return &Query{Kind: NodePhrase, Field: field, Text: text}
}

// words reads a bare word scoped to field: colons split it into several
// words ("foo:bar" with an unknown field "foo"), a trailing '*' makes a
// prefix, and a word without a letter or digit is dropped.
func (p *parser) words(w, field string) *Query {
	if k := strings.IndexByte(w, ':'); k >= 0 && field == "" && isFieldName(w[:k]) {
		p.warn("unknown field %q: searched as text", strings.ToLower(w[:k]))
	}
	and := &Query{Kind: NodeAnd}
	for part := range strings.SplitSeq(w, ":") {
		part = strings.TrimLeft(part, "-")
		base := strings.TrimRight(part, "*")
		star := base != part
		if field == "" && (base == "OR" || base == "AND" || base == "NOT") {
			base = strings.ToLower(base) // a keyword where only a word fits
		}
		if !hasWordRune(base) {
			continue
		}
		n := &Query{Kind: NodeTerm, Field: field, Text: base}
		if star {
			if utf8.RuneCountInString(base) >= 2 {
				n.Kind = NodePrefix
			} else {
				p.warn("prefix %q too short: searched as the word %q", part, base)
			}
		}
		and.Children = append(and.Children, n)
	}
	return and
}
