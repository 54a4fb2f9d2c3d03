package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/ui"
)

// errRestart is startServer's answer when it has built the whole index and
// the process should start again (Config.restartAfterBuild).
var errRestart = errors.New("restart after the index build")

// restartBuilt is what startServer did before it answered errRestart, for
// the environment of the next run.
var restartBuilt string

// envRestarted marks the process that restartServe started, which does not
// restart again; its value says what the first run did and how long it
// took ("defaults 3.1s"), for the second run's start-up line.
const envRestarted = "STOCKTAKING_RESTARTED"

// restartServe replaces the process with a new run of the same command
// (same process id, arguments, open files and environment). A first start
// builds the whole index in memory (near 1 GB at its peak for the default
// set); the Go runtime keeps the bookkeeping of that heap for the life of
// the process, about 20 MB, and a serving process that never built stays
// well below the 200 MB the server is meant to use. The new run finds the
// index complete and only opens it (under a second).
func restartServe(built string) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("restart after the index build: %w", err)
	}
	env := append(os.Environ(), envRestarted+"="+built)
	if err := syscall.Exec(exe, os.Args, env); err != nil {
		return fmt.Errorf("restart after the index build: %w", err)
	}
	return nil // not reached
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func runServe(ctx context.Context, args []string) error {
	cfg := &Config{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.addCommonFlags(fs)
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.BoolVar(&cfg.ReadOnly, "read-only", false, "serve without writing to the store file (read replica; write routes answer 405); the search index, derived from the store, is still built or brought up to date under DATA/index, which must be writable")
	fs.DurationVar(&cfg.SearchBudget, "search-budget", 2*time.Second, "time budget of one search")
	fs.BoolVar(&cfg.NoDefaults, "no-defaults", false, "do not load the default data set into an empty store")
	fs.IntVar(&cfg.RateLimit, "rate-limit", 600, "API requests per minute per client address (negative: no limit)")
	fs.StringVar(&cfg.CORSOrigins, "cors-origins", "*", "comma-separated origins allowed to read the API from a browser")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", "", "comma-separated IPs or CIDR ranges of reverse proxies whose X-Forwarded-For (client address for the rate limits) and X-Forwarded-Proto (Secure cookies) are believed; the proxy must set X-Forwarded-For to the client's address (default: trust nobody)")
	fs.StringVar(&cfg.BaseURL, "base-url", "", "public origin, e.g. https://stocktaking.example.org (default: from the request)")
	fs.BoolVar(&cfg.Profiling, "pprof", false, "serve Go profiles under /debug/pprof/ (only behind a trusted network)")
	fs.IntVar(&cfg.MaxSearches, "max-searches", 0, "searches running at once; more wait in line up to 1 s, then 503 (default: the number of cores)")
	fs.IntVar(&cfg.Edition, "edition", 0, "stocktaking edition that new submissions count in (default: the edition whose call is open on the day of each submission: until 31 January, the previous year's)")
	fs.StringVar(&cfg.Deadline, "deadline", "", "last day (YYYY-MM-DD, UTC) of the edition; later submissions count in the next (default: 31 January after the edition)")
	fs.IntVar(&cfg.MaxBodyMiB, "max-body", 4, "largest request body in MiB (submissions, admin imports); larger ones get 413")
	memLimit := fs.Int("memory-limit", 112, "soft limit of the Go heap in MiB: the collector works harder near it (0: none; the GOMEMLIMIT variable, when set, wins)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *memLimit < 0 {
		return fmt.Errorf("-memory-limit must be 0 or more MiB")
	}
	if cfg.MaxBodyMiB < 1 || cfg.MaxBodyMiB > 1024 {
		return fmt.Errorf("-max-body must be between 1 and 1024 MiB")
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	log := newLogger(cfg, os.Stderr)
	cores := runtime.GOMAXPROCS(0) // the CPU limit of the machine or container
	if cfg.MaxSearches <= 0 {
		cfg.MaxSearches = cores
	}
	cfg.restartAfterBuild = os.Getenv(envRestarted) == "" && runtime.GOOS != "windows"
	srv, app, err := startServer(ctx, cfg)
	if errors.Is(err, errRestart) {
		return restartServe(restartBuilt)
	}
	if err != nil {
		return err
	}
	// after start-up: building the index is allowed more (WithBuildGC)
	if *memLimit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.FreeOSMemory() // what the start-up's build left unused
		debug.SetMemoryLimit(int64(*memLimit) << 20)
	}
	// One scheduler slot more than searches may use: while searches hold
	// every core, the spare slot takes network events at once. Without it
	// the runtime looks for them only when a slot runs out of work, which
	// under load is every few milliseconds, and answers wait in bursts
	// (docs/RELIABILITY.md: p99 at 32 connections 30 → 24 ms).
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(cores + 1)
	}
	defer app.Close()
	log = app.Log // the server's logger: its lines stay in order with the requests'
	<-ctx.Done()
	log.Info().Msg("shutting down")
	if err := srv.Shutdown(10 * time.Second); err != nil {
		log.Error().Err(err).Msg("http shutdown")
	}
	return nil
}

// wireCapabilities hands the server whatever optional capabilities the
// index implements.
func wireCapabilities(uc *ui.Config, ix any) {
	if v, ok := ix.(search.Suggester); ok {
		uc.Suggester = v
	}
	if v, ok := ix.(search.SimilarFinder); ok {
		uc.Similar = v
	}
	if v, ok := ix.(search.StatsComputer); ok {
		uc.Stats = v
	}
	if v, ok := ix.(search.Matcher); ok {
		uc.Matcher = v
	}
}

// startServer opens the data directory, listens and serves in the
// background; it returns once the server accepts connections.
func startServer(ctx context.Context, cfg *Config) (*ui.Server, *App, error) {
	var out io.Writer = os.Stderr
	var lw *logWriter
	if !cfg.Dev && !isatty.IsTerminal(os.Stderr.Fd()) { // JSON lines: batched
		lw = newLogWriter(os.Stderr)
		out = lw
	}
	log := newLogger(cfg, out)
	app, err := openApp(ctx, cfg, log)
	if err != nil {
		if lw != nil {
			lw.Close()
		}
		return nil, nil, err
	}
	if lw != nil {
		app.logOut = lw
	}
	if cfg.restartAfterBuild && app.Loaded != "" {
		entries, _ := app.Index.Count()
		log.Info().Str("loaded", app.Loaded).Int("entries", entries).Dur("build_time", app.OpenTime).
			Msg("index built; starting again to serve without the build's memory")
		restartBuilt = app.Loaded + " " + app.OpenTime.Round(time.Millisecond).String()
		app.Close()
		return nil, nil, errRestart
	}
	lifecycle, err := lifecycleConfig(cfg, app)
	if err != nil {
		app.Close()
		return nil, nil, err
	}
	uc := ui.Config{
		Lifecycle:      lifecycle,
		Service:        app.Service,
		Facets:         app.Index,
		Logger:         log,
		Version:        version,
		ReadOnly:       cfg.ReadOnly,
		SearchBudget:   cfg.SearchBudget,
		Profiling:      cfg.Profiling,
		BodyLimit:      cfg.MaxBodyMiB << 20,
		TrustedProxies: cfg.trustedProxies(),
		API: ui.APIConfig{
			AdminCheck:  ui.BearerCheck(app.Store, search.RoleAdmin),
			IndexSize:   app.IndexSize,
			Analytics:   app.Analytics,
			RateLimit:   cfg.RateLimit,
			CORSOrigins: cfg.CORSOrigins,
			BaseURL:     cfg.BaseURL,
			MaxSearches: cfg.MaxSearches,
			LastReindex: app.LastReindex,
		},
	}
	if !cfg.ReadOnly {
		uc.Reindex = app.Reindex
	}
	wireCapabilities(&uc, app.Index)
	srv, err := ui.New(uc)
	if err != nil {
		app.Close()
		return nil, nil, err
	}
	addr, err := srv.Listen(cfg.Addr)
	if err != nil {
		app.Close()
		return nil, nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	go func() {
		if err := srv.Serve(); err != nil {
			log.Error().Err(err).Msg("serve")
		}
	}()
	entries, _ := app.Index.Count()
	log.Info().
		Str("url", "http://"+addr.String()+"/").
		Str("data", cfg.Data).
		Int("entries", entries).
		Str("loaded", app.Loaded).
		Dur("open_time", app.OpenTime).
		Str("before_restart", os.Getenv(envRestarted)).
		Bool("read_only", cfg.ReadOnly).
		Msg("stocktaking is serving")
	fmt.Fprintf(os.Stderr, "Stocktaking is serving %d entries at http://%s/\n", entries, addr)
	return srv, app, nil
}
