package index

import (
	"context"
	"slices"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Stats computes the explore page's aggregates of the entries matching
// req's query and every filter: counts per year and stakeholder, per action
// line (all 19, zeros included) and SDG (all 17), per country and region,
// and the action line × SDG matrix. Everything comes from the view's
// bitmaps and forward lists in one pass over the matches.
func (ix *Index) Stats(ctx context.Context, req *search.Request) (*search.Stats, error) {
	req.Normalize()
	r, err := ix.matched(ctx, req)
	if err != nil {
		return nil, err
	}
	defer r.close()
	result := r.result()
	v := r.v
	st := &search.Stats{
		Total:           int(result.GetCardinality()),
		YearStakeholder: map[int]map[string]int{},
		Matrix:          make(map[string]map[int]int, len(search.ActionLines)),
	}
	lang := req.Lang

	// Single facets.
	count := func(f string) map[string]int {
		out := map[string]int{}
		c := r.count(f, result)
		for i, val := range v.values[f] {
			if c[i] > 0 {
				out[val] = c[i]
			}
		}
		return out
	}
	al := count(search.FacetActionLine)
	for _, a := range search.ActionLines {
		fv := facetLabel(search.FacetActionLine, a.Code, lang)
		fv.Count = al[a.Code]
		st.ActionLines = append(st.ActionLines, fv)
	}
	sdg := count(search.FacetSDG)
	for _, g := range search.SDGs {
		val := strconv.Itoa(g.Number)
		fv := facetLabel(search.FacetSDG, val, lang)
		fv.Count = sdg[val]
		st.SDGs = append(st.SDGs, fv)
	}
	for val, n := range count(search.FacetCountry) {
		fv := facetLabel(search.FacetCountry, val, lang)
		fv.Count = n
		st.Countries = append(st.Countries, fv)
	}
	sortFacet(search.FacetCountry, st.Countries)
	regions := count(search.FacetRegion)
	for _, t := range search.Regions {
		fv := facetLabel(search.FacetRegion, t.Code, lang)
		fv.Count = regions[t.Code]
		st.Regions = append(st.Regions, fv)
		delete(regions, t.Code)
	}
	for val, n := range regions { // values outside the vocabulary, if any
		fv := facetLabel(search.FacetRegion, val, lang)
		fv.Count = n
		st.Regions = append(st.Regions, fv)
	}
	slices.SortStableFunc(st.Regions[len(search.Regions):], func(a, b search.FacetValue) int { return b.Count - a.Count })

	// Cross tabulations.
	for _, a := range search.ActionLines {
		row := make(map[int]int, len(search.SDGs))
		for _, g := range search.SDGs {
			row[g.Number] = 0
		}
		st.Matrix[a.Code] = row
	}
	r.cross(result, search.FacetYear, search.FacetStakeholder, func(year, sh string, n int) {
		y := atoi(year)
		if st.YearStakeholder[y] == nil {
			st.YearStakeholder[y] = map[string]int{}
		}
		st.YearStakeholder[y][sh] += n
	})
	r.cross(result, search.FacetActionLine, search.FacetSDG, func(code, g string, n int) {
		row := st.Matrix[code]
		if row == nil {
			row = map[int]int{}
			st.Matrix[code] = row
		}
		row[atoi(g)] += n
	})
	if err := ctx.Err(); err != nil {
		return nil, search.Errorf(search.EUNAVAILABLE, "statistics timed out")
	}
	return st, nil
}

// cross counts the documents of result per pair of values of facets a and
// b and reports every non-zero pair.
func (r *run) cross(result *roaring.Bitmap, a, b string, fn func(va, vb string, n int)) {
	v := r.v
	fa, fb := v.fwd[a], v.fwd[b]
	va, vb := v.values[a], v.values[b]
	if fa == nil || fb == nil {
		for _, x := range va {
			ax := roaring.And(result, v.facets[a][x])
			if ax.IsEmpty() {
				continue
			}
			for _, y := range vb {
				if n := int(ax.AndCardinality(v.facets[b][y])); n > 0 {
					fn(x, y, n)
				}
			}
		}
		return
	}
	cells := make([]int, len(va)*len(vb))
	it := result.ManyIterator()
	buf := make([]uint32, 256)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, d := range buf[:n] {
			bs := fb.vals[fb.start[d]:fb.start[d+1]]
			for _, i := range fa.vals[fa.start[d]:fa.start[d+1]] {
				row := int(i) * len(vb)
				for _, j := range bs {
					cells[row+int(j)]++
				}
			}
		}
	}
	for i, x := range va {
		for j, y := range vb {
			if n := cells[i*len(vb)+j]; n > 0 {
				fn(x, y, n)
			}
		}
	}
}
