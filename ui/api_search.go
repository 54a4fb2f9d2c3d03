package ui

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

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
	ctx, cancel := s.searchContext(c)
	defer cancel()
	start := time.Now()
	res, err := s.cfg.Service.Search(ctx, req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, nil, search.Errorf(search.EUNAVAILABLE, "the search took longer than its %s budget; narrow the query", s.cfg.SearchBudget)
		}
		return nil, nil, err
	}
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	if res.Hits == nil {
		res.Hits = []search.Hit{}
	}
	return req, res, nil
}

// handleAPISearch answers GET /api/v1/search.
func (s *Server) handleAPISearch(c *fiber.Ctx) error {
	_, res, err := s.runSearch(c, true)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// handleAPIEntry answers GET /api/v1/entries/:id.
func (s *Server) handleAPIEntry(c *fiber.Ctx) error {
	e, err := s.cfg.Service.Store.Get(c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(e)
}

// handleAPIRevisions answers GET /api/v1/entries/:id/revisions.
func (s *Server) handleAPIRevisions(c *fiber.Ctx) error {
	revs, err := s.cfg.Service.Store.Revisions(c.Params("id"))
	if err != nil {
		return err
	}
	if len(revs) == 0 {
		if _, err := s.cfg.Service.Store.Get(c.Params("id")); err != nil {
			return err
		}
	}
	return c.JSON(fiber.Map{"revisions": revs})
}

// handleAPIFacetValues answers GET /api/v1/facets/:facet?q=…&prefix=… with
// the facet's values under the current query and filters.
func (s *Server) handleAPIFacetValues(c *fiber.Ctx) error {
	facet := c.Params("facet")
	if !search.IsFacet(facet) && facet != "organization" {
		return invalidParam("facet", "unknown facet %q", facet)
	}
	if s.cfg.Facets == nil {
		return search.Errorf(search.EUNAVAILABLE, "facet value search is not available")
	}
	prefix := c.Query("prefix")
	c.Context().QueryArgs().Del("prefix")
	req, err := parseSearchRequest(c)
	if err != nil {
		return err
	}
	req.Normalize()
	ctx, cancel := s.searchContext(c)
	defer cancel()
	vals, err := s.cfg.Facets.FacetValues(ctx, req, facet, prefix, 100)
	if err != nil {
		return err
	}
	if vals == nil {
		vals = []search.FacetValue{}
	}
	return c.JSON(fiber.Map{"facet": facet, "values": vals})
}
