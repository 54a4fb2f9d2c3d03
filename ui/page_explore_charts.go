package ui

import (
	"html/template"
	"sort"
	"strconv"

	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/ui/charts"
	"github.com/itu-stocktaking/stocktaking/ui/mapdata"
)

// figureView is one chart with its title, caption and the same numbers as
// a table (inside <details>), so that nothing needs the picture to be read.
type figureView struct {
	ID      string
	Title   string
	Caption string
	SVG     template.HTML
	Kind    string // CSS hook: bars, stacked, heatmap, map
	Table   tableView
	Level   int // heading level of the title: 2 or 3
}

// tableView is a chart's data table. The first column names the rows.
type tableView struct {
	Summary string   // the <details> label, "Data table"
	Head    []string // every column header, the row header's first
	Rows    []tableRow
}

// tableRow is one row: a header (a link to the search when URL is set)
// and its cells.
type tableRow struct {
	Label, URL string
	Cells      []string
}

// stakeholderColors tell the stakeholder types apart in the stacked bars;
// each keeps at least 4.5:1 against white.
var stakeholderColors = map[string]string{
	"government":                 "#1F5FA8",
	"private-sector":             "#B5470F",
	"civil-society":              "#2E7D32",
	"international-organization": "#6A3D9A",
	"academia":                   "#8A6100",
	"other":                      "#5A6570",
}

// barColor is the default bar fill (the page's blue).
const barColor = "#1A6FC0"

// Chart widths in SVG user units; the SVG scales to its box.
const (
	wideChart   = 880
	narrowChart = 520
	smallChart  = 360
)

// countsOf turns facet values into a map value → count.
func countsOf(vals []search.FacetValue) map[string]int {
	m := make(map[string]int, len(vals))
	for _, v := range vals {
		m[v.Value] += v.Count
	}
	return m
}

// tableLabel is the <details> label of every data table.
func newTable(l *locale, head ...string) tableView {
	return tableView{Summary: l.T("chart.table"), Head: head}
}

// yearFigure is entries per edition year, stacked by stakeholder type.
func yearFigure(l *locale, stats *search.Stats, st searchState) figureView {
	lang := l.Code
	var years []int
	for y := range stats.YearStakeholder {
		if y > 0 {
			years = append(years, y)
		}
	}
	sort.Ints(years)
	if len(years) > 0 {
		first, last := years[0], years[len(years)-1]
		years = years[:0]
		for y := first; y <= last; y++ {
			years = append(years, y)
		}
	}
	// Unknown stakeholder codes count as "other".
	byYear := make(map[int]map[string]int, len(years))
	for y, m := range stats.YearStakeholder {
		byYear[y] = map[string]int{}
		for code, n := range m {
			if _, ok := stakeholderColors[code]; !ok {
				code = "other"
			}
			byYear[y][code] += n
		}
	}
	title := l.T("explore.years")
	fig := figureView{ID: "fig-years", Title: title, Caption: l.T("explore.years_caption"), Kind: "stacked", Level: 2}
	head := []string{l.T("facet.year")}
	var series []charts.Series
	for _, sh := range search.Stakeholders {
		s := charts.Series{Name: sh.Name.In(lang), Color: stakeholderColors[sh.Code]}
		total := 0
		for _, y := range years {
			n := byYear[y][sh.Code]
			total += n
			s.Values = append(s.Values, n)
			s.URLs = append(s.URLs, st.withOnly(search.FacetYear, strconv.Itoa(y)).withOnly(search.FacetStakeholder, sh.Code).URL())
		}
		if total > 0 {
			series = append(series, s)
			head = append(head, s.Name)
		}
	}
	fig.SVG = charts.StackedBars(title, years, series, wideChart, 300)
	fig.Table = newTable(l, append(head, l.T("chart.total"))...)
	for i, y := range years {
		row := tableRow{Label: strconv.Itoa(y), URL: st.withOnly(search.FacetYear, strconv.Itoa(y)).URL()}
		total := 0
		for _, s := range series {
			row.Cells = append(row.Cells, l.Number(s.Values[i]))
			total += s.Values[i]
		}
		row.Cells = append(row.Cells, l.Number(total))
		fig.Table.Rows = append(fig.Table.Rows, row)
	}
	return fig
}

// actionLineLabel is "C7.3 E-learning".
func actionLineLabel(code, lang string) string {
	return code + " " + actionLineName(code, lang)
}

// actionLineFigure is entries per action line, C7 and its sub-lines
// included (an entry of a sub-line also counts in C7). A small one, for a
// narrow column, labels its bars with the codes only (names in tooltips).
func actionLineFigure(l *locale, counts map[string]int, st searchState, id string, level int, small bool) figureView {
	title := l.T("explore.action_lines")
	fig := figureView{ID: id, Title: title, Caption: l.T("explore.action_lines_caption"), Kind: "bars", Level: level}
	fig.Table = newTable(l, l.T("chips.action_line"), l.T("chart.entries"))
	var bars []charts.Bar
	for _, al := range search.ActionLines {
		n := counts[al.Code]
		label := actionLineLabel(al.Code, l.Code)
		u := st.withOnly(search.FacetActionLine, al.Code).URL()
		short := label
		if small {
			short = al.Code
		}
		bars = append(bars, charts.Bar{Label: short, Title: label + ": " + l.Number(n), Value: n, Color: barColor, URL: u})
		fig.Table.Rows = append(fig.Table.Rows, tableRow{Label: label, URL: u, Cells: []string{l.Number(n)}})
	}
	width := narrowChart
	if small {
		width, fig.Kind = smallChart, "bars small"
	}
	fig.SVG = charts.HBars(title, bars, width)
	return fig
}

// sdgLabel is "4 Quality Education".
func sdgLabel(n int, lang string) string {
	return strconv.Itoa(n) + " " + sdgName(n, lang)
}

// sdgFigure is entries per SDG in the goals' official colours.
func sdgFigure(l *locale, counts map[string]int, st searchState) figureView {
	title := l.T("explore.sdgs")
	fig := figureView{ID: "fig-sdgs", Title: title, Caption: l.T("explore.sdgs_caption"), Kind: "bars", Level: 2}
	fig.Table = newTable(l, l.T("chips.sdg"), l.T("chart.entries"))
	var bars []charts.Bar
	for _, g := range search.SDGs {
		v := strconv.Itoa(g.Number)
		n := counts[v]
		label := sdgLabel(g.Number, l.Code)
		u := st.withOnly(search.FacetSDG, v).URL()
		bars = append(bars, charts.Bar{Label: label, Title: label + ": " + l.Number(n), Value: n, Color: g.Color, URL: u})
		fig.Table.Rows = append(fig.Table.Rows, tableRow{Label: label, URL: u, Cells: []string{l.Number(n)}})
	}
	fig.SVG = charts.HBars(title, bars, narrowChart)
	return fig
}

// matrixLines are the heatmap's rows: the 18 lines of the WSIS–SDG
// Matrix (the prize categories), C7 being split into its sub-lines.
func matrixLines() []search.ActionLine {
	var out []search.ActionLine
	for _, al := range search.ActionLines {
		if al.Category > 0 {
			out = append(out, al)
		}
	}
	return out
}

// heatmapFigure is the Action Line × SDG grid, with the pairs linked by
// the WSIS–SDG Matrix marked by a dot.
func heatmapFigure(l *locale, matrix map[string]map[int]int, st searchState) figureView {
	lang := l.Code
	title := l.T("explore.matrix")
	fig := figureView{ID: "fig-matrix", Title: title, Caption: l.T("explore.matrix_caption"), Kind: "heatmap", Level: 2}
	cells := search.MatrixCells()
	linked := func(code string, g int) bool {
		for _, x := range cells[code] {
			if x == g {
				return true
			}
		}
		return false
	}
	var cols []charts.Axis
	head := []string{l.T("chips.action_line")}
	for _, g := range search.SDGs {
		v := strconv.Itoa(g.Number)
		cols = append(cols, charts.Axis{Label: v, Title: l.T("sdg.short", g.Number) + " · " + sdgName(g.Number, lang),
			Color: g.Color, URL: st.withOnly(search.FacetSDG, v).URL()})
		head = append(head, l.T("sdg.short", g.Number))
	}
	fig.Table = newTable(l, head...)
	var rows []charts.Axis
	var grid [][]charts.Cell
	for _, al := range matrixLines() {
		name := actionLineLabel(al.Code, lang)
		u := st.withOnly(search.FacetActionLine, al.Code)
		rows = append(rows, charts.Axis{Label: al.Code, Title: name, URL: u.URL()})
		row := make([]charts.Cell, 0, len(search.SDGs))
		tr := tableRow{Label: name, URL: u.URL()}
		for _, g := range search.SDGs {
			n := matrix[al.Code][g.Number]
			mark := linked(al.Code, g.Number)
			// 306 cells: the tooltips stay short (codes, not names), and
			// an empty cell links nowhere, to keep the page light.
			tip := al.Code + " × " + l.T("sdg.short", g.Number) + ": " + l.Number(n)
			if mark {
				tip += " (" + l.T("explore.matrix_linked") + ")"
			}
			cell := charts.Cell{Count: n, Linked: mark, Title: tip}
			if n > 0 {
				cell.URL = u.withOnly(search.FacetSDG, strconv.Itoa(g.Number)).URL()
			}
			row = append(row, cell)
			text := l.Number(n)
			if mark {
				text += " •"
			}
			tr.Cells = append(tr.Cells, text)
		}
		grid = append(grid, row)
		fig.Table.Rows = append(fig.Table.Rows, tr)
	}
	fig.SVG = charts.Heatmap(title, rows, cols, grid, wideChart)
	return fig
}

// mapFigure is the world map coloured by entries per country.
func mapFigure(l *locale, counts map[string]int, st searchState) figureView {
	lang := l.Code
	title := l.T("explore.map")
	fig := figureView{ID: "fig-map", Title: title, Caption: l.T("explore.map_caption"), Kind: "map", Level: 2}
	urlFor := func(iso3 string) string { return st.withOnly(search.FacetCountry, iso3).URL() }
	label := func(iso3 string) string { return facetLabel(search.FacetCountry, iso3, lang) }
	fig.SVG = charts.Choropleth(title, mapdata.World(), counts, urlFor, label)
	fig.Table = newTable(l, l.T("field.country"), l.T("chart.entries"))
	codes := make([]string, 0, len(counts))
	for code, n := range counts {
		if n > 0 {
			codes = append(codes, code)
		}
	}
	sort.Slice(codes, func(i, j int) bool {
		if counts[codes[i]] != counts[codes[j]] {
			return counts[codes[i]] > counts[codes[j]]
		}
		return codes[i] < codes[j]
	})
	for _, code := range codes {
		fig.Table.Rows = append(fig.Table.Rows, tableRow{Label: label(code), URL: urlFor(code), Cells: []string{l.Number(counts[code])}})
	}
	return fig
}

// termFigure is a small bar chart of a vocabulary (regions, stakeholder
// types), in the vocabulary's order, each bar linking to its filter.
func termFigure(l *locale, id, title, facet string, terms []search.Term, counts map[string]int, st searchState, level int) figureView {
	fig := figureView{ID: id, Title: title, Kind: "bars small", Level: level}
	fig.Table = newTable(l, l.T("facet."+facet), l.T("chart.entries"))
	var bars []charts.Bar
	for _, t := range terms {
		n := counts[t.Code]
		if n == 0 && t.Code == "international" {
			continue // the pseudo-region only shows when it has entries
		}
		name := t.Name.In(l.Code)
		u := st.withOnly(facet, t.Code).URL()
		color := barColor
		if c, ok := stakeholderColors[t.Code]; ok && facet == search.FacetStakeholder {
			color = c
		}
		bars = append(bars, charts.Bar{Label: name, Title: name + ": " + l.Number(n), Value: n, Color: color, URL: u})
		fig.Table.Rows = append(fig.Table.Rows, tableRow{Label: name, URL: u, Cells: []string{l.Number(n)}})
	}
	fig.SVG = charts.HBars(title, bars, smallChart)
	return fig
}

// entryCounts counts entries by region, stakeholder type and action line
// (an entry of a C7 sub-line also counts in C7, as in the facets).
func entryCounts(entries []*search.Entry) (regions, stakeholders, lines map[string]int) {
	regions, stakeholders, lines = map[string]int{}, map[string]int{}, map[string]int{}
	for _, e := range entries {
		vals := search.FacetValues(e)
		for _, r := range vals[search.FacetRegion] {
			regions[r]++
		}
		for _, s := range vals[search.FacetStakeholder] {
			stakeholders[s]++
		}
		for _, a := range vals[search.FacetActionLine] {
			lines[a]++
		}
	}
	return regions, stakeholders, lines
}

// balanceFigures are the region, stakeholder and action line balance of a
// list of entries (a shortlist), as small charts.
func balanceFigures(l *locale, entries []*search.Entry, st searchState) []figureView {
	if len(entries) == 0 {
		return nil
	}
	regions, stakeholders, lines := entryCounts(entries)
	return []figureView{
		termFigure(l, "bal-region", l.T("balance.region"), search.FacetRegion, search.Regions, regions, st, 3),
		termFigure(l, "bal-stakeholder", l.T("balance.stakeholder"), search.FacetStakeholder, search.Stakeholders, stakeholders, st, 3),
		actionLineFigure(l, lines, st, "bal-al", 3, true),
	}
}
