package search

import "testing"

// FuzzParseQuery checks that no input makes the parser panic or break the
// invariants of checkQuery: depth and clause limits, the shape the index
// relies on, and a String that parses back, without warnings, to the same
// query. The seeds are the table of parser_test.go and testdata/fuzz.
func FuzzParseQuery(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkQuery(t, in, ParseQuery(in))
	})
}
