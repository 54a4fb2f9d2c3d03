package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestApplyConcurrentBatches applies entries in many small batches, which
// Apply commits concurrently, with ids that occur several times in one
// call: the index must be what applying them in order gives.
func TestApplyConcurrentBatches(t *testing.T) {
	entry := func(id, title string, withdrawn bool) *search.Entry {
		return &search.Entry{ID: id, Title: title, Language: "en", Year: 2020, Withdrawn: withdrawn}
	}
	var first []*search.Entry
	for i := range 40 {
		first = append(first, entry(fmt.Sprintf("e%02d", i), "broadband school", false))
	}
	// e00 renamed twice, e01 withdrawn, e02 withdrawn then back, e99 new
	// then withdrawn, nil and id-less entries skipped.
	second := []*search.Entry{
		entry("e00", "solar clinic", false), nil, entry("e01", "", true),
		entry("e02", "", true), {Title: "no id"}, entry("e99", "satellite", false),
		entry("e00", "satellite clinic", false), entry("e02", "broadband fibre", false),
		entry("e99", "", true), entry("e03", "broadband school", false),
	}
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"renamed twice", "satellite", []string{"e00"}},
		{"old title gone", "solar", nil},
		{"withdrawn and back", "fibre", []string{"e02"}},
	}
	for _, batch := range []int{1, 3, 1000} {
		t.Run(fmt.Sprintf("batch%d", batch), func(t *testing.T) {
			ix, _, _, err := Open(filepath.Join(t.TempDir(), "index"), Options{Logger: zerolog.Nop(), BatchSize: batch})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if err := ix.Apply(first, 7); err != nil {
				t.Fatal(err)
			}
			if err := ix.Apply(second, 9); err != nil {
				t.Fatal(err)
			}
			if n, _ := ix.Count(); n != 39 || ix.Seq() != 9 {
				t.Fatalf("count %d seq %d, want 39 9", n, ix.Seq())
			}
			if v, _ := ix.Bleve().GetInternal(keySeq); len(v) != 8 || v[7] != 9 {
				t.Fatalf("recorded seq %v, want 9", v)
			}
			for _, tt := range tests {
				res, err := ix.Search(context.Background(), &search.Request{Text: tt.query, Size: 50})
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(res); !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
					t.Errorf("%s: %q gives %v, want %v", tt.name, tt.query, got, tt.want)
				}
			}
		})
	}
}

func TestLastPerID(t *testing.T) {
	a1, b, a2 := &search.Entry{ID: "a"}, &search.Entry{ID: "b"}, &search.Entry{ID: "a", Withdrawn: true}
	tests := []struct {
		in, want []*search.Entry
	}{
		{nil, nil},
		{[]*search.Entry{a1, b}, []*search.Entry{a1, b}},
		{[]*search.Entry{a1, b, a2}, []*search.Entry{b, a2}},
		{[]*search.Entry{nil, {}, b}, []*search.Entry{b}},
	}
	for i, tt := range tests {
		if got := lastPerID(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%d: got %v, want %v", i, got, tt.want)
		}
	}
}
