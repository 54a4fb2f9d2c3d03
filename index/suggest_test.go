package index

import (
	"context"
	"fmt"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

func TestSuggest(t *testing.T) {
	ix := mustOpen(t, handEntries())
	tests := []struct {
		prefix, lang string
		want         string // kind:value of the first suggestion, "" for none
		wantText     string // its text, when checked
	}{
		{"ken", "", "country:KEN", "Kenya"},
		{"Kenia", "", "country:KEN", ""}, // one typo
		{"capacity", "fr", "action_line:C4", "C4 · Renforcement des capacités"},
		{"renforcement", "fr", "action_line:C4", ""}, // French label
		{"quality edu", "", "sdg:4", ""},
		{"confio", "", "title:a1", "En TIC Confío"}, // accents ignored
		{"CONFÍO", "", "title:a1", ""},
		{"telem", "", "title:a3", "Telemedicine clinics"},
		{"telemedcine", "", "title:a3", ""}, // a letter missed
		{"rural broad", "", "title:a2", ""},
		{"mintic", "", "organization:MinTIC Colombia", ""},
		{"zzzz", "", "", ""},
		{"tle", "", "", ""}, // three letters: no typo tolerance
		{"  ", "", "", ""},
	}
	for _, tt := range tests {
		got, err := ix.Suggest(context.Background(), tt.prefix, tt.lang, 5)
		if err != nil {
			t.Fatal(err)
		}
		first := ""
		if len(got) > 0 {
			first = got[0].Kind + ":" + got[0].Value
		}
		if first != tt.want || tt.wantText != "" && got[0].Text != tt.wantText {
			t.Errorf("Suggest(%q, %q) = %+v, want first %s %q", tt.prefix, tt.lang, got, tt.want, tt.wantText)
		}
		if len(got) > 5 {
			t.Errorf("Suggest(%q) gave %d, limit 5", tt.prefix, len(got))
		}
	}

	// Writes are seen by the next call.
	if err := ix.Apply([]*search.Entry{{ID: "z1", Title: "Zebra crossings", Country: "FRA", Region: "europe"}}, 2); err != nil {
		t.Fatal(err)
	}
	got, _ := ix.Suggest(context.Background(), "zebr", "", 5)
	if len(got) != 1 || got[0].Value != "z1" {
		t.Errorf("Suggest(zebr) after Apply = %+v, want z1", got)
	}
	if err := ix.Apply([]*search.Entry{{ID: "z1", Withdrawn: true}}, 3); err != nil {
		t.Fatal(err)
	}
	if got, _ := ix.Suggest(context.Background(), "zebr", "", 5); len(got) != 0 {
		t.Errorf("Suggest(zebr) after withdrawal = %+v, want none", got)
	}
}

func TestPrefixWithinOne(t *testing.T) {
	tests := []struct {
		p, w string
		want bool
	}{
		{"heal", "health", true}, {"helth", "health", true}, {"healht", "health", true},
		{"haelth", "health", true}, {"hxalth", "health", true}, {"heaalth", "health", true},
		{"hxxlth", "health", false}, {"health", "heal", false}, {"digitl", "digital", true},
	}
	for _, tt := range tests {
		if got := prefixWithinOne(tt.p, tt.w); got != tt.want {
			t.Errorf("prefixWithinOne(%q, %q) = %v, want %v", tt.p, tt.w, got, tt.want)
		}
	}
}

// BenchmarkSuggest measures suggestions on the default data set, the set
// the README's figure (≤ 5 ms at the median) is promised on.
func BenchmarkSuggest(b *testing.B) {
	ix := defaultSetIndex(b)
	if _, err := ix.Suggest(context.Background(), "dig", "en", 10); err != nil {
		b.Fatal(err)
	}
	prefixes := []string{"d", "dig", "digital", "digtal inc", "rural bro", "kenya", "heal", "e-gov", "telemedicine", "capacity b"}
	for _, p := range prefixes {
		b.Run(fmt.Sprintf("%q", p), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := ix.Suggest(context.Background(), p, "en", 10); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
