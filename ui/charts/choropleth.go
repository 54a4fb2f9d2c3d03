package charts

import (
	"fmt"
	"html/template"
	"sort"
	"strconv"

	"github.com/itu-stocktaking/stocktaking/ui/mapdata"
)

// Choropleth draws the world map m with each country filled by its count on
// a sequential scale (classes growing geometrically, listed in a legend
// under the map). Every country links to urlFor(iso3) and has the tooltip
// "label(iso3): count"; a nil urlFor draws no links and a nil label uses
// the code. counts is keyed by ISO 3166-1 alpha-3; codes the map does not
// draw (small states, the INTERNATIONAL pseudo-country) still count in the
// legend and the description.
func Choropleth(title string, m *mapdata.Map, counts map[string]int, urlFor func(iso3 string) string, label func(iso3 string) string) template.HTML {
	if label == nil {
		label = func(code string) string { return code }
	}
	href := func(code string) string {
		if urlFor == nil {
			return ""
		}
		return urlFor(code)
	}
	var x0, y0, W, H float64
	if _, err := fmt.Sscanf(m.ViewBox, "%g %g %g %g", &x0, &y0, &W, &H); err != nil || W <= 0 || H <= 0 {
		x0, y0, W, H = 0, 0, 1000, 500
	}
	px := max(W/60, fontSize)
	legendH := px * 2.5

	codes := make([]string, 0, len(counts))
	maxCount := 0
	for code, n := range counts {
		if n > 0 {
			codes = append(codes, code)
			maxCount = max(maxCount, n)
		}
	}
	sort.Slice(codes, func(i, j int) bool {
		if counts[codes[i]] != counts[codes[j]] {
			return counts[codes[i]] > counts[codes[j]]
		}
		return codes[i] < codes[j]
	})
	items := make([]Bar, 0, min(len(codes), maxDescItems+1))
	for _, c := range codes[:min(len(codes), maxDescItems+1)] {
		items = append(items, Bar{Label: label(c), Value: counts[c]})
	}
	shapes := m.Codes()
	linked := false
	for _, c := range shapes {
		if safeURL(href(c)) != "" {
			linked = true
			break
		}
	}
	bounds := classes(maxCount)

	var b svgBuilder
	id := chartID("map", title)
	role := "img"
	if linked {
		role = "group"
	}
	// The map keeps its own viewBox origin, so open() (which starts at 0 0)
	// is not used here.
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-map" viewBox="%s %s %s %s" role="%s" aria-labelledby="%s-t %s-d" font-size="%s">`,
		num(x0), num(y0), num(W), num(H+legendH), role, id, id, num(px))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(summary(items)))
	b.WriteString(`<g stroke="#FFFFFF" stroke-width="0.5" stroke-linejoin="round">`)
	for _, code := range shapes {
		n := counts[code]
		opened := b.link(href(code), label(code)+": "+strconv.Itoa(n))
		fmt.Fprintf(&b, `<path d="%s" fill="%s"/>`, esc(m.Countries[code]), classColor(n, bounds))
		b.endLink(opened)
	}
	b.WriteString("</g>")
	legend(&b, x0+px/2, y0+H+px*0.5, bounds, px)
	return b.close()
}
