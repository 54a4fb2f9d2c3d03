package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/ui"
)

// Config is the whole configuration, read only here and passed down as
// explicit fields.
type Config struct {
	// restartAfterBuild makes startServer stop with errRestart when it
	// has built the whole index (serve sets it; see restartServe).
	restartAfterBuild bool

	Addr         string
	Data         string
	Dev          bool
	LogLevel     string
	ReadOnly     bool
	SearchBudget time.Duration
	NoDefaults   bool
	RateLimit    int    // API requests per minute per client; negative: no limit
	CORSOrigins  string // origins allowed to read the API from a browser
	BaseURL      string // public origin for links in sitemap, OpenSearch, JSON-LD
	MaxSearches  int    // searches at once before 503
	MaxBodyMiB   int    // request body limit in MiB (413 beyond)
	Profiling    bool   // serve /debug/pprof/
	Edition      int    // edition year of new submissions; 0 means the current year
	Deadline     string // YYYY-MM-DD, last day of Edition; "" means 31 January after it
	// TrustedProxies is -trusted-proxies: comma-separated IPs and CIDR
	// ranges of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto
	// count (ui.Config.TrustedProxies); empty trusts nobody.
	TrustedProxies string
}

// addCommonFlags registers the flags every command shares.
func (c *Config) addCommonFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", "./stocktaking-data", "data directory (store file and index)")
	fs.BoolVar(&c.Dev, "dev", false, "readable console logs instead of JSON")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
}

// parseFlags parses args, then fills every flag not given on the command
// line from STOCKTAKING_<NAME> (dashes become underscores).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		env := "STOCKTAKING_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
		}
	})
	return err
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.Data == "" {
		return fmt.Errorf("-data must not be empty")
	}
	if _, err := zerolog.ParseLevel(c.LogLevel); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	if c.SearchBudget < 0 {
		return fmt.Errorf("-search-budget must be positive")
	}
	if err := ui.CheckTrustedProxies(c.trustedProxies()); err != nil {
		return fmt.Errorf("-trusted-proxies: %w", err)
	}
	return nil
}

// trustedProxies splits -trusted-proxies into its entries.
func (c *Config) trustedProxies() []string {
	var list []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			list = append(list, p)
		}
	}
	return list
}

// newLogger builds the root logger: JSON by default, console on a terminal
// or with -dev.
func newLogger(c *Config, w io.Writer) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(c.LogLevel)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	if f, ok := w.(*os.File); ok && (c.Dev || isatty.IsTerminal(f.Fd())) {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}
