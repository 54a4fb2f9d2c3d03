package ui

import (
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestShowcase lists the winners and champions of a prize year by
// category, and of a category by year, with the balance and the export.
func TestShowcase(t *testing.T) {
	s, st, _ := newPageServer(t, pageEntries())
	// e3 was only submitted; e5 won in 2019 too, in another category.
	st.entries["e3"].Prizes = []search.Prize{{Year: 2022, Category: 9, Status: "submitted"}}
	st.entries["e5"].Prizes = []search.Prize{{Year: 2019, Category: 13, Status: "champion"}, {Year: 2021, Category: 13, Status: "winner"}}
	// e4 was also nominated in 2015, a round whose results are not recorded.
	st.entries["e4"].Prizes = append(st.entries["e4"].Prizes, search.Prize{Year: 2015, Category: 2, Status: "nominated"})
	tests := []struct {
		target       string
		want, absent []string
	}{
		{"/showcase", []string{ // the latest year
			"WSIS Prizes 2022: winners and champions", "0 winners and 1 champion.",
			`<a href="/showcase?year=2022" aria-current="page">2022</a>`,
			`<a href="/showcase?year=2021">2021</a>`, `<a href="/showcase?year=2019">2019</a>`,
			`<h2 id="g-5-h">Category 5 · C5 Building confidence and security in the use of ICTs</h2>`,
			"Cybersecurity awareness for schools",
			`<a class="v-csv" href="/api/v1/export?format=csv&amp;prize_status=winner,champion&amp;prize_year=2022" download>`,
			`<a class="v-search" href="/search?prize_status=winner,champion&amp;prize_year=2022">`,
			`<a href="/search?region=international&amp;prize_status=winner,champion&amp;prize_year=2022"><title>International: 1</title>`,
		}, []string{"Mobile learning in Arabic"}},
		{"/showcase?year=2019&lang=fr", []string{
			"Prix du SMSI 2019 : lauréats et champions", "1 lauréat et 1 champion.",
			`<h2 id="g-10-h">Catégorie 10 · C7.4 Cybersanté</h2>`,
			`<h2 id="g-13-h">Catégorie 13 · C7.7 Cyberagriculture</h2>`,
			`<span class="b prize prize-winner">Lauréat</span>`,
			`<a href="#g-10">C7.4</a>`,
		}, []string{"Cybersecurity awareness"}},
		{"/showcase?category=13", []string{
			"Winners and champions in C7.7 E-agriculture",
			`<h2 id="g-2021-h">2021</h2>`, `<h2 id="g-2019-h">2019</h2>`,
			`<a href="/showcase?category=13" aria-current="page">C7.7 E-agriculture</a>`,
			`href="/api/v1/export?format=csv&amp;prize_status=winner,champion&amp;prize_category=13"`,
		}, []string{"Digital health records"}},
		{"/showcase?category=2", []string{"No winners or champions are recorded here",
			"1 nominated project is recorded here, but not the results.",
			`<a href="/search?prize_status=nominated&amp;prize_category=2">See the nominated projects</a>`}, nil},
		{"/showcase?year=2015&lang=es", []string{`<a href="/showcase?year=2015&amp;lang=es" aria-current="page">2015</a>`,
			"Aquí consta 1 proyecto nominado, pero no los resultados.",
			`<a href="/search?prize_status=nominated&amp;prize_year=2015&amp;lang=es">Ver los proyectos nominados</a>`}, nil},
	}
	for _, tt := range tests {
		p := fetchPage(t, s, tt.target)
		if p.status != 200 {
			t.Fatalf("GET %s = %d, want 200", tt.target, p.status)
		}
		p.mustContain(t, tt.target, tt.want...)
		p.mustNotContain(t, tt.target, tt.absent...)
	}
	// The 2021 winner comes before its 2019 championship in the category view.
	p := fetchPage(t, s, "/showcase?category=13")
	if strings.Index(p.body, `id="g-2021"`) > strings.Index(p.body, `id="g-2019"`) {
		t.Errorf("category view: 2021 is not listed before 2019")
	}
	for _, bad := range []string{"/showcase?year=1999", "/showcase?category=19", "/showcase?status=winner"} {
		if p := fetchPage(t, s, bad); p.status != 400 {
			t.Errorf("GET %s = %d, want 400", bad, p.status)
		}
	}
}
