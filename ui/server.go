// Package ui serves the web pages and the JSON API under /api/v1 with fiber.
// It knows nothing of bleve or bbolt: it talks to the search.Service and a
// few small interfaces.
package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/pprof"
	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

// FacetLister lists the values of one facet under a query and filters.
type FacetLister interface {
	FacetValues(ctx context.Context, req *search.Request, facet, prefix string, limit int) ([]search.FacetValue, error)
}

// Config holds what the server needs; cmd fills it.
type Config struct {
	Service *search.Service
	Facets  FacetLister // may be nil
	// The optional capabilities below are implemented by the index; a nil
	// one makes its route answer 503.
	Suggester    search.Suggester
	Similar      search.SimilarFinder
	Stats        search.StatsComputer
	Matcher      search.Matcher
	Logger       zerolog.Logger
	Version      string
	ReadOnly     bool
	SearchBudget time.Duration   // per-search time budget
	BodyLimit    int             // bytes
	Lifecycle    LifecycleConfig // submissions, moderation, tokens, backups
	API          APIConfig       // limits, caching and operations of the API
	// Profiling serves Go's pprof under /debug/pprof/ (off by default: it
	// reveals internals; turn it on only behind a trusted network).
	Profiling bool
	// Reindex rebuilds the index from the store while serving; nil
	// disables POST /api/v1/admin/reindex.
	Reindex func(ctx context.Context) error
	// TrustedProxies lists the addresses (IPs or CIDR ranges) of reverse
	// proxies in front of the server. Only on a connection from one of them
	// does c.IP() read the client's address from X-Forwarded-For (its first
	// valid address), so that the API and submission rate limits key on the
	// client, and do c.Protocol() and c.BaseURL() read X-Forwarded-Proto
	// and X-Forwarded-Host, so that cookies are Secure behind a proxy that
	// terminated TLS and links (without API.BaseURL) name the public host.
	// Empty: trust nobody; every client is keyed on its connection's
	// address and those headers are ignored.
	TrustedProxies []string
}

// Server is the HTTP server.
type Server struct {
	cfg Config
	app *fiber.App
	log zerolog.Logger
	ln  net.Listener
	api *api
	now func() time.Time // the clock of dated pages (the report); tests set it
}

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	if cfg.SearchBudget <= 0 {
		cfg.SearchBudget = 2 * time.Second
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = 4 << 20
	}
	if err := CheckTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger.With().Str("component", "http").Logger(), now: time.Now}
	s.app = fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		BodyLimit:             cfg.BodyLimit,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           60 * time.Second,
		ReadBufferSize:        16 << 10,
		AppName:               "stocktaking",
		// Forwarding headers count only from the trusted proxies.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             fiber.HeaderXForwardedFor,
		EnableIPValidation:      true,
	})
	if err := s.loadTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// CheckTrustedProxies reports the first entry of list that is neither an
// IP address nor a CIDR range (fiber would only log it and go on).
func CheckTrustedProxies(list []string) error {
	for _, p := range list {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return fmt.Errorf("trusted proxy %q is neither an IP address nor a CIDR range", p)
		}
	}
	return nil
}

// App exposes the fiber app, for tests that call app.Test.
func (s *Server) App() *fiber.App { return s.app }

// Listen opens the listener; a busy port fails here, before serving.
func (s *Server) Listen(addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s.ln = ln
	return ln.Addr(), nil
}

// Addr is the address the server listens on (after Listen).
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Serve serves on the listener opened by Listen until Shutdown.
func (s *Server) Serve() error {
	if s.ln == nil {
		return errors.New("serve: Listen first")
	}
	return s.app.Listener(s.ln)
}

// Shutdown stops accepting connections and waits for running requests.
func (s *Server) Shutdown(timeout time.Duration) error {
	return s.app.ShutdownWithTimeout(timeout)
}

func (s *Server) routes() {
	s.app.Use(s.requestLog)
	if s.cfg.Profiling {
		s.app.Use(pprof.New())
	}
	s.app.Use(s.securityHeaders)
	// The middleware of every route (metrics, the search limit,
	// compression) comes before any route, so that it covers all of them.
	s.commonMiddleware()
	// Lifecycle routes take request bodies: they come before the API's
	// read-only middleware (which refuses bodies) and its catch-all.
	s.lifecycleRoutes()
	s.adminRoutes()
	s.apiRoutes() // the read API, operations, discovery
	s.pageRoutes()
	// The public pages revalidate on every visit (pageCache); fiber
	// answers HEAD on each GET route.
	s.app.Get("/", s.pageCache, s.handleSearchPage)
	s.app.Get("/search", s.pageCache, s.handleSearchPage)
	s.app.Get("/entries/:id", s.pageCache, s.handleEntryPage)
	s.app.Get("/explore", s.pageCache, s.handleExplorePage)
	s.app.Get("/showcase", s.pageCache, s.handleShowcasePage)
	s.app.Get("/shortlist", s.pageCache, s.handleShortlistPage)
	s.app.Get("/shortlist.csv", s.handleShortlistCSV)
	s.app.Get("/report", s.pageCache, s.handleReportPage)
}
