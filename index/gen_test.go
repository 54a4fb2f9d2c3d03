package index

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

// A small deterministic entry generator for the tests and benchmarks of this
// package (the product's generator lives in package fixtures).

var genWords = strings.Fields(`digital inclusion broadband access rural connectivity connected connecting
school schools teacher teachers learning education health clinic clinics hospital telemedicine women girls
youth skills training government services identity payment mobile money farmers agriculture market weather
climate energy solar water sanitation disaster early warning data open statistics library libraries archive
museum culture heritage language languages indigenous radio television media journalism ethics privacy
security cyber trust children online safety platform portal network networks fibre satellite spectrum policy
regulation innovation startup entrepreneurs employment jobs science research university universities
cooperation partnership regional international community communities elderly ageing disability accessible
accessibility smart city cities transport logistics trade commerce e-commerce cloud computing software
hardware recycling waste environment forest ocean fisheries tourism finance banking microfinance insurance
nutrition vaccine pandemic covid response recovery resilience emergency peace justice institutions
transparency participation citizens parliament elections census mapping geospatial drones robotics
artificial intelligence machine translation literacy numeracy curriculum scholarship mentoring coding
hackathon incubator accelerator`)

var genSpecial = []string{"Confío", "éducation", "santé", "Droits", "Consommateurs", "niños", "información"}

var genCountries = []struct{ code, region string }{
	{"KEN", "africa"}, {"NGA", "africa"}, {"GHA", "africa"}, {"SEN", "africa"}, {"RWA", "africa"},
	{"BRA", "americas"}, {"COL", "americas"}, {"MEX", "americas"}, {"USA", "americas"}, {"CAN", "americas"},
	{"EGY", "arab-states"}, {"ARE", "arab-states"}, {"TUN", "arab-states"}, {"SAU", "arab-states"},
	{"IND", "asia-pacific"}, {"CHN", "asia-pacific"}, {"KOR", "asia-pacific"}, {"IDN", "asia-pacific"},
	{"RUS", "cis"}, {"KAZ", "cis"}, {"UZB", "cis"},
	{"FRA", "europe"}, {"DEU", "europe"}, {"ESP", "europe"}, {"CHE", "europe"}, {"UKR", "europe"},
	{search.CountryInternational, "international"},
}

var (
	genLines        = []string{"C1", "C2", "C3", "C4", "C5", "C6", "C7.1", "C7.2", "C7.3", "C7.4", "C7.5", "C7.6", "C7.7", "C7.8", "C8", "C9", "C10", "C11"}
	genStakeholders = []string{"government", "private-sector", "civil-society", "international-organization", "academia", "other"}
	genCollections  = []string{"covid-19", "healthy-ageing", "women-in-tech", "indigenous-languages"}
	genPrizeStatus  = []string{"submitted", "nominated", "champion", "winner"}
	genLangs        = []string{"en", "en", "en", "en", "fr", "es", "ar", "ru", "zh"}
	genStatuses     = []string{"planned", "ongoing", "completed"}
)

// genText draws n words, favouring the start of the vocabulary (Zipf-like),
// so that some words are common and others rare.
func genText(r *rand.Rand, n int) string {
	ws := make([]string, n)
	for i := range ws {
		if r.IntN(40) == 0 {
			ws[i] = genSpecial[r.IntN(len(genSpecial))]
			continue
		}
		x := r.Float64()
		ws[i] = genWords[int(x*x*float64(len(genWords)))]
	}
	return strings.Join(ws, " ")
}

// genEntry returns the i-th generated entry of a seeded stream.
func genEntry(r *rand.Rand, i int) *search.Entry {
	c := genCountries[r.IntN(len(genCountries))]
	year := 2005 + r.IntN(21)
	e := &search.Entry{
		ID:           fmt.Sprintf("e%05d-%03d", (i*7919)%100000, r.IntN(1000)),
		Title:        genText(r, 3+r.IntN(5)),
		Description:  genText(r, 15+r.IntN(60)),
		Organization: "Org " + genWords[r.IntN(60)] + " " + genWords[r.IntN(30)],
		Stakeholder:  genStakeholders[r.IntN(len(genStakeholders))],
		Country:      c.code,
		Region:       c.region,
		Year:         year,
		Language:     genLangs[r.IntN(len(genLangs))],
		Status:       genStatuses[r.IntN(len(genStatuses))],
		Created:      time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC),
	}
	if r.IntN(3) == 0 {
		e.ShortDescription = genText(r, 10)
	}
	for n := 1 + r.IntN(3); len(e.ActionLines) < n; {
		e.ActionLines = appendUniq(e.ActionLines, genLines[r.IntN(len(genLines))])
	}
	for n := r.IntN(4); len(e.SDGs) < n; {
		g := 1 + r.IntN(17)
		if !containsInt(e.SDGs, g) {
			e.SDGs = append(e.SDGs, g)
		}
	}
	if r.IntN(6) == 0 {
		e.Collections = []string{genCollections[r.IntN(len(genCollections))]}
	}
	for n := r.IntN(8) / 5; n > 0; n-- {
		e.Prizes = append(e.Prizes, search.Prize{Year: 2012 + r.IntN(14), Category: 1 + r.IntN(18), Status: genPrizeStatus[r.IntN(4)]})
	}
	// One prize record in three gets a second one the next year, in
	// another status (drawing nothing from r, so the other fields stay
	// as they were): prize filters must match within one record.
	if len(e.Prizes) == 1 && e.Prizes[0].Year%3 == 0 {
		p := e.Prizes[0]
		e.Prizes = append(e.Prizes, search.Prize{Year: p.Year + 1, Category: p.Category%18 + 1,
			Status: genPrizeStatus[(slices.Index(genPrizeStatus, p.Status)+1)%len(genPrizeStatus)]})
	}
	if r.IntN(50) == 0 {
		e.Title += " <script>alert(1)</script>"
		e.Description = "Beware <script>alert('x')</script> & digital inclusion " + e.Description
	}
	return e
}

func appendUniq(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// genEntries returns n entries from seed.
func genEntries(seed uint64, n int) []*search.Entry {
	r := rand.New(rand.NewPCG(seed, 42))
	out := make([]*search.Entry, n)
	for i := range out {
		out[i] = genEntry(r, i)
	}
	return out
}

// mustOpen opens a fresh index under t.TempDir, closed at cleanup.
func mustOpen(tb testing.TB, entries []*search.Entry) *Index {
	tb.Helper()
	ix, rebuild, _, err := Open(tb.TempDir()+"/index", Options{Logger: zerolog.Nop()})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	if !rebuild {
		tb.Fatalf("Open on an empty dir: rebuild = false, want true")
	}
	if len(entries) > 0 {
		if err := ix.Apply(entries, 1); err != nil {
			tb.Fatalf("Apply: %v", err)
		}
	}
	return ix
}
