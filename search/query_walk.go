package search

// Walk calls fn for q and each node below it, parents before children, in
// the order of the query text; fn returning false skips the node's children.
func (q *Query) Walk(fn func(n *Query) bool) {
	if q == nil || !fn(q) {
		return
	}
	for _, c := range q.Children {
		c.Walk(fn)
	}
}

// Depth returns the largest number of AND and OR nodes on a path from q
// to a leaf; a parsed query has at most MaxQueryDepth.
func (q *Query) Depth() int {
	if q == nil {
		return 0
	}
	d := 0
	for _, c := range q.Children {
		d = max(d, c.Depth())
	}
	if q.Kind == NodeAnd || q.Kind == NodeOr {
		d++
	}
	return d
}

// Clauses returns the number of leaf clauses (words, phrases, prefixes,
// filters, year ranges) of q; a parsed query has at most MaxQueryClauses.
func (q *Query) Clauses() int {
	n := 0
	q.Walk(func(c *Query) bool {
		if isLeaf(c) {
			n++
		}
		return true
	})
	return n
}

func isLeaf(n *Query) bool {
	return n.Kind != NodeMatchAll && n.Kind != NodeAnd && n.Kind != NodeOr && n.Kind != NodeNot
}

func isBool(n *Query) bool { return n.Kind == NodeAnd || n.Kind == NodeOr }

var matchAll = Query{Kind: NodeMatchAll}

// normalize simplifies the tree bottom-up: it drops empty nodes, merges an
// AND into its parent AND (and OR into OR), collapses single-child AND/OR,
// removes double negation, and keeps the invariant the index relies on:
// every NOT sits in an AND that also has a positive child, the match-all
// node being that child when there is no other. It returns nil for an
// empty tree.
func normalize(n *Query) *Query {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case NodeNot:
		if len(n.Children) != 1 {
			return nil
		}
		c := normalize(n.Children[0])
		switch {
		case c == nil || c.Kind == NodeMatchAll:
			return nil
		case c.Kind == NodeNot:
			return c.Children[0]
		case c.Kind == NodeAnd && len(c.Children) == 2 && c.Children[0].Kind == NodeMatchAll:
			return c.Children[1].Children[0] // -( -x) is x
		}
		n.Children[0] = c
		return n
	case NodeAnd, NodeOr:
		kids := make([]*Query, 0, len(n.Children))
		for _, c := range n.Children {
			c = normalize(c)
			switch {
			case c == nil, c.Kind == NodeMatchAll && n.Kind == NodeAnd:
			case c.Kind == n.Kind:
				for _, g := range c.Children {
					if g.Kind != NodeMatchAll {
						kids = append(kids, g)
					}
				}
			default:
				kids = append(kids, c)
			}
		}
		if n.Kind == NodeAnd && len(kids) > 0 && allNegative(kids) {
			all := matchAll
			kids = append([]*Query{&all}, kids...)
		}
		switch len(kids) {
		case 0:
			return nil
		case 1:
			return kids[0]
		}
		if n.Kind == NodeOr {
			for i, c := range kids {
				if c.Kind == NodeNot {
					kids[i] = positive(c)
				}
			}
		}
		n.Children = kids
	}
	return n
}

func allNegative(kids []*Query) bool {
	for _, c := range kids {
		if c.Kind != NodeNot {
			return false
		}
	}
	return true
}

// positive turns a bare NOT into AND(match-all, NOT …).
func positive(n *Query) *Query {
	if n == nil || n.Kind != NodeNot {
		return n
	}
	all := matchAll
	return &Query{Kind: NodeAnd, Children: []*Query{&all, n}}
}

// limit enforces MaxQueryClauses, MaxQueryDepth and MaxQueryPrefixes on a
// normalized tree, with a warning for each limit reached.
func (p *parser) limit(q *Query) *Query {
	if q.Clauses() > MaxQueryClauses {
		p.warn("more than %d clauses: the rest ignored", MaxQueryClauses)
		n := 0
		q = positive(normalize(dropAfter(q, &n)))
	}
	q = positive(q)
	if q.Depth() > MaxQueryDepth {
		p.warn("nested deeper than %d levels: inner groups flattened", MaxQueryDepth)
		flatten(q, 0)
		q = positive(normalize(q))
	}
	n := 0
	q.Walk(func(c *Query) bool {
		if c.Kind == NodePrefix {
			if n++; n > MaxQueryPrefixes {
				p.warn("more than %d prefixes: the rest searched as words", MaxQueryPrefixes)
				c.Kind = NodeTerm
			}
		}
		return true
	})
	return q
}

// dropAfter removes the leaves that come after the first MaxQueryClauses.
func dropAfter(n *Query, seen *int) *Query {
	if n == nil {
		return nil
	}
	if isLeaf(n) {
		if *seen++; *seen > MaxQueryClauses {
			return nil
		}
		return n
	}
	kids := n.Children[:0]
	for _, c := range n.Children {
		if c = dropAfter(c, seen); c != nil {
			kids = append(kids, c)
		}
	}
	n.Children = kids
	return n
}

// flatten replaces, below the MaxQueryDepth-th AND/OR node of a path, every
// AND/OR subtree by its positive leaves; in an AND, a NOT over a subtree
// becomes one NOT per positive leaf. d counts the AND/OR nodes above n.
func flatten(n *Query, d int) {
	if n == nil {
		return
	}
	if isBool(n) {
		d++
	}
	if d < MaxQueryDepth || !isBool(n) {
		for _, c := range n.Children {
			flatten(c, d)
		}
		return
	}
	var kids []*Query
	for _, c := range n.Children {
		switch {
		case isBool(c):
			kids = append(kids, positiveLeaves(c, nil)...)
		case c.Kind == NodeNot && isBool(c.Children[0]):
			if n.Kind == NodeAnd {
				for _, l := range positiveLeaves(c.Children[0], nil) {
					kids = append(kids, &Query{Kind: NodeNot, Children: []*Query{l}})
				}
			}
		default:
			kids = append(kids, c)
		}
	}
	n.Children = kids
}

// positiveLeaves appends the leaves of n that are under no NOT.
func positiveLeaves(n *Query, out []*Query) []*Query {
	n.Walk(func(c *Query) bool {
		if isLeaf(c) {
			out = append(out, c)
		}
		return c.Kind != NodeNot
	})
	return out
}
