package index

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// MatchIDs calls fn with the id of every entry matching req's query and
// filters, in req.Sort order with ties broken by id, ignoring paging; it
// stops at the first error fn returns. An unranked export of many entries
// walks the view's precomputed order and materialises nothing, so its
// memory stays the same whatever the number of matches; a ranked one
// orders the scores the match already holds (16 bytes a match).
func (ix *Index) MatchIDs(ctx context.Context, req *search.Request, fn func(id string) error) error {
	req.Normalize()
	r, err := ix.matched(ctx, req)
	if err != nil {
		return err
	}
	defer r.close()
	result := r.result()
	total := int(result.GetCardinality())
	cancelled := func(i int) error {
		if i&1023 == 0 && ctx.Err() != nil {
			return search.Errorf(search.EUNAVAILABLE, "export cancelled")
		}
		return nil
	}
	if r.scored == nil && total > 2048 { // where ordered walks the order too
		for i, d := range r.v.order(sortOrder(req.Sort)) {
			if err := cancelled(i); err != nil {
				return err
			}
			if result.Contains(d) {
				if err := fn(r.v.ids[d]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i, d := range r.ordered(req.Sort, result, nil, total) {
		if err := cancelled(i); err != nil {
			return err
		}
		if err := fn(r.v.ids[d.num]); err != nil {
			return err
		}
	}
	return nil
}

// ordered returns the first k documents of result in the order of sort
// (ties by id) that come after the cursor, if any: the k best by score when
// the query is ranked, else from the view's precomputed orders.
func (r *run) ordered(sortName string, result *roaring.Bitmap, after *cursor, k int) []scored {
	total := int(result.GetCardinality())
	k = min(k, total)
	if k <= 0 {
		return nil
	}
	if r.scored != nil {
		t := newTopK(k, r.v.ids)
		offer := func(d scored) {
			if after == nil || after.ranksBefore(d.score, r.v.ids[d.num]) {
				t.offer(d.num, d.score)
			}
		}
		if r.filter == nil && len(r.scored) == total {
			for _, d := range r.scored {
				offer(d)
			}
			return t.sorted()
		}
		// Both lists are in document order and result is a subset of the
		// scored documents: walk them side by side.
		j := 0
		it := result.ManyIterator()
		buf := r.scratch().nums[:]
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, d := range buf[:n] {
				for j < len(r.scored) && r.scored[j].num < d {
					j++
				}
				if j < len(r.scored) && r.scored[j].num == d {
					offer(r.scored[j])
				}
			}
		}
		return t.sorted()
	}
	kind := sortOrder(sortName)
	out := make([]scored, 0, k)
	if total <= 2048 {
		// Few documents: sorting them beats walking the whole order.
		docs := result.ToArray()
		slices.SortFunc(docs, func(a, b uint32) int { return r.v.compare(kind, a, b) })
		for _, d := range docs {
			if after != nil && r.v.cmpCursor(kind, d, after) <= 0 {
				continue
			}
			if out = append(out, scored{num: d}); len(out) == k {
				break
			}
		}
		return out
	}
	order := r.v.order(kind)
	from := 0
	if after != nil {
		from = sort.Search(len(order), func(i int) bool { return r.v.cmpCursor(kind, order[i], after) > 0 })
	}
	for _, d := range order[from:] {
		if result.Contains(d) {
			if out = append(out, scored{num: d}); len(out) == k {
				break
			}
		}
	}
	return out
}

// sortKey is the key a cursor made from document d continues from.
func (r *run) sortKey(sortName string, d scored) string {
	switch sortName {
	case search.SortTitle:
		return r.v.title[d.num]
	case search.SortNewest, search.SortOldest:
		return r.v.date[d.num]
	}
	if r.scored != nil {
		return strconv.FormatFloat(d.score, 'g', -1, 64)
	}
	return ""
}

// compare orders two documents in one of the view's orders.
func (v *view) compare(kind int, a, b uint32) int {
	var c int
	switch kind {
	case orderTitle:
		c = strings.Compare(v.title[a], v.title[b])
	case orderOldest:
		c = strings.Compare(v.date[a], v.date[b])
	case orderNewest:
		c = strings.Compare(v.date[b], v.date[a])
	}
	if c != 0 {
		return c
	}
	return strings.Compare(v.ids[a], v.ids[b])
}

// cmpCursor compares document d with a cursor's position in one of the
// view's orders: > 0 when d comes after it.
func (v *view) cmpCursor(kind int, d uint32, c *cursor) int {
	var cmp int
	switch kind {
	case orderTitle:
		cmp = strings.Compare(v.title[d], c.key)
	case orderOldest:
		cmp = strings.Compare(v.date[d], c.key)
	case orderNewest:
		cmp = strings.Compare(c.key, v.date[d])
	}
	if cmp != 0 {
		return cmp
	}
	return strings.Compare(v.ids[d], c.id)
}

// matchEntry is what match computed for one query on one snapshot. The
// view keeps the matches of its recent queries (matchCacheEntries), so
// that refining a query by facets, paging, counting facet values or
// exporting does not run the text search again; a write makes a new
// snapshot and an empty cache. Keyword queries, combined from kept
// clauses, are not kept here.
type matchEntry struct {
	matches *roaring.Bitmap // never modified once cached
	scored  []scored
	dym     string
	rd      *reading
}

func (e *matchEntry) size() int { return int(e.matches.GetSizeInBytes()) + 16*len(e.scored) + 64 }

// matchKey identifies a query's reading: the text, its parse, the
// language and whether scores are needed.
func matchKey(req *search.Request, ranked bool) string {
	return strconv.FormatBool(ranked) + "\x00" + req.Lang + "\x00" + req.Text + "\x00" + req.Query.String()
}

// cachedMatch returns the kept entry of key; an unranked lookup also
// accepts the ranked entry of the same query.
func (v *view) cachedMatch(key string) *matchEntry {
	if e, ok := v.matches.get(key); ok {
		return e
	}
	if rest, ok := strings.CutPrefix(key, "false\x00"); ok {
		if e, ok := v.matches.get("true\x00" + rest); ok {
			return e
		}
	}
	return nil
}
