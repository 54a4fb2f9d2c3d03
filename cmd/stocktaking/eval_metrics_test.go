package main

import (
	"math"
	"testing"
)

func TestEvaluate(t *testing.T) {
	qrels := map[string]map[string]int{
		"1": {"a": 3, "b": 1, "z": 0},
		"2": {"c": 2},
		"3": {"x": 0}, // no relevant document: not counted
	}
	tests := []struct {
		name string
		run  map[string][]string
		want metrics
	}{
		{"perfect", map[string][]string{"1": {"a", "b"}, "2": {"c"}}, metrics{1, 1, 1, 2}},
		{"empty run", map[string][]string{}, metrics{0, 0, 0, 2}},
		{"swapped", map[string][]string{"1": {"b", "a"}, "2": {"q", "c"}},
			metrics{
				NDCG10: ((1+3/math.Log2(3))/(3+1/math.Log2(3)) + (2 / math.Log2(3) / 2)) / 2,
				MAP:    ((1.0+1.0)/2 + 0.5) / 2,
				R100:   1, Queries: 2,
			}},
	}
	for _, tt := range tests {
		got := evaluate(tt.run, qrels)
		if math.Abs(got.NDCG10-tt.want.NDCG10) > 1e-9 || math.Abs(got.MAP-tt.want.MAP) > 1e-9 ||
			math.Abs(got.R100-tt.want.R100) > 1e-9 || got.Queries != tt.want.Queries {
			t.Errorf("%s: evaluate = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
