package charts

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
)

// StackedBars draws one vertical bar per year, stacked by series (entries
// per year by stakeholder type), with a legend on top and a y axis. Each
// segment links to its series' URL for that year and has a tooltip
// "Name, year: count". w and h set the viewBox; the SVG scales to its box.
func StackedBars(title string, years []int, series []Series, w, h int) template.HTML {
	W, H := float64(max(w, 120)), float64(max(h, 100))
	var b svgBuilder
	totals := make([]Bar, 0, len(series))
	linked := false
	for _, s := range series {
		t := 0
		for i, v := range s.Values {
			if i < len(years) {
				t += v
				linked = linked || v > 0 && i < len(s.URLs) && safeURL(s.URLs[i]) != ""
			}
		}
		totals = append(totals, Bar{Label: s.Name, Value: t})
	}
	desc := summary(totals)
	if len(years) > 0 {
		desc = fmt.Sprintf("%d–%d. %s", years[0], years[len(years)-1], desc)
	}
	b.open("stacked", title, desc, W, H, linked)

	// Legend, wrapped into rows.
	const row = 18.0
	x, y := 0.0, 0.0
	for _, s := range series {
		item := 14 + textWidth(s.Name, fontSize) + 14
		if x > 0 && x+item > W {
			x, y = 0, y+row
		}
		b.rect(x, y+3, 10, 10, color(s.Color, defaultColor))
		b.text(x+14, y+12, "start", textColor, s.Name)
		x += item
	}
	legendH := y + row + 6
	if len(series) == 0 {
		legendH = 6
	}

	// Axis and grid.
	stack := make([]int, len(years))
	for _, s := range series {
		for i := range years {
			if i < len(s.Values) {
				stack[i] += max(s.Values[i], 0)
			}
		}
	}
	top, step := niceMax(maxOf(stack))
	left := textWidth(strconv.Itoa(top), fontSize) + 8
	right, plotTop, plotBottom := W-2, legendH+6, H-20
	if plotBottom-plotTop < 40 {
		plotBottom = plotTop + 40
	}
	yOf := func(v int) float64 {
		return plotBottom - float64(v)/float64(top)*(plotBottom-plotTop)
	}
	for v := 0; v <= top; v += step {
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`,
			num(left), num(yOf(v)), num(right), num(yOf(v)), gridColor)
		b.text(left-4, yOf(v)+4, "end", mutedText, strconv.Itoa(v))
	}
	if len(years) == 0 {
		return b.close()
	}

	// Bars, bottom up in series order.
	band := (right - left) / float64(len(years))
	barW := band * 0.7
	labelEvery := int(math.Ceil((textWidth("0000", fontSize) + 6) / band))
	for i, year := range years {
		x := left + float64(i)*band + (band-barW)/2
		base := 0
		for _, s := range series {
			if i >= len(s.Values) || s.Values[i] <= 0 {
				continue
			}
			v := s.Values[i]
			href := ""
			if i < len(s.URLs) {
				href = s.URLs[i]
			}
			opened := b.link(href, fmt.Sprintf("%s, %d: %d", s.Name, year, v))
			b.rect(x, yOf(base+v), barW, yOf(base)-yOf(base+v), color(s.Color, defaultColor))
			b.endLink(opened)
			base += v
		}
		if i%labelEvery == 0 {
			b.text(x+barW/2, plotBottom+15, "middle", textColor, strconv.Itoa(year))
		}
	}
	return b.close()
}

// HBars draws one labelled horizontal bar per item (entries per action line
// or per SDG), each in its own colour with its count at the end. The height
// follows from the number of bars; w sets the viewBox width.
func HBars(title string, bars []Bar, w int) template.HTML {
	const rowH, barH = 22.0, 14.0
	W := float64(max(w, 120))
	H := float64(len(bars))*rowH + 4
	linked := false
	labelW, maxV := 0.0, 0
	for _, bar := range bars {
		labelW = math.Max(labelW, textWidth(bar.Label, fontSize))
		maxV = max(maxV, bar.Value)
		linked = linked || safeURL(bar.URL) != ""
	}
	labelW = math.Min(labelW+8, W*0.4)
	valueW := textWidth(strconv.Itoa(maxV), fontSize) + 6
	span := W - labelW - valueW - 2

	var b svgBuilder
	b.open("hbars", title, summary(bars), W, H, linked)
	for i, bar := range bars {
		y := float64(i)*rowH + 2
		opened := b.link(bar.URL, tooltip(bar))
		b.text(labelW-6, y+barH-2, "end", textColor, truncate(bar.Label, labelW-6, fontSize))
		length := 0.0
		if maxV > 0 && bar.Value > 0 {
			length = math.Max(1, float64(bar.Value)/float64(maxV)*span)
			b.rect(labelW, y, length, barH, color(bar.Color, defaultColor))
		}
		b.text(labelW+length+4, y+barH-2, "start", textColor, strconv.Itoa(bar.Value))
		b.endLink(opened)
	}
	return b.close()
}

// Histogram draws a small bar per value (entries per year for the search
// sidebar) with the first and last labels underneath. Its accessible name
// is the label range, "2004–2025"; each bar links to its URL and has the
// whole column as a click target.
func Histogram(values []Bar, w, h int) template.HTML {
	const labelH = 14.0
	W, H := float64(max(w, 40)), float64(max(h, 30))
	title := ""
	linked := false
	if n := len(values); n > 0 {
		title = values[0].Label
		if n > 1 {
			title += "–" + values[n-1].Label
		}
	}
	vals := make([]int, len(values))
	for i, v := range values {
		vals[i] = v.Value
		linked = linked || safeURL(v.URL) != ""
	}
	maxV := maxOf(vals)

	var b svgBuilder
	b.open("histogram", title, summary(values), W, H, linked)
	if len(values) == 0 {
		return b.close()
	}
	plotH := H - labelH
	band := W / float64(len(values))
	gap := math.Min(1, band*0.2)
	for i, v := range values {
		x := float64(i) * band
		opened := b.link(v.URL, tooltip(v))
		fmt.Fprintf(&b, `<rect x="%s" y="0" width="%s" height="%s" fill="#FFFFFF" fill-opacity="0"/>`,
			num(x), num(band), num(plotH))
		if maxV > 0 && v.Value > 0 {
			bh := math.Max(1, float64(v.Value)/float64(maxV)*(plotH-1))
			b.rect(x+gap/2, plotH-bh, band-gap, bh, color(v.Color, defaultColor))
		}
		b.endLink(opened)
	}
	fontY := H - 2
	fmt.Fprintf(&b, `<g font-size="11">`)
	b.text(0, fontY, "start", mutedText, values[0].Label)
	if len(values) > 1 {
		b.text(W, fontY, "end", mutedText, values[len(values)-1].Label)
	}
	b.WriteString("</g>")
	return b.close()
}

// tooltip is a bar's Title, or "Label: Value".
func tooltip(bar Bar) string {
	if bar.Title != "" {
		return bar.Title
	}
	return bar.Label + ": " + strconv.Itoa(bar.Value)
}

// maxOf returns the largest of vs, or 0.
func maxOf(vs []int) int {
	m := 0
	for _, v := range vs {
		m = max(m, v)
	}
	return m
}
