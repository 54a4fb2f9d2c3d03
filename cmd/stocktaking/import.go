package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/search/exchange"
)

func runImport(ctx context.Context, args []string) error {
	cfg := &Config{NoDefaults: true}
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	cfg.addCommonFlags(fs)
	dryRun := fs.Bool("dry-run", false, "read and validate only; write nothing")
	format := fs.String("format", "", "jsonl, json or csv (default: from the file name and content)")
	author := fs.String("author", "import", "author recorded in the revisions")
	year := fs.Int("year", 0, "edition year for CSV rows that have none (default: a year in the file name, as in wsis-prizes-2015-nominated.csv; a file named without one needs -year)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: stocktaking import [flags] FILE...")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("no file to import")
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	log := newLogger(cfg, os.Stderr)
	var app *App
	if !*dryRun {
		var err error
		if app, err = openApp(ctx, cfg, log); err != nil {
			return err
		}
		defer app.Close()
	}
	failed := false
	for _, path := range fs.Args() {
		rep, err := importFile(ctx, app, path, exchange.Format(*format), *year, *author, *dryRun)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		printReport(os.Stdout, path, rep, *dryRun)
		if len(rep.Rejected) > 0 {
			failed = true
		}
	}
	if failed {
		fmt.Fprintln(os.Stdout, "some rows were rejected; the accepted rows were kept")
	}
	return nil
}

// importFile reads one file through exchange.Read and writes the accepted
// entries in batches through the service (store, then index).
func importFile(ctx context.Context, app *App, path string, f exchange.Format, year int, author string, dryRun bool) (*exchange.Report, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var size int64
	if info, err := file.Stat(); err == nil {
		size = info.Size()
	}
	pr := &progressReader{r: file}
	var rows atomic.Int64
	stop := startProgress(os.Stderr, filepath.Base(path), size, pr, &rows)
	defer stop()
	br := bufio.NewReaderSize(pr, 1<<16)
	if f == "" {
		head, _ := br.Peek(4096)
		f = exchange.DetectFormat(filepath.Base(path), head)
	}
	ch := search.Change{Author: author, Note: "import " + filepath.Base(path), Time: time.Now().UTC()}
	opts := exchange.Options{DefaultYear: year, Source: filepath.Base(path)}
	return exchange.Read(br, f, opts, 1000, func(batch []*search.Entry) error {
		rows.Add(int64(len(batch)))
		if dryRun {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := app.Service.Put(ctx, batch, ch)
		return err
	})
}

func printReport(w io.Writer, path string, rep *exchange.Report, dryRun bool) {
	verb := "accepted"
	if dryRun {
		verb = "valid (dry run, nothing written)"
	}
	fmt.Fprintf(w, "%s: %d read, %d %s, %d rejected, %d repaired\n",
		path, rep.Read, rep.Accepted, verb, len(rep.Rejected), len(rep.Repairs))
	for _, r := range rep.Repairs {
		fmt.Fprintf(w, "  repaired line %d %s: %q -> %q (%s)\n", r.Line, r.Field, r.From, r.To, r.Reason)
	}
	for _, r := range rep.Rejected {
		fmt.Fprintf(w, "  rejected line %d: %s\n", r.Line, r.Reason)
	}
}
