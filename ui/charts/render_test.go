package charts

import (
	"html/template"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/ui/mapdata"
)

const evil = `<script>alert("x")</script>`

func sdgColor(n int) string {
	g, _ := search.SDGByNumber(n)
	return g.Color
}

// sample renders every chart from small data, some labels hostile.
func sample() map[string]template.HTML {
	years := []int{2015, 2016, 2017}
	series := []Series{
		{Name: "Government", Color: "#1F6FB2", Values: []int{4, 0, 7}, URLs: []string{"/s?y=2015&t=gov", "/s?y=2016&t=gov", "/s?y=2017&t=gov"}},
		{Name: evil, Color: `#fff" onload="x`, Values: []int{1, 2, 3}, URLs: []string{"javascript:alert(1)", "/ok", ""}},
	}
	bars := []Bar{
		{Label: "C1", Value: 12, Color: "#123456", URL: "/s?al=C1"},
		{Label: evil, Value: 5, Color: sdgColor(7), URL: "/s?al=C2"},
		{Label: "C3", Value: 0, URL: "/s?al=C3"},
	}
	rows := []Axis{{Label: "C1", Title: "Public authorities", URL: "/al/C1"}, {Label: evil}}
	cols := []Axis{{Label: "3", Title: "Good Health", Color: sdgColor(3)}, {Label: "4", Color: sdgColor(4)}, {Label: "5", Color: "nope"}}
	cells := [][]Cell{
		{{Count: 9, Linked: true, URL: "/s?al=C1&sdg=3"}, {Count: 0, Linked: true, URL: "/s?al=C1&sdg=4"}, {Count: 2}},
		{{Count: 1, URL: "/s?x"}}, // short row: the rest count as empty
	}
	counts := map[string]int{"KEN": 120, "BRA": 7, "FRA": 1, "IND": 300, "XIN": 50, "SGP": 4}
	names := map[string]string{"KEN": "Kenya", "IND": evil}
	return map[string]template.HTML{
		"stacked":   StackedBars("Entries per year "+evil, years, series, 640, 300),
		"hbars":     HBars("Per action line", bars, 600),
		"heatmap":   Heatmap("Action line × SDG", rows, cols, cells, 600),
		"map":       Choropleth("World", mapdata.World(), counts, func(c string) string { return "/s?country=" + c }, func(c string) string { return names[c] }),
		"histogram": Histogram([]Bar{{Label: "2015", Value: 3, URL: "/y/2015"}, {Label: "2016", Value: 0}, {Label: evil, Value: 8, URL: "/y/2017"}}, 200, 50),
	}
}

func TestWellFormedAndEscaped(t *testing.T) {
	for name, out := range sample() {
		t.Run(name, func(t *testing.T) {
			parseSVG(t, out)
			s := string(out)
			for _, bad := range []string{"<script", "javascript:", `onload="`, "style="} {
				if strings.Contains(s, bad) {
					t.Errorf("%s output contains %q", name, bad)
				}
			}
		})
	}
	// The hostile label is there, escaped, wherever a chart shows it.
	for _, name := range []string{"stacked", "hbars", "heatmap", "map", "histogram"} {
		if !strings.Contains(string(sample()[name]), "&lt;script&gt;") {
			t.Errorf("%s output lacks the escaped label", name)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := sample(), sample()
	for name := range a {
		if a[name] != b[name] {
			t.Errorf("%s renders differently twice", name)
		}
	}
}

func TestStackedBars(t *testing.T) {
	nodes := parseSVG(t, sample()["stacked"])
	wantTitles := []string{"Government, 2015: 4", "Government, 2017: 7", evil + ", 2015: 1", evil + ", 2016: 2", evil + ", 2017: 3"}
	if got := titles(nodes); !slices.Equal(sorted(got), sorted(wantTitles)) {
		t.Errorf("segment titles = %q, want %q", got, wantTitles)
	}
	// The javascript: URL and the empty one leave their segments unlinked.
	wantHrefs := []string{"/s?y=2015&t=gov", "/ok", "/s?y=2017&t=gov"} // year by year
	if got := hrefs(nodes); !slices.Equal(got, wantHrefs) {
		t.Errorf("links = %q, want %q", got, wantHrefs)
	}
	if desc := nodes[2].text; !strings.Contains(desc, "2015–2017") || !strings.Contains(desc, "Government: 11") {
		t.Errorf("desc = %q, want the year range and series totals", desc)
	}
	for _, y := range []string{"2015", "2016", "2017"} {
		if !hasText(nodes, y) {
			t.Errorf("no axis label %s", y)
		}
	}
}

func TestHBars(t *testing.T) {
	nodes := parseSVG(t, sample()["hbars"])
	want := []string{"C1: 12", evil + ": 5", "C3: 0"}
	if got := titles(nodes); !slices.Equal(got, want) {
		t.Errorf("titles = %q, want %q", got, want)
	}
	if got := hrefs(nodes); len(got) != 3 {
		t.Errorf("links = %q, want 3", got)
	}
	// Zero draws no bar; the others are in their own colours.
	var fills []string
	for _, n := range nodes {
		if n.name == "rect" {
			fills = append(fills, n.attrs["fill"])
		}
	}
	if wantFills := []string{"#123456", sdgColor(7)}; !slices.Equal(fills, wantFills) {
		t.Errorf("bar fills = %q, want %q", fills, wantFills)
	}
	if !hasText(nodes, "12") || !hasText(nodes, "0") {
		t.Error("bar values not written")
	}
}

func TestHeatmap(t *testing.T) {
	nodes := parseSVG(t, sample()["heatmap"])
	got := titles(nodes)
	for _, want := range []string{"Public authorities × Good Health: 9", "Public authorities × 4: 0", evil + " × Good Health: 1", evil + " × 5: 0"} {
		if !slices.Contains(got, want) {
			t.Errorf("titles %q lack %q", got, want)
		}
	}
	circles, headerFill := 0, ""
	for _, n := range nodes {
		if n.name == "circle" {
			circles++
		}
		if n.name == "rect" && headerFill == "" {
			headerFill = n.attrs["fill"]
		}
	}
	if circles != 2 {
		t.Errorf("%d linked dots, want 2", circles)
	}
	if headerFill != sdgColor(3) {
		t.Errorf("first header fill = %s, want SDG 3's %s", headerFill, sdgColor(3))
	}
	if h := hrefs(nodes); !slices.Contains(h, "/al/C1") || !slices.Contains(h, "/s?al=C1&sdg=3") || len(h) != 4 {
		t.Errorf("links = %q, want the row header and 3 cells", h)
	}
	// The first text is SDG 3's header, in the colour search.TextColor picks.
	for _, n := range nodes {
		if n.name == "text" {
			if n.text != "3" || n.attrs["fill"] != search.TextColor(sdgColor(3)) {
				t.Errorf("header text %q in %s, want \"3\" in %s", n.text, n.attrs["fill"], search.TextColor(sdgColor(3)))
			}
			break
		}
	}
}

func TestChoropleth(t *testing.T) {
	out := sample()["map"]
	if len(out) > 160<<10 {
		t.Errorf("map is %d bytes, want ≤ 160 KiB", len(out))
	}
	nodes := parseSVG(t, out)
	m := mapdata.World()
	if h := hrefs(nodes); len(h) != len(m.Countries) || !slices.Contains(h, "/s?country=KEN") {
		t.Errorf("%d country links, want %d including KEN", len(h), len(m.Countries))
	}
	got := titles(nodes)
	for _, want := range []string{"Kenya: 120", evil + ": 300", ": 7"} {
		if !slices.Contains(got, want) {
			t.Errorf("titles lack %q", want)
		}
	}
	fills := map[string]int{}
	for _, n := range nodes {
		if n.name == "path" {
			fills[n.attrs["fill"]]++
		}
	}
	// Classes for a maximum of 300 end at 3, 10, 30, 100 and 300.
	want := map[string]int{emptyColor: len(m.Countries) - 4, scale[4]: 2, scale[1]: 1, scale[0]: 1}
	if !maps.Equal(fills, want) {
		t.Errorf("fills = %v, want %v", fills, want)
	}
	// Codes off the map (XIN, SGP) still reach the description, by count.
	if desc, want := nodes[2].text, evil+": 300; Kenya: 120; : 50; : 7; : 4; : 1"; desc != want {
		t.Errorf("desc = %q, want %q", desc, want)
	}
	if !hasText(nodes, "101–300") {
		t.Errorf("legend lacks the top class")
	}
	// Without urlFor there are no links and the chart is an image.
	plain := parseSVG(t, Choropleth("World", m, nil, nil, nil))
	if h := hrefs(plain); len(h) != 0 || plain[0].attrs["role"] != "img" {
		t.Errorf("nil urlFor: %d links, role %q; want 0, img", len(h), plain[0].attrs["role"])
	}
}

func TestHistogram(t *testing.T) {
	nodes := parseSVG(t, sample()["histogram"])
	if nodes[1].text != "2015–"+evil {
		t.Errorf("title = %q, want the label range", nodes[1].text)
	}
	if got, want := titles(nodes), []string{"2015: 3", "2016: 0", evil + ": 8"}; !slices.Equal(got, want) {
		t.Errorf("titles = %q, want %q", got, want)
	}
	if got := hrefs(nodes); !slices.Equal(got, []string{"/y/2015", "/y/2017"}) {
		t.Errorf("links = %q", got)
	}
	empty := parseSVG(t, Histogram(nil, 100, 40))
	if len(hrefs(empty)) != 0 {
		t.Error("empty histogram has links")
	}
}

func TestEmptyInputs(t *testing.T) {
	for name, out := range map[string]template.HTML{
		"stacked": StackedBars("t", nil, nil, 0, 0),
		"hbars":   HBars("t", nil, 0),
		"heatmap": Heatmap("t", nil, nil, nil, 0),
	} {
		t.Run(name, func(t *testing.T) { parseSVG(t, out) })
	}
}

func hasText(nodes []node, s string) bool {
	for _, n := range nodes {
		if n.name == "text" && n.text == s {
			return true
		}
	}
	return false
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
