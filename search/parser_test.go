package search

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Warnings as the parser words them, for the table below.
const (
	wQuote    = "unbalanced quote: read as plain text"
	wUnclosed = `unclosed "(": closed at the end`
	wClose    = `unmatched ")": ignored`
	wEmpty    = "empty parentheses: ignored"
	wOr       = `stray "OR": ignored`
	wAnd      = `stray "AND": ignored`
	wNot      = `"NOT" with nothing after it: ignored`
	wMinus    = `"-" with nothing after it: ignored`
	wPrefixes = "more than 5 prefixes: the rest searched as words"
	wClauses  = "more than 64 clauses: the rest ignored"
	wDepth    = "nested deeper than 8 levels: inner groups flattened"
	wLength   = "query longer than 1000 characters: truncated"
	wUTF8     = "invalid UTF-8: replaced"
)

var parseTests = []struct {
	in, want string
	warn     []string
}{
	// words, phrases, prefixes
	{"", "", nil},
	{"  \t\n ", "", nil},
	{"e-health", "e-health", nil},
	{"mobile health kenya", "mobile health kenya", nil},
	{`"digital divide"`, `"digital divide"`, nil},
	{`"  digital   divide "`, `"digital divide"`, nil},
	{"“smart quotes”", `"smart quotes"`, nil},
	{`a"b c"d`, `a "b c" d`, nil},
	{"educ*", "educ*", nil},
	{"educ**", "educ*", nil},
	{"a*b", "a*b", nil},
	{"e*", "e", []string{`prefix "e*" too short: searched as the word "e"`}},
	{"ab* cd* ef* gh* ij* kl* mn*", "ab* cd* ef* gh* ij* kl mn", []string{wPrefixes}},
	{"* ** ... ¿?", "", nil},
	// boolean operators and precedence
	{"a OR b", "a OR b", nil},
	{"a or b and c", "a or b and c", nil},
	{"a | b || c", "a OR b OR c", nil},
	{"a && b & c AND d", "a b c d", nil},
	{"a b OR c d", "(a b) OR (c d)", nil},
	{"a OR b c", "a OR (b c)", nil},
	{"(a OR b) c", "(a OR b) c", nil},
	{"((a OR b)) (c)", "(a OR b) c", nil},
	{"(a OR b) OR (c OR d)", "a OR b OR c OR d", nil},
	{"a (b c) d", "a b c d", nil},
	{"NOT a b", "-a b", nil},
	{"NOT a OR b", "( -a) OR b", nil},
	{"NOT(a OR b) c", "-(a OR b) c", nil},
	{"a OR -b", "a OR ( -b)", nil},
	{"a OR -b -c", "a OR ( -b -c)", nil},
	{"-foo", " -foo", nil},
	{"NOT foo", " -foo", nil},
	{"-a -b", " -a -b", nil},
	{"--a", "a", nil},
	{"NOT NOT a", "a", nil},
	{"-(-a)", "a", nil},
	{"x -(-y -z)", "x -( -y -z)", nil},
	{"-(a OR b)", " -(a OR b)", nil},
	// text scopes
	{"title:health", "title:health", nil},
	{"Title:Health", "title:Health", nil},
	{`title:"mobile  money"`, `title:"mobile money"`, nil},
	{"title:educ*", "title:educ*", nil},
	{"title:-foo", "title:foo", nil},
	{"org:ITU", "org:ITU", nil},
	{"organisation:unesco", "org:unesco", nil},
	{`organization:"world bank"`, `org:"world bank"`, nil},
	{"title:(a OR bc*) c", "(title:a OR title:bc*) c", nil},
	{`title:(a "b c") -org:x`, `title:a title:"b c" -org:x`, nil},
	// facet filters
	{"country:KEN", "country:KEN", nil},
	{"COUNTRY:ke", "country:KEN", nil},
	{"country:Kenya", "country:KEN", nil},
	{`country:"South Africa"`, "country:ZAF", nil},
	{"country:Narnia", "Narnia", []string{`unknown country "Narnia": searched as text`}},
	{`country:"Narnia Land"`, `"Narnia Land"`, []string{`unknown country "Narnia Land": searched as text`}},
	{"country:(KEN OR UGA) health", "(country:KEN OR country:UGA) health", nil},
	{`region:"Arab States"`, "region:arab-states", nil},
	{"al:C7.4", "al:C7.4", nil},
	{"al:e-health", "al:C7.4", nil},
	{"action_line:c3", "al:C3", nil},
	{`al:"C7.4"`, "al:C7.4", nil},
	{"sdg:3", "sdg:3", nil},
	{`sdg:"SDG 3"`, "sdg:3", nil},
	{"sdg:18", "18", []string{`unknown sdg "18": searched as text`}},
	{"lang:fr language:English", "lang:fr lang:en", nil},
	{`stakeholder:"private sector"`, "stakeholder:private-sector", nil},
	{"collection:covid19", "collection:covid-19", nil},
	{"prize:winners prize_status:champion", "prize:winner prize:champion", nil},
	{"-country:KEN health", "-country:KEN health", nil},
	{"year:2019", "year:2019", nil},
	{"year:2018..2021", "year:2018..2021", nil},
	{"year:2018-2021", "year:2018..2021", nil},
	{"year:..2010", "year:..2010", nil},
	{"year:2015..", "year:2015..", nil},
	{"year:2021..2018", "year:2018..2021", []string{"year range reversed: read as year:2018..2021"}},
	{"year:abc", "abc", []string{`invalid year "abc": searched as text`}},
	{"year:..", "", []string{`invalid year "..": searched as text`}},
	// malformed input
	{"foo:bar", "foo bar", []string{`unknown field "foo": searched as text`}},
	{"http://itu.int", "http //itu.int", []string{`unknown field "http": searched as text`}},
	{"10:30 :foo", "10 30 foo", nil},
	{"foo:OR", "foo or", []string{`unknown field "foo": searched as text`}},
	{"title:", "title", []string{`empty value for "title:": searched as text`}},
	{"title: foo", "title foo", []string{`empty value for "title:": searched as text`}},
	{`sdg:""`, "sdg", []string{`empty value for "sdg:": searched as text`}},
	{`"unbalanced`, "unbalanced", []string{wQuote}},
	{`a "b c" "d`, `a "b c" d`, []string{wQuote}},
	{`title:"a b`, "title:a b", []string{wQuote}},
	{"(a b", "a b", []string{wUnclosed}},
	{"a b)", "a b", []string{wClose}},
	{")(", "", []string{wClose, wUnclosed, wEmpty}},
	{"a () b", "a b", []string{wEmpty}},
	{"OR a", "a", []string{wOr}},
	{"a OR", "a", []string{wOr}},
	{"a OR OR b", "a OR b", []string{wOr}},
	{"(a OR) b", "a b", []string{wOr}},
	{"AND a", "a", []string{wAnd}},
	{"a AND", "a", []string{wAnd}},
	{"a AND OR b", "a OR b", []string{wAnd}},
	{"NOT", "", []string{wNot}},
	{"a NOT", "a", []string{wNot}},
	{"-", "", []string{wMinus}},
	{"a - b", "a b", []string{wMinus}},
	{"OR AND NOT", "", []string{wOr, wAnd, wNot}},
	{"caf\xe9 au lait", "caf\uFFFD au lait", []string{wUTF8}},
	// limits
	{strings.Repeat("ab ", 400), strings.TrimSpace(strings.Repeat("ab ", 64)), []string{wLength, wClauses}},
	{strings.Repeat("(", 12) + "a" + strings.Repeat(" OR b) c", 12), "(((((((a OR b OR c OR b OR c OR b OR c OR b OR c OR b OR c OR b OR c OR b OR c OR b OR c OR b) c) OR b) c) OR b) c) OR b) c", []string{wDepth}},
}

func TestParse(t *testing.T) {
	if len(parseTests) < 60 {
		t.Fatalf("only %d cases", len(parseTests))
	}
	for _, tt := range parseTests {
		q := ParseQuery(tt.in)
		if got := q.String(); got != tt.want {
			t.Errorf("ParseQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !slices.Equal(q.Warnings, tt.warn) {
			t.Errorf("ParseQuery(%q) warnings = %q, want %q", tt.in, q.Warnings, tt.warn)
		}
		checkQuery(t, tt.in, q)
	}
}

// TestParseNodes checks what String cannot show: kinds, fields and years.
func TestParseNodes(t *testing.T) {
	all := &Query{Kind: NodeMatchAll}
	tests := []struct {
		in   string
		want *Query
	}{
		{"", all},
		{"educ*", &Query{Kind: NodePrefix, Text: "educ"}},
		{`org:"world bank"`, &Query{Kind: NodePhrase, Field: "org", Text: "world bank"}},
		{"al:e-health", &Query{Kind: NodeFilter, Field: FacetActionLine, Text: "C7.4"}},
		{"year:2019", &Query{Kind: NodeYearRange, From: 2019, To: 2019}},
		{"year:..2010", &Query{Kind: NodeYearRange, To: 2010}},
		{"-foo", &Query{Kind: NodeAnd, Children: []*Query{all,
			{Kind: NodeNot, Children: []*Query{{Kind: NodeTerm, Text: "foo"}}}}}},
		{"prize:winner OR title:x", &Query{Kind: NodeOr, Children: []*Query{
			{Kind: NodeFilter, Field: FacetPrizeStatus, Text: "winner"},
			{Kind: NodeTerm, Field: "title", Text: "x"}}}},
	}
	for _, tt := range tests {
		if got := ParseQuery(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseQuery(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

// TestParseRoundTrip is the property: the String of a parsed query parses,
// without warnings, to the same query. Inputs are the table above and
// queries built at random (seeded) from the pieces of the language.
func TestParseRoundTrip(t *testing.T) {
	pieces := []string{"a", "bc", "OR", "AND", "NOT", "-", "(", ")", `"`, "*", ":", "|", "&&",
		"title:", "org:", "country:", "sdg:", "al:", "year:", "region:", "foo:", "..", "2019",
		"KEN", "e-health", "South", "Africa", "3", "winner", "edu*", " ", " ", " ", "\xff"}
	r := rand.New(rand.NewPCG(1, 2))
	inputs := make([]string, 0, len(parseTests)+5000)
	for _, tt := range parseTests {
		inputs = append(inputs, tt.in)
	}
	for range 5000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		checkQuery(t, in, ParseQuery(in))
	}
}

// checkQuery checks the invariants of a parsed query and the round trip.
func checkQuery(t testing.TB, in string, q *Query) {
	t.Helper()
	if q == nil {
		t.Fatalf("ParseQuery(%q) = nil", in)
	}
	if d := q.Depth(); d > MaxQueryDepth {
		t.Errorf("ParseQuery(%q) has depth %d", in, d)
	}
	if n := q.Clauses(); n > MaxQueryClauses {
		t.Errorf("ParseQuery(%q) has %d clauses", in, n)
	}
	if err := checkNode(q, nil, q); err != "" {
		t.Errorf("ParseQuery(%q) = %q: %s", in, q.String(), err)
	}
	s := q.String()
	if utf8.RuneCountInString(s) > MaxQueryLength {
		return // the rendering may be longer than what it came from
	}
	r := ParseQuery(s)
	if len(r.Warnings) > 0 {
		t.Errorf("ParseQuery(%q) = %q, which parses with warnings %q", in, s, r.Warnings)
	}
	a, b := *q, *r
	a.Warnings, b.Warnings = nil, nil
	if !reflect.DeepEqual(&a, &b) {
		t.Errorf("ParseQuery(%q) = %q, which parses to %q", in, s, r.String())
	}
}

// checkNode returns what is wrong with node n under parent, or "".
func checkNode(n, parent, root *Query) string {
	if n != root && n.Warnings != nil {
		return "warnings below the root"
	}
	prefixes := 0
	switch n.Kind {
	case NodeMatchAll:
		if n != root && (parent.Kind != NodeAnd || parent.Children[0] != n || !allNegative(parent.Children[1:])) {
			return "match-all outside AND(match-all, NOT …)"
		}
	case NodeAnd, NodeOr:
		if len(n.Children) < 2 {
			return "AND/OR with fewer than two children"
		}
		for _, c := range n.Children {
			if c.Kind == n.Kind {
				return "AND in AND or OR in OR"
			}
			if c.Kind == NodeNot && n.Kind == NodeOr {
				return "NOT in OR"
			}
		}
		if n.Kind == NodeAnd && allNegative(n.Children) {
			return "AND of NOTs only"
		}
	case NodeNot:
		if len(n.Children) != 1 || parent == nil || parent.Kind != NodeAnd || n.Children[0].Kind == NodeNot {
			return "NOT outside an AND, or of a NOT"
		}
	case NodeTerm, NodePrefix:
		if n.Text == "" || strings.ContainsAny(n.Text, " :\"()") || n.Text[0] == '-' || strings.HasSuffix(n.Text, "*") ||
			n.Field == "" && (n.Text == "OR" || n.Text == "AND" || n.Text == "NOT") {
			return "bad word " + n.Text
		}
	case NodePhrase:
		if n.Text == "" || strings.Contains(n.Text, `"`) || strings.Join(strings.Fields(n.Text), " ") != n.Text {
			return "bad phrase " + n.Text
		}
	case NodeFilter:
		if !IsFacet(n.Field) || n.Text == "" || strings.ContainsAny(n.Text, " \"()") {
			return "bad filter " + n.Field + ":" + n.Text
		}
	case NodeYearRange:
		if n.From == 0 && n.To == 0 || n.To > 0 && n.From > n.To {
			return "bad year range"
		}
	}
	if n == root {
		root.Walk(func(c *Query) bool {
			if c.Kind == NodePrefix {
				prefixes++
			}
			return true
		})
		if prefixes > MaxQueryPrefixes {
			return "too many prefixes"
		}
	}
	for _, c := range n.Children {
		if err := checkNode(c, n, root); err != "" {
			return err
		}
	}
	return ""
}

func BenchmarkParseQuery(b *testing.B) {
	for _, in := range []string{
		"mobile health kenya",
		`title:"digital divide" (africa OR asia) -pilot al:e-health sdg:3 year:2015..`,
	} {
		b.Run(strings.Fields(in)[0], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ParseQuery(in)
			}
		})
	}
}
