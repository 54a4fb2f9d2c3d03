package main

import (
	"bufio"
	"context"
	"flag"
	"io"
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
	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := fixtures.WriteJSONL(bw, fixtures.Generate(*seed, *n)); err != nil {
		return err
	}
	return bw.Flush()
}
