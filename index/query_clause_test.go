package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
)

// matchWith runs text on ix and returns the number of matches and the
// scores by entry id (document numbers change when bleve merges segments).
func matchWith(t *testing.T, ix *Index, text string) (map[string]float64, uint64) {
	t.Helper()
	req := &search.Request{Text: text, Query: search.ParseQuery(text), Size: 10}
	req.Normalize()
	r, err := ix.matched(context.Background(), req)
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	defer r.close()
	scores := make(map[string]float64, len(r.scored))
	for _, d := range r.scored {
		scores[r.v.ids[d.num]] = d.score
	}
	return scores, r.matches.GetCardinality()
}

// TestFastMatchEqualsBleve checks that the scores combined from kept clauses
// are bleve's own: for random keyword queries of one to five words
// (synonyms, misspellings, stop words, hyphens, several languages; some
// of four or five, which go through bleve) on an
// index with updates and deletions, every match and every score agrees
// with the query run through bleve's searchers, with the clause cache cold
// and warm.
func TestFastMatchEqualsBleve(t *testing.T) {
	entries := append(genEntries(3, 1500), fixtures.HandWritten()...)
	ix := mustOpen(t, entries)
	// updates and deletions: several segments, deleted documents
	upd := genEntries(4, 200)
	for i, e := range upd {
		e.ID = entries[i*5].ID
	}
	if err := ix.Apply(upd, 2); err != nil {
		t.Fatal(err)
	}
	var gone []*search.Entry
	for _, i := range []int{7, 11, 13} {
		e := *entries[i]
		e.Withdrawn = true
		gone = append(gone, &e)
	}
	if err := ix.Apply(gone, 3); err != nil {
		t.Fatal(err)
	}
	words := []string{"health", "education", "digital", "women", "rural", "mobile", "government", "data",
		"broadband", "cybersecurity", "e-learning", "e-health", "telemedicine", "ict", "sdg", "the", "of",
		"telemedicne", "brodband", "santé", "educación", "télémédecine", "الصحة", "образование", "数字",
		"access", "open", "services", "africa", "library", "water", "climate", "youth", "innovation"}
	rng := rand.New(rand.NewPCG(5, 8))
	seen := map[string]bool{}
	var texts []string
	for len(texts) < 300 {
		n := 1 + rng.IntN(3)
		if len(texts)%10 == 0 {
			n = 4 + rng.IntN(2) // questions: feedback, through bleve
		}
		ws := make([]string, n)
		for i := range ws {
			ws[i] = words[rng.IntN(len(words))]
		}
		if s := strings.Join(ws, " "); !seen[s] {
			seen[s] = true
			texts = append(texts, s)
		}
	}
	fast := 0
	for pass, cached := range []bool{false, true} {
		for _, text := range texts {
			ix.noMatchCache.Store(!cached)
			got, gotN := matchWith(t, ix, text)
			if cached {
				ix.noMatchCache.Store(true) // keep the bleve run out of the match cache
			}
			ix.noFastMatch.Store(true)
			want, wantN := matchWith(t, ix, text)
			ix.noFastMatch.Store(false)
			if gotN != wantN || len(got) != len(want) {
				t.Fatalf("pass %d %q: %d matches (%d scored), bleve %d (%d)", pass, text, gotN, len(got), wantN, len(want))
			}
			for d, w := range want {
				g, ok := got[d]
				if !ok || math.Abs(g-w) > 1e-9*math.Abs(w) {
					t.Fatalf("pass %d %q: entry %s score %v, bleve %v", pass, text, d, g, w)
				}
			}
			if pass == 0 && isFastShape(t, ix, text) {
				fast++
			}
		}
	}
	ix.noMatchCache.Store(false)
	t.Logf("%d of %d queries took the fast way", fast, len(texts))
	if fast < len(texts)*3/4 {
		t.Errorf("only %d of %d queries took the fast way", fast, len(texts))
	}
}

// isFastShape reports whether text translates to a shape fastMatch takes.
func isFastShape(t *testing.T, ix *Index, text string) bool {
	req := &search.Request{Text: text, Query: search.ParseQuery(text)}
	req.Normalize()
	r, err := ix.open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	tr := translator{reader: r.reader, maxTerms: 100, rd: newReading(context.Background(), req)}
	bq, _, err := tr.translate(req.Query)
	if err != nil {
		t.Fatal(err)
	}
	switch q := bq.(type) {
	case *looseQuery:
		return true
	case *clauseQuery:
		_, ok := q.q.(*sumQuery)
		return ok
	}
	return false
}

// TestFastMatchConcurrent runs keyword searches from several goroutines
// while entries are updated, so that the race detector (CI runs this
// package with -race) sees the kept clauses, translations, snippets and
// pooled buffers shared between searches and snapshots; every search
// succeeds and a search with matches has hits.
func TestFastMatchConcurrent(t *testing.T) {
	entries := genEntries(6, 800)
	ix := mustOpen(t, entries)
	texts := []string{"health", "digital health", "education women", "broadband access", "e-learning rural", "data"}
	done := make(chan error, 5)
	for g := 0; g < 4; g++ {
		go func(g int) {
			for i := 0; i < 150; i++ {
				text := texts[(g+i)%len(texts)]
				req := &search.Request{Text: text, Query: search.ParseQuery(text), Size: 10, Snippets: true}
				if i%3 == 0 {
					req.Filters.Values = map[string][]string{search.FacetSDG: {"3"}}
				}
				req.Normalize()
				res, err := ix.Search(context.Background(), req)
				if err != nil {
					done <- err
					return
				}
				if res.Total > 0 && len(res.Hits) == 0 {
					done <- fmt.Errorf("%q: total %d without hits", text, res.Total)
					return
				}
			}
			done <- nil
		}(g)
	}
	go func() {
		for i := 0; i < 5; i++ {
			upd := genEntries(uint64(20+i), 50)
			for j, e := range upd {
				e.ID = entries[j*7].ID
			}
			if err := ix.Apply(upd, uint64(10+i)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < 5; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
