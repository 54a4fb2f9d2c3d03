package ui

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/itu-stocktaking/stocktaking/search"
)

// api holds the state of the JSON API and the operational routes: its
// settings, the concurrency limits and the metrics. Server.api points to it.
type api struct {
	s        *Server
	cfg      APIConfig
	searches chan struct{} // one token per running search
	exports  chan struct{} // one token per streaming export
	metrics  *metrics
	docs     *apiDocs
}

// headers the API exposes to browser scripts.
const exposedHeaders = "ETag, X-Request-Id, X-Total-Count, Retry-After, Content-Disposition, " +
	"X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"

// commonMiddleware makes the API state and registers the middleware of
// every route: metrics, the search limit and compression. routes() calls
// it before any route.
func (s *Server) commonMiddleware() {
	a := newAPI(s)
	s.api = a
	s.app.Use(a.observe)
	s.app.Use(a.admitSearch)
	// fasthttp compresses streamed bodies (exports) as they stream
	s.app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
}

// apiRoutes registers the read API, operational and discovery routes,
// after commonMiddleware and the lifecycle routes.
func (s *Server) apiRoutes() {
	a := s.api

	s.app.Get("/healthz", a.handleHealth)
	s.app.Get("/readyz", a.handleReady)
	s.app.Get("/metrics", a.handleMetrics)
	s.app.Get("/opensearch.xml", a.handleOpenSearch)
	s.app.Get("/sitemap.xml", a.cached, a.handleSitemap)

	g := s.app.Group("/api", cors.New(cors.Config{
		AllowOrigins:  a.cfg.CORSOrigins,
		AllowMethods:  "GET,HEAD,OPTIONS",
		ExposeHeaders: exposedHeaders,
		MaxAge:        3600,
	}))
	if a.cfg.RateLimit > 0 {
		g.Use(limiter.New(limiter.Config{
			Max:          a.cfg.RateLimit,
			Expiration:   a.cfg.RateWindow,
			KeyGenerator: func(c *fiber.Ctx) string { return c.IP() },
			LimitReached: func(c *fiber.Ctx) error {
				return search.Errorf(search.ETOOMANY, "more than %d API requests in %s from this address; retry after %s seconds",
					a.cfg.RateLimit, a.cfg.RateWindow, c.GetRespHeader(fiber.HeaderRetryAfter))
			},
		}))
	}
	g.Use(refuseBody)
	getRoute(g, "", a.handleAPIDocs)
	getRoute(g, "/", a.handleAPIDocs)

	v1 := g.Group("/v1")
	getRoute(v1, "/openapi.json", a.handleOpenAPI)
	getRoute(v1, "/search", a.cached, a.handleSearch)
	getRoute(v1, "/entries/:id", a.cached, a.handleEntry)
	getRoute(v1, "/entries/:id/similar", a.cached, a.handleSimilar)
	getRoute(v1, "/entries/:id/revisions", a.cached, a.handleRevisions)
	getRoute(v1, "/suggest", a.cached, a.handleSuggest)
	getRoute(v1, "/facets/:facet", a.cached, a.handleFacetValues)
	getRoute(v1, "/stats", a.cached, a.handleStats)
	getRoute(v1, "/export", a.handleExport)
	getRoute(v1, "/admin/analytics", a.handleAnalytics)
	v1.All("/*", func(c *fiber.Ctx) error {
		return search.Errorf(search.ENOTFOUND, "no API route %s; the routes are listed at /api/v1/openapi.json", c.Path())
	})
}

func newAPI(s *Server) *api {
	cfg := s.cfg.API.withDefaults()
	if cfg.Generation == nil && s.cfg.Service != nil && s.cfg.Service.Index != nil {
		cfg.Generation = s.cfg.Service.Index.Seq
	}
	a := &api{
		s:        s,
		cfg:      cfg,
		searches: make(chan struct{}, cfg.MaxSearches),
		exports:  make(chan struct{}, cfg.MaxExports),
	}
	a.metrics = newMetrics(a)
	a.docs = mustLoadAPIDocs()
	return a
}

// getRoute registers a GET (and HEAD) route and answers every other method on
// the same path with 405 and an Allow header (OPTIONS with 204).
func getRoute(r fiber.Router, path string, handlers ...fiber.Handler) {
	r.Get(path, handlers...)
	methodsRoute(r, path, "GET, HEAD")
}

// refuseBody rejects a request body: the API only reads, so a body is a
// client mistake (often a POST turned into a GET by a proxy), never data.
// Other methods get their 405 first.
func refuseBody(c *fiber.Ctx) error {
	if len(c.Body()) == 0 || (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) {
		return c.Next()
	}
	ct := c.Get(fiber.HeaderContentType)
	if ct == "" {
		ct = "none"
	}
	return fiber.NewError(fiber.StatusUnsupportedMediaType,
		"this API takes no request body (got "+clip(ct, 60)+"); pass parameters in the URL query")
}

// cached answers 304 when the client holds the current version, and marks a
// successful response with an ETag tied to the index generation: the same
// URL and Accept-Language under the same generation give the same answer.
func (a *api) cached(c *fiber.Ctx) error {
	if a.cfg.Generation == nil {
		return c.Next()
	}
	etag := etagOf(a.cfg.Generation(), c.OriginalURL(), c.Get(fiber.HeaderAcceptLanguage))
	cacheControl := "public, max-age=" + strconv.Itoa(int(a.cfg.CacheMaxAge/time.Second))
	c.Vary(fiber.HeaderAcceptLanguage)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		c.Set(fiber.HeaderETag, etag)
		c.Set(fiber.HeaderCacheControl, cacheControl)
		return c.SendStatus(fiber.StatusNotModified)
	}
	if err := c.Next(); err != nil {
		return err
	}
	if c.Response().StatusCode() == fiber.StatusOK {
		c.Set(fiber.HeaderETag, etag)
		c.Set(fiber.HeaderCacheControl, cacheControl)
	}
	return nil
}

// etagOf is W/"<generation>-<hash of URL and Accept-Language>".
func etagOf(gen uint64, url, acceptLanguage string) string {
	h := fnv.New64a()
	h.Write([]byte(url))
	h.Write([]byte{0})
	h.Write([]byte(acceptLanguage))
	return fmt.Sprintf(`W/"%d-%016x"`, gen, h.Sum64())
}

// etagMatches implements the weak comparison of If-None-Match (RFC 9110
// 13.1.2): "*" or any listed tag equal to ours, W/ prefixes ignored.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// methodsRoute answers every method a path does not take with 405 and
// the Allow header (OPTIONS: 204). Register it after the path's routes.
func methodsRoute(r fiber.Router, path, allow string) {
	r.All(path, func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderAllow, allow+", OPTIONS")
		if c.Method() == fiber.MethodOptions {
			return c.SendStatus(fiber.StatusNoContent)
		}
		return fiber.NewError(fiber.StatusMethodNotAllowed,
			"method "+c.Method()+" is not allowed on "+c.Path()+"; use "+allow)
	})
}
