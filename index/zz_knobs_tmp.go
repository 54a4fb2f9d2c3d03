package index

import (
	"os"
	"strconv"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

func knob(name string, def float64) float64 {
	if v := os.Getenv(name); v != "" {
		f, _ := strconv.ParseFloat(v, 64)
		return f
	}
	return def
}

var (
	kAll   = knob("K_ALL", 1)
	kProx  = knob("K_PROX", 0.5)
	kCoord = knob("K_COORD", 1)
	kIDF   = knob("K_IDF", 0)
	kPlain = knob("K_PLAIN", 0)
	kBody  = knob("K_BODY", 0)
	kFB    = knob("K_FB", 1)
)

func init() {
	textFields[0].boost = knob("K_TB", 3)
	textFields[2].boost = knob("K_DB", 1)
	bsearch.BM25_k1 = knob("K_K1", 1.2)
	bsearch.BM25_b = knob("K_B", 0.75)
}
