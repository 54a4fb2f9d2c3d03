package ui

import (
	"sort"
	"strconv"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Facet list caps: the first values show at once, the rest up to maxFacetShown
// sit behind "show more", which keeps the page small.
const (
	facetTop       = 10
	maxFacetShown  = 50
	histogramH     = 48
	histogramBarW  = 10
	histogramGap   = 2
	maxHistogramYs = 60
)

// facetView is one facet of the sidebar.
type facetView struct {
	Name   string // the facet's URL parameter
	ID     string // the section's HTML id
	Title  string
	Top    []facetValueView
	More   []facetValueView
	Hidden int // values beyond the cap, not listed
}

// facetValueView is one value: a link that toggles it in the URL.
type facetValueView struct {
	Label    string
	Count    string
	URL      string
	Selected bool
	Swatch   string // SDG colour class
	Sub      bool   // a C7 sub-line, shown indented
}

// facetViews lists the sidebar facets in the UI's order; the year facet is
// drawn as a histogram instead (yearViewOf).
func facetViews(facets map[string][]search.FacetValue, st searchState, l *locale) []facetView {
	var out []facetView
	for _, f := range search.FacetNames {
		if f == search.FacetYear {
			continue
		}
		vals := facets[f]
		if len(vals) == 0 && len(st.Values[f]) == 0 {
			continue
		}
		fv := facetView{Name: f, ID: "f-" + f, Title: l.T("facet." + f)}
		seen := make(map[string]bool, len(vals))
		shown := 0
		for i, v := range vals {
			seen[v.Value] = true
			sel := st.selected(f, v.Value)
			switch {
			case i < facetTop || sel:
				fv.Top = append(fv.Top, facetValueOf(f, v.Value, v.Count, sel, st, l))
			case shown < maxFacetShown:
				fv.More = append(fv.More, facetValueOf(f, v.Value, v.Count, sel, st, l))
			default:
				fv.Hidden++
				continue
			}
			shown++
		}
		// A selected value with no match is still listed, so it can be unticked.
		for _, v := range st.Values[f] {
			if !seen[v] {
				fv.Top = append(fv.Top, facetValueOf(f, v, 0, true, st, l))
			}
		}
		out = append(out, fv)
	}
	return out
}

func facetValueOf(facet, value string, count int, sel bool, st searchState, l *locale) facetValueView {
	v := facetValueView{
		Label:    facetLabel(facet, value, l.Code),
		Count:    l.Number(count),
		URL:      st.toggle(facet, value).URL(),
		Selected: sel,
	}
	if facet == search.FacetSDG {
		if n, err := strconv.Atoi(value); err == nil {
			v.Swatch = sdgClass(n)
		}
	}
	if facet == search.FacetActionLine && search.ParentActionLine(value) != "" {
		v.Sub = true
	}
	return v
}

// yearView is the year range control and its histogram.
type yearView struct {
	Show      bool
	From, To  int // the selected range, 0 = open
	Min, Max  int // first and last year drawn
	Bars      []barView
	Width     int // SVG width in user units
	Height    int
	Hidden    []hiddenField // the rest of the state, for the range form
	FirstYear int           // input bounds
	LastYear  int
}

// barView is one year of the histogram: a link that selects that year.
type barView struct {
	Year       int
	Count      int
	X, Y, W, H int
	URL        string
	In         bool // inside the selected range
}

// yearViewOf draws the year facet as bars, one per year from the first to
// the last, with gaps drawn as empty years.
func yearViewOf(vals []search.FacetValue, st searchState) yearView {
	yv := yearView{
		From: st.YearFrom, To: st.YearTo, Height: histogramH,
		Hidden:    st.fields(true, false, false),
		FirstYear: 2003, LastYear: 2100,
	}
	counts := map[int]int{}
	var years []int
	for _, v := range vals {
		y, err := strconv.Atoi(v.Value)
		if err != nil || y < 1900 || y > 2200 {
			continue
		}
		if _, dup := counts[y]; !dup {
			years = append(years, y)
		}
		counts[y] += v.Count
	}
	yv.Show = len(years) > 0 || st.YearFrom > 0 || st.YearTo > 0
	if len(years) == 0 {
		return yv
	}
	sort.Ints(years)
	yv.Min, yv.Max = years[0], years[len(years)-1]
	if yv.Max-yv.Min >= maxHistogramYs {
		yv.Min = yv.Max - maxHistogramYs + 1
	}
	maxCount := 1
	for _, c := range counts {
		maxCount = max(maxCount, c)
	}
	for y := yv.Min; y <= yv.Max; y++ {
		c := counts[y]
		h := 0
		if c > 0 {
			h = max(2, c*(histogramH-2)/maxCount)
		}
		x := (y - yv.Min) * (histogramBarW + histogramGap)
		yv.Bars = append(yv.Bars, barView{
			Year: y, Count: c, X: x, Y: histogramH - h, W: histogramBarW, H: h,
			URL: st.withYears(y, y).URL(),
			In:  (st.YearFrom == 0 || y >= st.YearFrom) && (st.YearTo == 0 || y <= st.YearTo),
		})
	}
	yv.Width = len(yv.Bars)*(histogramBarW+histogramGap) - histogramGap
	return yv
}
