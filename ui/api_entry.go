package ui

import (
	"context"
	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// handleEntry answers GET /api/v1/entries/:id. A withdrawn entry is still
// returned, marked withdrawn, so that old links explain themselves.
func (a *api) handleEntry(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	if err := readParams(c, nil); err != nil {
		return err
	}
	e, err := a.s.cfg.Service.Store.Get(id)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

// handleRevisions answers GET /api/v1/entries/:id/revisions, oldest first.
func (a *api) handleRevisions(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	if err := readParams(c, nil); err != nil {
		return err
	}
	revs, err := a.s.cfg.Service.Store.Revisions(id)
	if err != nil {
		return err
	}
	if len(revs) == 0 {
		if _, err := a.s.cfg.Service.Store.Get(id); err != nil {
			return err
		}
		revs = []search.Revision{}
	}
	return c.JSON(fiber.Map{"revisions": revs})
}

// handleSimilar answers GET /api/v1/entries/:id/similar?size=&lang=.
func (a *api) handleSimilar(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	size, lang := 10, ""
	if err := readParams(c, map[string]func(string) error{
		"size": intParam("size", 1, 50, &size),
		"lang": langParam(&lang),
	}); err != nil {
		return err
	}
	if a.s.cfg.Similar == nil {
		return unavailable("finding similar entries")
	}
	if _, err := a.s.cfg.Service.Store.Get(id); err != nil {
		return err
	}
	var hits []search.Hit
	err = a.s.bounded(c, func(ctx context.Context) (err error) {
		hits, err = a.s.cfg.Similar.Similar(ctx, id, size, lang)
		return err
	})
	if err != nil {
		return err
	}
	if hits == nil {
		hits = []search.Hit{}
	}
	return c.JSON(fiber.Map{"id": id, "hits": hits})
}

// handleSuggest answers GET /api/v1/suggest?q=&lang=&limit=&format=: the
// completions of a prefix, as {"suggestions": […]} or, with
// format=opensearch, as the OpenSearch suggestions array [q, [texts]] that
// browsers read.
func (a *api) handleSuggest(c *fiber.Ctx) error {
	var q, lang string
	format, limit := "json", 8
	if err := readParams(c, map[string]func(string) error{
		"q":     textParam("q", maxPrefixLength, &q),
		"lang":  langParam(&lang),
		"limit": intParam("limit", 1, 20, &limit),
		"format": func(v string) error {
			if v != "json" && v != "opensearch" {
				return invalidParam("format", "format must be json or opensearch")
			}
			format = v
			return nil
		},
	}); err != nil {
		return err
	}
	if q == "" {
		return invalidParam("q", "q is required: the text typed so far")
	}
	if a.s.cfg.Suggester == nil {
		return unavailable("suggestions")
	}
	var sugs []search.Suggestion
	err := a.s.bounded(c, func(ctx context.Context) (err error) {
		sugs, err = a.s.cfg.Suggester.Suggest(ctx, q, lang, limit)
		return err
	})
	if err != nil {
		return err
	}
	if sugs == nil {
		sugs = []search.Suggestion{}
	}
	if format == "opensearch" {
		texts := make([]string, len(sugs))
		for i, s := range sugs {
			texts[i] = s.Text
		}
		return c.JSON([]any{q, texts}, "application/x-suggestions+json")
	}
	return c.JSON(fiber.Map{"suggestions": sugs})
}
