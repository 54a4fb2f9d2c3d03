package main

import (
	"math"
	"sort"
)

// metrics are the mean figures over the judged queries, following trec_eval:
// nDCG@10 with linear gains, MAP and R@100 counting gain > 0 as relevant.
type metrics struct {
	NDCG10, MAP, R100 float64
	Queries           int
}

// evaluate scores a run (query id → ranked doc ids) against graded qrels.
// Queries without a relevant document are not counted; queries in the qrels
// that the run lacks count as zero.
func evaluate(run map[string][]string, qrels map[string]map[string]int) metrics {
	var m metrics
	for _, qid := range sortedKeys(qrels) {
		rels := qrels[qid]
		nrel := 0
		var gains []int
		for _, g := range rels {
			if g > 0 {
				nrel++
				gains = append(gains, g)
			}
		}
		if nrel == 0 {
			continue
		}
		m.Queries++
		ranked := run[qid]
		// nDCG@10
		dcg := 0.0
		for i, id := range ranked {
			if i >= 10 {
				break
			}
			if g := rels[id]; g > 0 {
				dcg += float64(g) / math.Log2(float64(i+2))
			}
		}
		sort.Sort(sort.Reverse(sort.IntSlice(gains)))
		idcg := 0.0
		for i, g := range gains {
			if i >= 10 {
				break
			}
			idcg += float64(g) / math.Log2(float64(i+2))
		}
		m.NDCG10 += dcg / idcg
		// AP and R@100
		hits, sumPrec, hits100 := 0, 0.0, 0
		for i, id := range ranked {
			if rels[id] > 0 {
				hits++
				sumPrec += float64(hits) / float64(i+1)
				if i < 100 {
					hits100++
				}
			}
		}
		m.MAP += sumPrec / float64(nrel)
		m.R100 += float64(hits100) / float64(nrel)
	}
	if m.Queries > 0 {
		n := float64(m.Queries)
		m.NDCG10 /= n
		m.MAP /= n
		m.R100 /= n
	}
	return m
}
