package index

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// base returns the documents a facet is counted over: the query's matches
// with every filter applied except the facet's own (disjunctive counts).
func (r *run) base(facet string, all *roaring.Bitmap) *roaring.Bitmap {
	if r.prizeSel != nil && search.IsPrizeFacet(facet) {
		facet = search.FacetPrizeRecord // the prize facets' one group
	}
	if _, own := r.groups[facet]; !own {
		return all
	}
	return r.intersectGroups(facet, r.matches)
}

// countFacet is count, except for a prize facet while prize filters are
// set: a value then counts the documents of b with a prize record that has
// it and matches the other prize dimensions' selections.
func (r *run) countFacet(f string, b *roaring.Bitmap) []int {
	if r.prizeSel == nil || !search.IsPrizeFacet(f) {
		return r.count(f, b)
	}
	sets := r.prizeValueSets(f)
	vals := r.v.values[f]
	sc := r.scratch()
	if cap(sc.counts) < len(vals) {
		sc.counts = make([]int, len(vals))
	}
	counts := sc.counts[:len(vals)]
	clear(counts)
	for i, val := range vals {
		if set := sets[val]; set != nil {
			counts[i] = int(b.AndCardinality(set))
		}
	}
	return counts
}

// prizeValueSets returns, for each value of prize facet f, the documents
// with a prize record that has it and matches the prize selections of the
// other dimensions.
func (r *run) prizeValueSets(f string) map[string]*roaring.Bitmap {
	parts := map[string][]*roaring.Bitmap{}
	for _, rec := range r.v.values[search.FacetPrizeRecord] {
		if p := search.PrizeRecordPart(rec, f); p != "" && search.PrizeRecordMatches(rec, r.prizeSel, f) {
			parts[p] = append(parts[p], r.v.facets[search.FacetPrizeRecord][rec])
		}
	}
	sets := make(map[string]*roaring.Bitmap, len(parts))
	for p, bms := range parts {
		sets[p] = roaring.FastOr(bms...)
	}
	return sets
}

// facets counts every value of the named facets.
func (r *run) facets(req *search.Request, names []string, arena *facetArena) map[string][]search.FacetValue {
	all := r.matches
	if r.filter != nil {
		all = roaring.And(r.matches, r.filter)
	}
	out := make(map[string][]search.FacetValue, len(names))
	for _, f := range names {
		bms, ok := r.v.facets[f]
		if !ok {
			continue
		}
		b := r.base(f, all)
		selected := req.Filters.Values[f]
		counts := r.countFacet(f, b)
		labels := r.v.labels(f, req.Lang)
		order, fixed := r.v.displayOrder(f)
		size := len(selected)
		for _, n := range counts {
			if n > 0 {
				size++
			}
		}
		list := arena.take(size)
		for _, i := range order {
			n := counts[i]
			sel := len(selected) > 0 && contains(selected, labels[i].Value)
			if n > 0 || sel {
				fv := labels[i]
				fv.Count, fv.Selected = n, sel
				list = append(list, fv)
			}
		}
		extra := false
		for _, val := range selected {
			if bms[val] == nil && !hasValue(list, val) {
				list = append(list, r.facetValue(f, val, 0, true, req.Lang))
				extra = true
			}
		}
		if !fixed || extra {
			sortFacet(f, list)
		}
		out[f] = list
	}
	return out
}

// facetArena is the memory of one result's facet lists, reused when the
// result is released (search.Result.Release): the lists are most of what a
// search allocates.
type facetArena struct {
	vals []search.FacetValue
	need int // values asked for since the last free: the next capacity
}

var facetArenas = sync.Pool{New: func() any { return &facetArena{vals: make([]search.FacetValue, 0, 512)} }}

// maxArena bounds the values an arena keeps room for (pooled arenas stay
// small; a rare larger result allocates its lists).
const maxArena = 2048

// take returns an empty list of capacity n from the arena.
func (a *facetArena) take(n int) []search.FacetValue {
	a.need += n
	if len(a.vals)+n > cap(a.vals) {
		return make([]search.FacetValue, 0, n)
	}
	l := a.vals[len(a.vals) : len(a.vals) : len(a.vals)+n]
	a.vals = a.vals[:len(a.vals)+n]
	return l
}

// free clears the arena (its strings are not kept alive) and pools it.
func (a *facetArena) free() {
	clear(a.vals)
	a.vals = a.vals[:0]
	if a.need > cap(a.vals) && a.need <= maxArena {
		a.vals = make([]search.FacetValue, 0, a.need)
	}
	a.need = 0
	facetArenas.Put(a)
}

// labels returns the labelled values of facet f in lang, indexed like
// v.values[f], built once per snapshot and language.
func (v *view) labels(f, lang string) []search.FacetValue {
	key := f + "\x00" + lang
	if l, ok := v.labelSets.Load(key); ok {
		return l.([]search.FacetValue)
	}
	vals := v.values[f]
	l := make([]search.FacetValue, len(vals))
	for i, val := range vals {
		l[i] = facetLabel(f, val, lang)
	}
	v.labelSets.Store(key, l)
	return l
}

// displayOrder returns the indexes of v.values[f] in the order the UI
// lists them when the order does not depend on counts (codes, years), with
// fixed true; else the plain order, with fixed false.
func (v *view) displayOrder(f string) ([]int, bool) {
	if o, ok := v.orderSets.Load(f); ok {
		return o.([]int), fixedOrder(f)
	}
	vals := v.values[f]
	o := make([]int, len(vals))
	for i := range o {
		o[i] = i
	}
	if fixedOrder(f) {
		list := make([]search.FacetValue, len(vals))
		for i, val := range vals {
			list[i] = search.FacetValue{Value: val, Count: i} // Count carries the index
		}
		sortFacet(f, list)
		for i, fv := range list {
			o[i] = fv.Count
		}
	}
	v.orderSets.Store(f, o)
	return o, fixedOrder(f)
}

// fixedOrder reports whether sortFacet orders facet f by value only.
func fixedOrder(f string) bool {
	switch f {
	case search.FacetActionLine, search.FacetSDG, search.FacetPrizeCat, search.FacetYear, search.FacetPrizeYear:
		return true
	}
	return false
}

// count returns the number of documents of b carrying each value of facet
// f (indexed like view.values[f]).
func (r *run) count(f string, b *roaring.Bitmap) []int {
	if b == r.v.live {
		return r.v.liveCounts()[f]
	}
	vals := r.v.values[f]
	sc := r.scratch()
	if cap(sc.counts) < len(vals) {
		sc.counts = make([]int, len(vals))
	}
	counts := sc.counts[:len(vals)] // used by the caller before the next facet
	clear(counts)
	fw := r.v.fwd[f]
	// Through the forward lists when b is small (its containers are arrays,
	// which intersections would merge) or the facet has many values (one
	// intersection each); by bitmap intersections otherwise.
	if fw != nil && (len(vals) > 64 || b.GetCardinality() <= 4096) {
		it := b.ManyIterator()
		buf := sc.nums[:]
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, d := range buf[:n] {
				for _, vi := range fw.vals[fw.start[d]:fw.start[d+1]] {
					counts[vi]++
				}
			}
		}
		return counts
	}
	for i, val := range vals {
		counts[i] = int(b.AndCardinality(r.v.facets[f][val]))
	}
	return counts
}

func (r *run) facetValue(facet, val string, n int, sel bool, lang string) search.FacetValue {
	fv := facetLabel(facet, val, lang)
	fv.Count, fv.Selected = n, sel
	return fv
}

// labelKey identifies a facet value's label in one language.
type labelKey struct{ facet, value, lang string }

// labels caches facet value labels (and colours, parents): they depend on
// nothing but the key, and building them costs a few allocations each.
var labels sync.Map // labelKey → search.FacetValue

// facetLabel returns the value with its label, colour and parent.
func facetLabel(facet, val, lang string) search.FacetValue {
	k := labelKey{facet, val, lang}
	if fv, ok := labels.Load(k); ok {
		return fv.(search.FacetValue)
	}
	fv := search.FacetValue{Value: val}
	if facet == FacetOrganization {
		fv.Label = val
		return fv // too many values to cache
	}
	fv.Label = search.FacetLabel(facet, val, lang)
	fv.Color = search.FacetColor(facet, val)
	if facet == search.FacetActionLine {
		fv.Parent = search.ParentActionLine(val)
	}
	labels.Store(k, fv)
	return fv
}

// sortFacet orders a facet's values the way the UI lists them: codes in
// their natural order, years newest first, everything else by count.
func sortFacet(facet string, list []search.FacetValue) {
	var cmp func(a, b search.FacetValue) int
	switch facet {
	case search.FacetActionLine:
		cmp = func(a, b search.FacetValue) int { return actionLineKey(a.Value) - actionLineKey(b.Value) }
	case search.FacetSDG, search.FacetPrizeCat:
		cmp = func(a, b search.FacetValue) int { return numCompare(a.Value, b.Value) }
	case search.FacetYear, search.FacetPrizeYear:
		cmp = func(a, b search.FacetValue) int { return numCompare(b.Value, a.Value) }
	default:
		cmp = func(a, b search.FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		}
	}
	slices.SortFunc(list, cmp) // values are unique: the order is total
}

// actionLineKey maps C1…C11 and C7.1…C7.8 to numbers in their natural order.
func actionLineKey(code string) int {
	if len(code) < 2 || (code[0] != 'C' && code[0] != 'c') {
		return 1 << 20
	}
	main, sub, _ := strings.Cut(code[1:], ".")
	return atoi(main)*100 + atoi(sub)
}

func numCompare(a, b string) int {
	if x, y := atoi(a), atoi(b); x != y {
		return x - y
	}
	return strings.Compare(a, b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasValue(list []search.FacetValue, v string) bool {
	for _, fv := range list {
		if fv.Value == v {
			return true
		}
	}
	return false
}

// FacetValues lists the values of one facet (any of search.FacetNames or
// FacetOrganization) whose value or label contains text (accent- and
// case-insensitive), with their counts under req's query and filters (the
// facet's own filter excepted). Values starting with text come first, then
// by count; selected values are always listed. limit ≤ 0 means 100.
func (ix *Index) FacetValues(ctx context.Context, req *search.Request, facet, text string, limit int) ([]search.FacetValue, error) {
	if limit <= 0 {
		limit = 100
	}
	req.Normalize()
	r, err := ix.matched(ctx, req)
	if err != nil {
		return nil, err
	}
	defer r.close()
	if _, ok := r.v.facets[facet]; !ok {
		return nil, search.Errorf(search.EINVALID, "unknown facet %q", facet)
	}
	b := r.base(facet, r.result())
	sets := r.v.facets[facet]
	if r.prizeSel != nil && search.IsPrizeFacet(facet) {
		sets = r.prizeValueSets(facet)
	}
	needle := foldLower(strings.TrimSpace(text))
	selected := req.Filters.Values[facet]
	type cand struct {
		fv     search.FacetValue
		prefix bool
	}
	var cands []cand
	for i, val := range r.v.values[facet] {
		if i&255 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, search.Errorf(search.EUNAVAILABLE, "facet listing timed out")
			}
		}
		sel := contains(selected, val)
		fv := r.facetValue(facet, val, 0, sel, req.Lang)
		v, l := foldLower(val), foldLower(fv.Label)
		if needle != "" && !strings.Contains(v, needle) && !strings.Contains(l, needle) {
			continue
		}
		if set := sets[val]; set != nil {
			fv.Count = int(b.AndCardinality(set))
		}
		if fv.Count == 0 && !sel {
			continue
		}
		cands = append(cands, cand{fv, needle == "" || strings.HasPrefix(v, needle) || strings.HasPrefix(l, needle)})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.prefix != b.prefix {
			return a.prefix
		}
		if a.fv.Count != b.fv.Count {
			return a.fv.Count > b.fv.Count
		}
		return a.fv.Label < b.fv.Label
	})
	out := make([]search.FacetValue, 0, min(limit, len(cands)))
	for _, c := range cands {
		if len(out) == limit {
			break
		}
		out = append(out, c.fv)
	}
	return out, nil
}

// foldLower folds accents and lower-cases s.
func foldLower(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.ToLower(string(folder.Filter([]byte(s))))
		}
	}
	return lowerASCII(s) // folding leaves ASCII alone

}
