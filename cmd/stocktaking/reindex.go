package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"
)

func runReindex(ctx context.Context, args []string) error {
	cfg := &Config{NoDefaults: true}
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	cfg.addCommonFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if _, err := os.Stat(storePath(cfg.Data)); err != nil {
		return fmt.Errorf("no store in %s: %w", cfg.Data, err)
	}
	log := newLogger(cfg, os.Stderr)
	start := time.Now()
	if err := os.RemoveAll(indexPath(cfg.Data)); err != nil {
		return fmt.Errorf("remove old index: %w", err)
	}
	app, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer app.Close()
	n, _ := app.Index.Count()
	fmt.Fprintf(os.Stderr, "reindexed %d entries in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
