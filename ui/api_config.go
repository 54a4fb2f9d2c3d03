package ui

import (
	"runtime"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// APIConfig holds the settings of the JSON API and the operational routes;
// it is Config.API. Zero values mean the defaults given on each field.
type APIConfig struct {
	// BaseURL is the public origin ("https://stocktaking.example.org"),
	// used in the sitemap, OpenSearch and JSON-LD; empty derives it from
	// the request.
	BaseURL string
	// RateLimit is the number of /api requests a client IP may make per
	// RateWindow (default 600 per minute); negative disables the limit.
	RateLimit  int
	RateWindow time.Duration
	// CORSOrigins is a comma-separated list of origins allowed to read the
	// API from a browser (default "*").
	CORSOrigins string
	// MaxSearches is the number of searches that may run at once (default
	// GOMAXPROCS: a search is all CPU work, and a search request holds its
	// slot from routing to its compressed answer); a search waits in
	// arrival order at most QueueWait (default 1s) for a slot, then gets
	// 503 with Retry-After.
	MaxSearches int
	QueueWait   time.Duration
	// MaxExports is the number of exports that may stream at once (default
	// 2); ExportBudget bounds one export (default 5 minutes).
	MaxExports   int
	ExportBudget time.Duration
	// MaxResultWindow bounds page×size (default 10000): deeper results are
	// reached with the cursor, which costs no more at depth.
	MaxResultWindow int
	// CacheMaxAge is the max-age of cacheable API responses (default 60s).
	CacheMaxAge time.Duration
	// Generation identifies the index contents; it changes whenever the
	// index does and makes the ETags. Default: the index's store sequence.
	Generation func() uint64
	// IndexSize returns the index size in bytes and LastReindex the time of
	// the last full rebuild, for /metrics; nil ones are not reported.
	IndexSize   func() int64
	LastReindex func() time.Time
	// Analytics records every API search; nil records nothing.
	Analytics search.AnalyticsSink
	// AdminCheck authorises the admin routes: it returns nil to allow, or
	// an error (401/403). A nil AdminCheck refuses every admin request.
	AdminCheck func(c *fiber.Ctx) error
}

// withDefaults fills the zero fields.
func (a APIConfig) withDefaults() APIConfig {
	if a.RateLimit == 0 {
		a.RateLimit = 600
	}
	if a.RateWindow <= 0 {
		a.RateWindow = time.Minute
	}
	if a.CORSOrigins == "" {
		a.CORSOrigins = "*"
	}
	if a.MaxSearches <= 0 {
		a.MaxSearches = runtime.GOMAXPROCS(0)
	}
	if a.QueueWait <= 0 {
		a.QueueWait = time.Second
	}
	if a.MaxExports <= 0 {
		a.MaxExports = 2
	}
	if a.ExportBudget <= 0 {
		a.ExportBudget = 5 * time.Minute
	}
	if a.MaxResultWindow <= 0 {
		a.MaxResultWindow = 10000
	}
	if a.CacheMaxAge <= 0 {
		a.CacheMaxAge = time.Minute
	}
	return a
}
