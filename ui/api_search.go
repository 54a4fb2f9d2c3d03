package ui

import (
	"context"
	"errors"
	"io"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/klauspost/compress/gzip"

	"github.com/itu-stocktaking/stocktaking/search"
)

// The cursor contract. Result.NextCursor is an opaque string that the index
// makes and reads; the API only checks its alphabet and length and passes it
// back as Request.Cursor:
//
//   - it is base64url (RFC 4648 §5, padding optional) of whatever the index
//     needs to continue after the last hit of the page: its sort key and id
//     (ties are broken by id, so the order is total) and a token of the
//     index snapshot the walk reads;
//   - with a cursor, Page is 1 and the hits are the Size entries that follow
//     the cursor in the request's sort order, on the snapshot of the walk's
//     first page while the index keeps it (else on the current one, with a
//     warning in Result.Warnings); the query, filters and sort must be the
//     same as the search that returned it;
//   - NextCursor is empty on the last page, so a client stops when it is absent;
//   - a cursor the index cannot read is an EINVALID search.Error with Field
//     "cursor" (400), never an internal error.
const cursorAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="

// searchContext bounds a search by the request's lifetime and the budget.
func (s *Server) searchContext(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), s.cfg.SearchBudget)
}

// runSearch parses the URL into a request and runs it.
func (s *Server) runSearch(c *fiber.Ctx, snippets bool) (*search.Request, *search.Result, error) {
	req, err := parseSearchRequest(c)
	if err != nil {
		return nil, nil, err
	}
	req.Snippets = snippets
	res, err := s.search(c, req)
	if err != nil {
		return nil, nil, err
	}
	return req, res, nil
}

// search runs req within the concurrency limit and the time budget, counts
// it in the metrics and records it for the analytics.
func (s *Server) search(c *fiber.Ctx, req *search.Request) (*search.Result, error) {
	req.Normalize()
	if s.api != nil {
		if req.Cursor == "" && req.Page*req.Size > s.api.cfg.MaxResultWindow {
			return nil, invalidParam("page", "page × size may not exceed %d; follow next_cursor to read further", s.api.cfg.MaxResultWindow)
		}
		release, err := s.slot(c)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	ctx, cancel := s.searchContext(c)
	defer cancel()
	start := time.Now()
	res, err := s.cfg.Service.Search(ctx, req)
	took := time.Since(start)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = search.Errorf(search.EUNAVAILABLE, "the search took longer than its %s budget; narrow the query", s.cfg.SearchBudget)
		}
		if s.api != nil {
			s.api.metrics.searched(search.ErrorCode(err), took)
		}
		return nil, err
	}
	res.TookMS = float64(took.Microseconds()) / 1000
	if res.Hits == nil {
		res.Hits = []search.Hit{}
	}
	if s.api != nil {
		s.api.metrics.searched("ok", took)
		s.api.record(req, res)
	}
	return res, nil
}

// record gives a search to the analytics: only first pages, so that paging
// through results does not count as searching again.
func (a *api) record(req *search.Request, res *search.Result) {
	if a.cfg.Analytics == nil || req.Page > 1 || req.Cursor != "" {
		return
	}
	q, ok := search.AnalyticsQuery(req.Text)
	if !ok {
		return
	}
	var filters []string
	for _, f := range req.Filters.Active() {
		for _, v := range req.Filters.Values[f] {
			filters = append(filters, f+":"+v)
		}
	}
	sort.Strings(filters)
	a.cfg.Analytics.Record(q, filters, res.Total, time.Now().UTC())
}

// acquire takes a slot of sem, waiting at most QueueWait; when none frees
// up the server is overloaded: 503 with Retry-After.
func (a *api) acquire(c *fiber.Ctx, sem chan struct{}) (func(), error) {
	release := func() { <-sem }
	select {
	case sem <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(a.cfg.QueueWait)
	defer t.Stop()
	select {
	case sem <- struct{}{}:
		return release, nil
	case <-t.C:
		c.Set(fiber.HeaderRetryAfter, "1")
		return nil, search.Errorf(search.EUNAVAILABLE, "the server is busy with other searches; retry in a second")
	}
}

// admittedKey marks a request that holds a search slot for all its work.
type admittedKeyType struct{}

var admittedKey = admittedKeyType{}

// admitSearch gives a search request its slot of the search limit before
// any of its work, so that it also covers building, encoding and
// compressing the answer, not only the index search. Requests then run a
// few at a time in arrival order instead of all at once sharing the
// cores: under load each waits its turn and then runs at full speed,
// which keeps the slowest answers close to the median (docs/RELIABILITY.md).
func (a *api) admitSearch(c *fiber.Ctx) error {
	if p := c.Path(); p != "/api/v1/search" && p != "/search" {
		return c.Next()
	}
	release, err := a.s.slot(c)
	if err != nil {
		return err
	}
	defer release()
	c.Locals(admittedKey, true)
	return c.Next()
}

// slot takes a slot of the search limit for c, or nothing when c was
// admitted with one (admitSearch); the caller calls release.
func (s *Server) slot(c *fiber.Ctx) (release func(), err error) {
	if c.Locals(admittedKey) != nil {
		return func() {}, nil
	}
	release, err = s.api.acquire(c, s.api.searches)
	if err != nil {
		s.api.metrics.searched("overloaded", 0)
		return nil, err
	}
	return release, nil
}

// handleSearch answers GET /api/v1/search.
func (a *api) handleSearch(c *fiber.Ctx) error {
	_, res, err := a.s.runSearch(c, true)
	if err != nil {
		return err
	}
	c.Set("X-Total-Count", strconv.Itoa(res.Total))
	return sendResult(c, res)
}

// jsonBufs are the buffers search responses are encoded into.
var jsonBufs = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// sendResult sends res as JSON, encoded without reflection (the same bytes
// as c.JSON, which search.Result.AppendJSON's test checks) and gzipped here
// when the client accepts it, and releases res.
func sendResult(c *fiber.Ctx, res *search.Result) error {
	defer res.Release()
	buf := jsonBufs.Get().(*[]byte)
	defer jsonBufs.Put(buf)
	b, err := res.AppendJSON((*buf)[:0])
	if err != nil {
		return c.JSON(res) // encoding/json reports the same error
	}
	*buf = b
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	if len(b) >= minGzipLen && c.Request().Header.HasAcceptEncoding("gzip") {
		gzipBody(c, b)
		return nil
	}
	c.Response().SetBody(b) // a copy: the buffer goes back to the pool
	return nil
}

// minGzipLen is the smallest answer worth compressing (fasthttp's limit).
const minGzipLen = 200

// gzipWriters are the compressors of search answers, at the level of the
// compression middleware.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// gzipBody sets the response body to b compressed. Search answers are
// compressed here, on the goroutine that holds the search slot, instead of
// by the compression middleware, which hands every body to a few shared
// worker goroutines (fasthttp's stackless writers) and waits for one of them
// to be scheduled: under load that wait was a large part of the slowest
// answers' time. The middleware leaves a body with a Content-Encoding alone.
func gzipBody(c *fiber.Ctx, b []byte) {
	resp := c.Response()
	resp.ResetBody()
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(resp.BodyWriter())
	_, err := zw.Write(b)
	if err == nil {
		err = zw.Close()
	}
	gzipWriters.Put(zw)
	if err != nil { // writing to memory does not fail; send it plain if it did
		resp.SetBody(b)
		return
	}
	resp.Header.SetContentEncoding("gzip")
	resp.Header.Add(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
}

// handleStats answers GET /api/v1/stats: the aggregates of the explore
// page for the query and filters (paging parameters are accepted and ignored).
func (a *api) handleStats(c *fiber.Ctx) error {
	req, err := parseSearchRequest(c)
	if err != nil {
		return err
	}
	if a.s.cfg.Stats == nil {
		return unavailable("statistics")
	}
	st, err := a.s.computeStats(c, req)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// handleFacetValues answers GET /api/v1/facets/:facet?prefix=…&limit=… with
// the facet's values under the query and filters.
func (a *api) handleFacetValues(c *fiber.Ctx) error {
	facet := c.Params("facet")
	if !search.IsFacet(facet) && facet != "organization" {
		return invalidParam("facet", "unknown facet %q; facets are %s, organization", clip(facet, 40), joinFacets())
	}
	var prefix string
	limit := 100
	req, err := parseSearchRequestWith(c, map[string]func(string) error{
		"prefix": textParam("prefix", maxPrefixLength, &prefix),
		"limit":  intParam("limit", 1, 1000, &limit),
	})
	if err != nil {
		return err
	}
	if a.s.cfg.Facets == nil {
		return unavailable("facet value search")
	}
	req.Normalize()
	var vals []search.FacetValue
	err = a.s.bounded(c, func(ctx context.Context) (err error) {
		vals, err = a.s.cfg.Facets.FacetValues(ctx, req, facet, prefix, limit)
		return err
	})
	if err != nil {
		return err
	}
	if vals == nil {
		vals = []search.FacetValue{}
	}
	return c.JSON(fiber.Map{"facet": facet, "values": vals})
}

// bounded runs fn as one search: within the search concurrency limit (when
// the API is set up) and the per-search time budget; running out of time
// becomes a 503. Every index call of a request goes through here or through
// Server.search, which adds metrics.
func (s *Server) bounded(c *fiber.Ctx, fn func(ctx context.Context) error) error {
	if s.api != nil {
		release, err := s.slot(c)
		if err != nil {
			return err
		}
		defer release()
	}
	ctx, cancel := s.searchContext(c)
	defer cancel()
	if err := fn(ctx); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return search.Errorf(search.EUNAVAILABLE, "the request took longer than its %s budget; narrow it", s.cfg.SearchBudget)
		}
		return err
	}
	return nil
}

// budgetError turns a search that ran out of time into a 503.
func (a *api) budgetError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return search.Errorf(search.EUNAVAILABLE, "the request took longer than its %s budget; narrow it", a.s.cfg.SearchBudget)
	}
	return err
}

// unavailable is the 503 of a capability the index does not offer.
func unavailable(what string) error {
	return search.Errorf(search.EUNAVAILABLE, "%s is not available on this server", what)
}
