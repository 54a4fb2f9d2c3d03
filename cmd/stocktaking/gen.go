package main

import (
	"bufio"
	"context"
	"flag"
	"os"

	"github.com/itu-stocktaking/stocktaking/fixtures"
)

func runGen(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	seed := fs.Int64("seed", fixtures.DefaultSeed, "generator seed")
	n := fs.Int("n", fixtures.DefaultCount, "number of entries")
	out := fs.String("o", "-", "output file (- for standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	bw, finish, err := createOutput(*out)
	if err != nil {
		return err
	}
	if err := fixtures.WriteJSONL(bw, fixtures.Generate(*seed, *n)); err != nil {
		_ = finish()
		return err
	}
	return finish()
}

// createOutput opens path for writing ("-" is standard output) behind a
// buffer; finish flushes and closes it, reporting either error, so that a
// full disk is never a silent truncation.
func createOutput(path string) (*bufio.Writer, func() error, error) {
	if path == "-" {
		bw := bufio.NewWriterSize(os.Stdout, 1<<16)
		return bw, bw.Flush, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	return bw, func() error {
		ferr := bw.Flush()
		if cerr := f.Close(); ferr == nil {
			ferr = cerr
		}
		return ferr
	}, nil
}
