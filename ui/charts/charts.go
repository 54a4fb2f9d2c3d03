// Package charts renders the explore page's charts as static, accessible
// SVG: stacked bars, horizontal bars, a heatmap, a world choropleth and a
// small histogram. Every function is pure and deterministic; every label,
// URL and colour that reaches the output is escaped or validated here, so
// the result can be trusted as template.HTML. The charts carry no English
// words: labels and titles come from the caller in the page's language.
package charts

import (
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Series is one stacked layer of StackedBars, such as one stakeholder type.
type Series struct {
	Name   string   // legend label, "Government"
	Color  string   // fill, "#RRGGBB"
	Values []int    // one count per year, aligned with the years argument
	URLs   []string // one link per year ("" for none); may be shorter than Values
}

// Bar is one bar of HBars or Histogram.
type Bar struct {
	Label string // text beside or below the bar, "C7.3", "2015"
	Title string // tooltip; "" means "Label: Value"
	Value int
	Color string // fill, "#RRGGBB"; "" means the default blue
	URL   string // link target; "" for no link
}

// Axis is one row or column header of Heatmap.
type Axis struct {
	Label string // short text drawn in the header, "C1", "3"
	Title string // full name used in tooltips; "" means Label
	Color string // header background, "#RRGGBB"; "" means none
	URL   string // link on the header; "" for no link
}

// Cell is one cell of Heatmap.
type Cell struct {
	Count  int
	Linked bool   // the WSIS–SDG matrix links this row and column: drawn with a dot
	URL    string // link target; "" for no link
	Title  string // tooltip; "" means "Row × Column: Count"
}

const (
	defaultColor = "#1F6FB2" // 5.3:1 on white
	textColor    = "#1A1A1A" // 17:1 on white
	mutedText    = "#4D4D4D" // 8.5:1 on white
	gridColor    = "#D0D0D0"
	emptyColor   = "#E6E6E6" // countries and cells with no entries
	fontSize     = 12
	charWidth    = 0.58 // average glyph width in em, to estimate text width
	maxDescItems = 20   // items summarised in a chart's <desc>
)

// scale is the sequential palette (light to dark blue) shared by the
// choropleth and the heatmap.
var scale = []string{"#C6DBEF", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C"}

var hexColor = regexp.MustCompile(`^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$`)

// color returns c when it is a hex colour, else fallback: colours end up in
// attributes, so nothing else is let through.
func color(c, fallback string) string {
	if hexColor.MatchString(c) {
		return c
	}
	return fallback
}

// esc escapes s for text and attribute values, after dropping what XML
// cannot carry (control characters, invalid UTF-8).
func esc(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
	return html.EscapeString(s)
}

// safeURL returns u escaped when it is relative or http(s), else "": a
// javascript: link must never reach a page, whoever built it.
func safeURL(u string) string {
	if u == "" {
		return ""
	}
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "", "http", "https":
		return esc(u)
	}
	return ""
}

// num formats a coordinate with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// chartID derives a stable element id from a chart's kind and title, so two
// charts on one page get distinct aria-labelledby targets.
func chartID(kind, title string) string {
	h := fnv.New32a()
	h.Write([]byte(kind + "\x00" + title))
	return fmt.Sprintf("%s-%08x", kind, h.Sum32())
}

// svgBuilder accumulates one chart's markup.
type svgBuilder struct {
	strings.Builder
}

// open writes the root element with its accessible name and description.
// Charts with links are groups: role="img" would hide the links from
// assistive technology, because its children are presentational.
func (b *svgBuilder) open(kind, title, desc string, w, h float64, linked bool) {
	id := chartID(kind, title)
	role := "img"
	if linked {
		role = "group"
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-%s" viewBox="0 0 %s %s" role="%s" aria-labelledby="%s-t %s-d" font-size="%d">`,
		kind, num(w), num(h), role, id, id, fontSize)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
}

// close ends the root element and returns the markup.
func (b *svgBuilder) close() template.HTML {
	b.WriteString("</svg>")
	return template.HTML(b.String()) //nolint:gosec // every value written was escaped by esc or safeURL
}

// link opens an <a> with a tooltip when href is safe, and reports whether
// it did; the caller closes it with endLink.
func (b *svgBuilder) link(href, tooltip string) bool {
	if u := safeURL(href); u != "" {
		fmt.Fprintf(b, `<a href="%s"><title>%s</title>`, u, esc(tooltip))
		return true
	}
	fmt.Fprintf(b, `<g><title>%s</title>`, esc(tooltip))
	return false
}

// endLink closes what link opened.
func (b *svgBuilder) endLink(opened bool) {
	if opened {
		b.WriteString("</a>")
	} else {
		b.WriteString("</g>")
	}
}

// text writes a text element; anchor is start, middle or end.
func (b *svgBuilder) text(x, y float64, anchor, fill, s string) {
	fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" fill="%s">%s</text>`, num(x), num(y), anchor, fill, esc(s))
}

// rect writes a filled rectangle.
func (b *svgBuilder) rect(x, y, w, h float64, fill string) {
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, num(x), num(y), num(w), num(h), fill)
}

// textWidth estimates the drawn width of s at size px.
func textWidth(s string, px float64) float64 {
	return float64(utf8.RuneCountInString(s)) * px * charWidth
}

// truncate shortens s with an ellipsis to fit width at size px.
func truncate(s string, width, px float64) string {
	if textWidth(s, px) <= width {
		return s
	}
	n := int(width/(px*charWidth)) - 1
	if n < 1 {
		return "…"
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n]), " ,;:-") + "…"
}

// niceMax returns an axis top at or above v and a tick step dividing it:
// the step is v/4 rounded up to 1, 2 or 5 times a power of ten.
func niceMax(v int) (top, step int) {
	if v <= 4 {
		return 4, 1
	}
	raw := float64(v) / 4
	p := int(math.Pow(10, math.Floor(math.Log10(raw))))
	step = 10 * p
	for _, m := range []int{1, 2, 5} {
		if float64(m*p) >= raw {
			step = m * p
			break
		}
	}
	return (v + step - 1) / step * step, step
}

// classes splits 1..maximum into up to len(scale) ranges whose upper bounds
// grow geometrically, rounded to 1, 2, 3 or 5 times a power of ten, because
// entry counts are skewed: a few countries hold most entries.
func classes(maximum int) []int {
	if maximum < 1 {
		return nil
	}
	k := len(scale)
	var bounds []int
	for i := 1; i < k; i++ {
		b := roundNice(math.Pow(float64(maximum), float64(i)/float64(k)))
		if b >= maximum {
			break
		}
		if len(bounds) == 0 || b > bounds[len(bounds)-1] {
			bounds = append(bounds, b)
		}
	}
	return append(bounds, maximum)
}

// roundNice rounds v to the nearest 1, 2, 3 or 5 times a power of ten.
func roundNice(v float64) int {
	if v < 1.5 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	best := p
	for _, m := range []float64{1, 2, 3, 5, 10} {
		if math.Abs(m*p-v) < math.Abs(best-v) {
			best = m * p
		}
	}
	return int(best)
}

// classColor returns the palette colour for count given the class upper
// bounds, spreading fewer classes across the whole palette.
func classColor(count int, bounds []int) string {
	if count <= 0 || len(bounds) == 0 {
		return emptyColor
	}
	for i, b := range bounds {
		if count <= b {
			return scale[paletteIndex(i, len(bounds))]
		}
	}
	return scale[len(scale)-1]
}

// paletteIndex maps class i of n onto the palette, darkest for the last.
func paletteIndex(i, n int) int {
	if n <= 1 {
		return len(scale) - 1
	}
	return len(scale) - 1 - (n-1-i)*(len(scale)-1)/(n-1)
}

// classLabel names class i of bounds: "1", "2–5", "6–20".
func classLabel(i int, bounds []int) string {
	lo := 1
	if i > 0 {
		lo = bounds[i-1] + 1
	}
	if lo == bounds[i] {
		return strconv.Itoa(lo)
	}
	return strconv.Itoa(lo) + "–" + strconv.Itoa(bounds[i])
}

// onColor is the text colour for a background: search.TextColor, which
// picks black or white for the better WCAG contrast.
func onColor(bg string) string {
	return search.TextColor(bg)
}

// summary joins "label: value" items for a <desc>, capped at maxDescItems.
func summary(items []Bar) string {
	var parts []string
	for i, it := range items {
		if i == maxDescItems {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, it.Label+": "+strconv.Itoa(it.Value))
	}
	return strings.Join(parts, "; ")
}
