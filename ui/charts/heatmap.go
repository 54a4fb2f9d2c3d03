package charts

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
)

// Heatmap draws a rows × columns grid (WSIS Action Line × SDG) whose cells
// darken with their count, with the count written in cells large enough
// and a dot on cells whose pair the WSIS–SDG matrix links, so gaps (linked
// pairs with few entries) stand out. cells[r][c] belongs to rows[r] and
// cols[c]; missing cells count as empty. Column headers take their Axis
// colour (the SDG colours). A colour legend follows the grid; the page's
// caption should explain the dot. w sets the viewBox width; the height
// follows from the grid.
func Heatmap(title string, rows, cols []Axis, cells [][]Cell, w int) template.HTML {
	W := float64(max(w, 120))
	at := func(r, c int) Cell {
		if r < len(cells) && c < len(cells[r]) {
			return cells[r][c]
		}
		return Cell{}
	}

	labelW := 0.0
	for _, r := range rows {
		labelW = math.Max(labelW, textWidth(r.Label, fontSize))
	}
	labelW = math.Min(labelW+8, W*0.3)
	cell := 0.0
	if len(cols) > 0 {
		cell = (W - labelW - 2) / float64(len(cols))
	}
	headerH := math.Min(cell, 28) + 2
	gridH := float64(len(rows)) * cell
	const legendH = 30.0
	H := headerH + gridH + legendH

	maxCount, linked := 0, false
	type ranked struct {
		r, c, count int
	}
	var top []ranked
	for r := range rows {
		linked = linked || safeURL(rows[r].URL) != ""
		for c := range cols {
			x := at(r, c)
			maxCount = max(maxCount, x.Count)
			linked = linked || safeURL(x.URL) != ""
			if x.Count > 0 {
				top = append(top, ranked{r, c, x.Count})
			}
		}
	}
	for _, c := range cols {
		linked = linked || safeURL(c.URL) != ""
	}
	sort.SliceStable(top, func(i, j int) bool { return top[i].count > top[j].count })
	items := make([]Bar, 0, min(len(top), maxDescItems+1))
	for _, t := range top[:min(len(top), maxDescItems+1)] {
		items = append(items, Bar{Label: rows[t.r].Label + " × " + cols[t.c].Label, Value: t.count})
	}
	bounds := classes(maxCount)

	var b svgBuilder
	b.open("heatmap", title, summary(items), W, H, linked)

	// Column headers: coloured chips.
	for c, col := range cols {
		x := labelW + float64(c)*cell
		bg := color(col.Color, "")
		opened := b.link(col.URL, axisTitle(col))
		fg := textColor
		if bg != "" {
			b.rect(x+1, 0, cell-2, headerH-2, bg)
			fg = onColor(bg)
		}
		b.text(x+cell/2, headerH/2+4, "middle", fg, truncate(col.Label, cell-2, fontSize))
		b.endLink(opened)
	}

	// Rows: header and cells.
	for r, row := range rows {
		y := headerH + float64(r)*cell
		opened := b.link(row.URL, axisTitle(row))
		b.text(labelW-6, y+cell/2+4, "end", textColor, truncate(row.Label, labelW-6, fontSize))
		b.endLink(opened)
		for c, col := range cols {
			x := labelW + float64(c)*cell
			v := at(r, c)
			fill := classColor(v.Count, bounds)
			tip := v.Title
			if tip == "" {
				tip = axisTitle(row) + " × " + axisTitle(col) + ": " + strconv.Itoa(v.Count)
			}
			opened := b.link(v.URL, tip)
			b.rect(x+1, y+1, cell-2, cell-2, fill)
			if v.Count > 0 && cell >= 18 {
				b.text(x+cell/2, y+cell/2+4, "middle", onColor(fill), strconv.Itoa(v.Count))
			}
			if v.Linked {
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s"/>`,
					num(x+cell-1-cell*0.14), num(y+1+cell*0.14), num(math.Max(1.5, cell*0.07)), onColor(fill))
			}
			b.endLink(opened)
		}
	}
	legend(&b, 0, headerH+gridH+8, bounds, fontSize)
	return b.close()
}

// axisTitle is an axis' Title, or its Label.
func axisTitle(a Axis) string {
	if a.Title != "" {
		return a.Title
	}
	return a.Label
}

// legend draws the "0" swatch and one swatch per class in a row from
// (x, y), with text of size px.
func legend(b *svgBuilder, x, y float64, bounds []int, px float64) {
	fmt.Fprintf(b, `<g font-size="%s">`, num(px))
	sw := px
	item := func(fill, label string) {
		b.rect(x, y, sw, sw, fill)
		b.text(x+sw+4, y+sw-1, "start", textColor, label)
		x += sw + 4 + textWidth(label, px) + px
	}
	item(emptyColor, "0")
	for i := range bounds {
		item(classColor(bounds[i], bounds), classLabel(i, bounds))
	}
	b.WriteString("</g>")
}
