package index

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
)

// bm25Index returns an index of generated and hand-written entries in
// several segments, with updated and withdrawn entries, and the live
// entries by id.
func bm25Index(t *testing.T) (*Index, map[string]*search.Entry) {
	t.Helper()
	entries := append(genEntries(9, 1200), fixtures.HandWritten()...)
	// small batches: several segments (until bleve merges them)
	ix, _, _, err := Open(t.TempDir()+"/index", Options{Logger: zerolog.Nop(), BatchSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Apply(entries, 1); err != nil {
		t.Fatal(err)
	}
	live := map[string]*search.Entry{}
	for _, e := range entries {
		if !e.Withdrawn {
			live[e.ID] = e
		}
	}
	upd := genEntries(10, 150)
	for i, e := range upd {
		e.ID = entries[i*7].ID
		live[e.ID] = e
	}
	if err := ix.Apply(upd, 2); err != nil {
		t.Fatal(err)
	}
	var gone []*search.Entry
	for _, i := range []int{3, 5, 8, 13, 21, 34} {
		e := *entries[i]
		e.Withdrawn = true
		gone = append(gone, &e)
		delete(live, e.ID)
	}
	if err := ix.Apply(gone, 3); err != nil {
		t.Fatal(err)
	}
	return ix, live
}

// TestBM25StatsAreTokenAverages checks the statistics given to BM25 against
// the entries: for every field, the average number of tokens over the live
// entries having the field (rounded), times the number of live entries.
func TestBM25StatsAreTokenAverages(t *testing.T) {
	ix, live := bm25Index(t)
	type total struct{ docs, tokens int }
	want := map[string]*total{}
	add := func(field string, n int) {
		if want[field] == nil {
			want[field] = &total{}
		}
		if n > 0 {
			want[field].docs++
			want[field].tokens += n
		}
	}
	for _, e := range live {
		lang := strings.TrimPrefix(analyzerFor(e.Language), "stk_")
		for i, text := range []string{e.Title, e.Organization, entryDescription(e)} {
			add(textFields[i].name, len(analyzerNamed(plainAnalyzer).Analyze([]byte(text))))
			add(langField(textFields[i].name, lang), len(analyzerNamed(analyzerFor(e.Language)).Analyze([]byte(text))))
		}
		for f, vals := range search.FacetValues(e) {
			add(f, len(vals))
		}
		if e.Organization != "" {
			add(FacetOrganization, 1)
		}
		add(fieldID, 1)
		add(fieldSortTitle, 1)
		add(fieldSortDate, 1)
	}
	r, err := ix.open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	deleted := 0
	for _, ss := range r.reader.Segments() {
		if d := ss.Deleted(); d != nil {
			deleted += int(d.GetCardinality())
		}
	}
	t.Logf("%d segments, %d deleted documents in them", len(r.reader.Segments()), deleted)
	st, err := r.v.bm25Stats()
	if err != nil {
		t.Fatal(err)
	}
	if int(st.DocCount) != len(live) {
		t.Errorf("DocCount = %v, want %d", st.DocCount, len(live))
	}
	fields := indexedFields()
	if len(fields) < len(textFields)*(1+len(languages))+len(facetFields) {
		t.Fatalf("indexedFields() = %v: fields missing", fields)
	}
	for _, f := range fields {
		w := 0
		if tot := want[f]; tot != nil && tot.docs > 0 {
			w = int(math.Round(float64(tot.tokens)/float64(tot.docs))) * len(live)
		}
		got, ok := st.FieldCardinality[f]
		if !ok || got != w {
			t.Errorf("FieldCardinality[%s] = %d (present %v), want %d (%+v)", f, got, ok, w, want[f])
		}
	}
	if _, ok := st.FieldCardinality["*"]; !ok {
		t.Errorf("no statistics for bleve's field *")
	}
}

// TestBleveScoresWithTrueAverages checks that bleve's term searchers,
// run as the index runs them, score with the statistics above: each match
// of a term scores bleve's BM25 (idf², √tf saturation) computed by hand with
// the field's true average length, not bleve's own (distinct terms over
// documents, far shorter).
func TestBleveScoresWithTrueAverages(t *testing.T) {
	ix, _ := bm25Index(t)
	ctx := context.Background()
	r, err := ix.open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	st, err := r.v.bm25Stats()
	if err != nil {
		t.Fatal(err)
	}
	n := st.DocCount
	for _, field := range []string{"desc_en", "title_fr", "org", "title", "sdg"} {
		term := commonTerm(t, r, field)
		avg := float64(st.FieldCardinality[field]) / n
		if own, err := r.reader.FieldCardinality(field); err != nil || math.Ceil(float64(own)/n) == avg {
			t.Fatalf("%s: bleve's own average %v (%v) is ours, %v", field, math.Ceil(float64(own)/n), err, avg)
		}
		tq := query.NewTermQuery(term)
		tq.SetField(field)
		e, err := r.clause(ctx, &clauseQuery{q: tq}, false)
		if err != nil {
			t.Fatal(err)
		}
		tfr, err := r.reader.TermFieldReader(ctx, []byte(term), field, true, true, false)
		if err != nil {
			t.Fatal(err)
		}
		df := float64(tfr.Count())
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		i := 0
		for d, err := tfr.Next(nil); d != nil || err != nil; d, err = tfr.Next(nil) {
			if err != nil {
				t.Fatal(err)
			}
			num := uint32(d.ID.Value())
			for i < len(e.docs) && e.docs[i] < num {
				i++
			}
			if i == len(e.docs) || e.docs[i] != num {
				t.Fatalf("%s:%s: document %d not scored", field, term, num)
			}
			tf, length := math.Sqrt(float64(d.Freq)), 1/(d.Norm*d.Norm)
			want := idf * idf * tf * bsearch.BM25_k1 / (tf + bsearch.BM25_k1*(1-bsearch.BM25_b+bsearch.BM25_b*length/avg))
			if got := e.scores[i]; math.Abs(got-want) > 1e-9*want {
				t.Errorf("%s:%s: document %d scores %v, want %v (avg %v)", field, term, num, got, want, avg)
			}
		}
		tfr.Close()
		if i == 0 {
			t.Errorf("%s:%s: nothing compared", field, term)
		}
	}
}

// commonTerm returns the term of field found in the most documents.
func commonTerm(t *testing.T, r *run, field string) string {
	t.Helper()
	dict, err := r.reader.FieldDict(field)
	if err != nil {
		t.Fatal(err)
	}
	defer dict.Close()
	best, count := "", uint64(0)
	for de, err := dict.Next(); de != nil || err != nil; de, err = dict.Next() {
		if err != nil {
			t.Fatal(err)
		}
		if de.Count > count {
			best, count = de.Term, de.Count
		}
	}
	if best == "" {
		t.Fatalf("%s has no term", field)
	}
	return best
}

// TestAddLengthsLeavesOutDeleted checks the sum of a segment's field
// lengths without its deleted documents, long fields included.
func TestAddLengthsLeavesOutDeleted(t *testing.T) {
	fields := map[string]*fieldLengths{
		"a": {docs: 3, tokens: 5 + 7 + 70000, n: []uint16{5, 0, 7, math.MaxUint16}, long: map[uint32]uint32{3: 70000}},
		"b": {docs: 1, tokens: 2, n: []uint16{0, 2, 0, 0}},
	}
	for _, c := range []struct {
		name    string
		deleted *roaring.Bitmap
		want    map[string]fieldTotal
	}{
		{"none", nil, map[string]fieldTotal{"a": {3, 70012}, "b": {1, 2}}},
		{"a short one", roaring.BitmapOf(0), map[string]fieldTotal{"a": {2, 70007}, "b": {1, 2}}},
		{"the long one and b's", roaring.BitmapOf(1, 3), map[string]fieldTotal{"a": {2, 12}, "b": {0, 0}}},
	} {
		totals := map[string]*fieldTotal{"a": {docs: 10, tokens: 100}} // another segment's
		addLengths(totals, fields, c.deleted)
		c.want["a"] = fieldTotal{c.want["a"].docs + 10, c.want["a"].tokens + 100}
		for f, w := range c.want {
			if g := totals[f]; g == nil || *g != w {
				t.Errorf("%s: totals[%s] = %v, want %v", c.name, f, g, w)
			}
		}
	}
}
