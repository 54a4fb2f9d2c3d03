package index

import (
	"context"
	"testing"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
)

// TestDidYouMean: words inside phrases and queries with an explicit AND
// are corrected too, and a correction is offered only when the corrected
// query has results.
func TestDidYouMean(t *testing.T) {
	ix := mustOpen(t, fixtures.HandWritten())
	tests := []struct {
		q, want string
	}{
		{`"telemedicne"`, `"telemedicine"`},
		{`title:"telemedicne"`, `title:"telemedicine"`},
		{`brodband AND rural`, `broadband AND rural`},
		{`rural AND brodband AND -cybersecurty`, `rural AND broadband AND -cybersecurty`}, // excluded words stay
		{`(brodband OR rural) AND schools`, `(broadband OR rural) AND schools`},
		{`brodband OR rural`, `broadband OR rural`},
		{`telemedicne`, `telemedicine`},
		// Corrected, both words exist, but never together: nothing to offer.
		{`"telemedicne" AND cybersecurty`, ``},
		{`"rural telemedicne"`, ``},
		// Nothing close enough to correct to.
		{`"zzzzqx"`, ``},
		// Known words are never corrected.
		{`"rural broadband"`, ``},
		{`broadband AND rural`, ``},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), &search.Request{Text: tt.q, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.DidYouMean != tt.want {
			t.Errorf("Search(%q).DidYouMean = %q, want %q", tt.q, res.DidYouMean, tt.want)
			continue
		}
		if tt.want == "" {
			continue
		}
		fixed, err := ix.Search(context.Background(), &search.Request{Text: tt.want, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if fixed.Total == 0 {
			t.Errorf("Search(%q) offers %q, which finds nothing", tt.q, tt.want)
		}
	}

	// A query built in code is not the user's text: no correction.
	res, err := ix.Search(context.Background(), &search.Request{Query: search.ParseQuery(`"telemedicne"`), NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.DidYouMean != "" {
		t.Errorf("Search(Query %q).DidYouMean = %q, want none", `"telemedicne"`, res.DidYouMean)
	}
}

// TestAndText: a literal query written back with AND reads the same.
func TestAndText(t *testing.T) {
	for _, in := range []string{
		`a AND b`, `a AND (b OR c)`, `(a OR b) AND c AND -d`, `"a b" AND title:c`, `a AND -(b OR c)`,
		`a AND year:2018..2021 AND country:KEN`, `a b AND c`,
	} {
		q := search.ParseQuery(in)
		out := andText(q)
		if got, want := search.ParseQuery(out).String(), q.String(); got != want {
			t.Errorf("andText(ParseQuery(%q)) = %q, read as %q, want %q", in, out, got, want)
		}
	}
}
