package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// handleHealth answers GET /healthz: the process is up and serving.
func (a *api) handleHealth(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// handleReady answers GET /readyz: 200 when the index is open and answers
// a search (one hit, no facets, within the search budget), 503 otherwise.
func (a *api) handleReady(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if a.s.cfg.Service == nil || a.s.cfg.Service.Index == nil {
		return unavailable("the index")
	}
	ctx, cancel := a.s.searchContext(c)
	defer cancel()
	req := &search.Request{Size: 1, NoFacets: true}
	if _, err := a.s.cfg.Service.Search(ctx, req); err != nil {
		a.s.log.Warn().Err(err).Str("request_id", requestID(c)).Msg("not ready")
		return search.Errorf(search.EUNAVAILABLE, "the index does not answer searches yet")
	}
	return c.SendString("ready")
}

// handleAnalytics answers GET /api/v1/admin/analytics?weeks=N (1…52,
// default 4) for administrators: what people search for, and what finds
// nothing.
func (a *api) handleAnalytics(c *fiber.Ctx) error {
	if a.cfg.AdminCheck == nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="stocktaking admin"`)
		return search.Errorf(search.EUNAUTHORIZED, "administrator authentication is required")
	}
	if err := a.cfg.AdminCheck(c); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	weeks := 4
	if err := readParams(c, map[string]func(string) error{"weeks": intParam("weeks", 1, 52, &weeks)}); err != nil {
		return err
	}
	if a.cfg.Analytics == nil {
		return unavailable("query analytics")
	}
	rep, err := a.cfg.Analytics.Report(weeks)
	if err != nil {
		return err
	}
	if rep.Weeks == nil {
		rep.Weeks = []search.AnalyticsWeek{}
	}
	return c.JSON(rep)
}
