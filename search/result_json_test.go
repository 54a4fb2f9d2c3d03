package search

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

func randString(rng *rand.Rand) string {
	parts := []string{"a", "Z", " ", "\"", "\\", "<", ">", "&", "\n", "\t", "\r", "\b", "\f", "\x00", "\x1f", "\x7f",
		"é", "日本", "\u2028", "\u2029", "\xff", "\xc3", "<mark>", "…", "'", "/", "😀"}
	var b []byte
	for n := rng.IntN(12); n > 0; n-- {
		b = append(b, parts[rng.IntN(len(parts))]...)
	}
	return string(b)
}

func randFloat(rng *rand.Rand) float64 {
	switch rng.IntN(6) {
	case 0:
		return 0
	case 1:
		return rng.Float64() * 1e-8
	case 2:
		return rng.Float64() * 1e25
	case 3:
		return -rng.Float64() * 100
	case 4:
		return float64(rng.IntN(1000))
	}
	return rng.Float64()
}

func randResult(rng *rand.Rand) *Result {
	r := &Result{Total: rng.IntN(100000), TookMS: randFloat(rng)}
	if rng.IntN(5) > 0 {
		r.Hits = []Hit{}
		for n := rng.IntN(4); n > 0; n-- {
			h := Hit{ID: randString(rng), Score: randFloat(rng), Title: randString(rng), Organization: randString(rng),
				Country: randString(rng), Year: rng.IntN(3000) - 10, Snippet: randString(rng), SortKey: "x"}
			if rng.IntN(2) == 0 {
				h.Region, h.Stakeholder = randString(rng), randString(rng)
			}
			if rng.IntN(3) > 0 {
				h.ActionLines = []string{}
				for k := rng.IntN(3); k > 0; k-- {
					h.ActionLines = append(h.ActionLines, randString(rng))
				}
			}
			if rng.IntN(3) > 0 {
				h.SDGs = []int{}
				for k := rng.IntN(3); k > 0; k-- {
					h.SDGs = append(h.SDGs, rng.IntN(18))
				}
			}
			switch rng.IntN(3) {
			case 0:
				h.Prizes = []Prize{}
			case 1:
				h.Prizes = []Prize{{Year: 2015, Category: rng.IntN(19), Status: randString(rng)}, {Year: -1, Status: ""}}
			}
			r.Hits = append(r.Hits, h)
		}
	}
	switch rng.IntN(3) {
	case 0:
		r.Facets = map[string][]FacetValue{}
	case 1:
		r.Facets = map[string][]FacetValue{}
		for n := rng.IntN(5); n > 0; n-- {
			var vals []FacetValue
			if rng.IntN(4) > 0 {
				vals = []FacetValue{}
			}
			for k := rng.IntN(4); k > 0; k-- {
				vals = append(vals, FacetValue{Value: randString(rng), Label: randString(rng), Count: rng.IntN(50) - 1,
					Selected: rng.IntN(2) == 0, Color: randString(rng), Parent: randString(rng)})
			}
			r.Facets[randString(rng)] = vals
		}
	}
	if rng.IntN(2) == 0 {
		r.ReadAs, r.DidYouMean, r.NextCursor = randString(rng), randString(rng), randString(rng)
	}
	switch rng.IntN(3) {
	case 0:
		r.Warnings = []string{}
	case 1:
		r.Warnings = []string{randString(rng), randString(rng)}
	}
	return r
}

// TestAppendJSONMatchesEncodingJSON compares AppendJSON with json.Marshal
// on random results: every optional field present, empty and nil, strings
// with every character encoding/json escapes, floats of every format.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for i := 0; i < 20000; i++ {
		r := randResult(rng)
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON:\n got %s\nwant %s", got, want)
		}
	}
}

func TestAppendJSONNotFinite(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := (&Result{TookMS: f}).AppendJSON(nil); err == nil {
			t.Errorf("TookMS %v: no error", f)
		}
		if _, err := (&Result{Hits: []Hit{{Score: f}}}).AppendJSON(nil); err == nil {
			t.Errorf("Score %v: no error", f)
		}
	}
}

func BenchmarkResultJSON(b *testing.B) {
	r := randResult(rand.New(rand.NewPCG(1, 1)))
	b.Run("encoding/json", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, _ = json.Marshal(r)
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		var buf []byte
		for i := 0; i < b.N; i++ {
			buf, _ = r.AppendJSON(buf[:0])
		}
	})
}
