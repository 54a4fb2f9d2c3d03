package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/itu-stocktaking/stocktaking/index/store"
	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/search/exchange"
)

func runExport(ctx context.Context, args []string) error {
	cfg := &Config{}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	cfg.addCommonFlags(fs)
	format := fs.String("format", "jsonl", "jsonl, json or csv")
	out := fs.String("o", "-", "output file (- for standard output)")
	withdrawn := fs.Bool("withdrawn", false, "include withdrawn entries")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	st, err := store.Open(storePath(cfg.Data), store.Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	bw, finish, err := createOutput(*out)
	if err != nil {
		return err
	}
	ew, err := exchange.NewWriter(bw, exchange.Format(*format))
	if err != nil {
		_ = finish()
		return err
	}
	n := 0
	err = st.ForEach(func(e *search.Entry) error {
		if e.Withdrawn && !*withdrawn {
			return nil
		}
		n++
		return ew.Write(e)
	})
	if err == nil {
		err = ew.Close()
	}
	if ferr := finish(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "exported %d entries\n", n)
	return nil
}
