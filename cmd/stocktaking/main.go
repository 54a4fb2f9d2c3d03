// Command stocktaking serves the WSIS Stocktaking search engine and manages
// its data: serve (default), import, export, reindex, gen, bench, eval.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// commands maps a subcommand name to its runner.
var commands = map[string]func(ctx context.Context, args []string) error{
	"serve":   runServe,
	"import":  runImport,
	"export":  runExport,
	"reindex": runReindex,
	"gen":     runGen,
	"eval":    runEval,
	"bench":   runBench,
	"token":   runToken,
	"backup":  runBackup,
	"restore": runRestore,
	"load":    runLoad,
}

func main() {
	ctx, cancel := signalContext()
	defer cancel()
	args := os.Args[1:]
	name := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "-h" {
		usage()
		return
	}
	run, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "stocktaking: unknown command %q\n\n", name)
		usage()
		os.Exit(2)
	}
	if err := run(ctx, args); err != nil {
		fmt.Fprintf(os.Stderr, "stocktaking %s: %v\n", name, err)
		os.Exit(1)
	}
}

// signalContext is cancelled on the first SIGINT/SIGTERM; a second signal
// exits at once.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ch
		cancel()
		<-ch
		fmt.Fprintln(os.Stderr, "stocktaking: second signal, exiting now")
		os.Exit(130)
	}()
	return ctx, cancel
}

func usage() {
	fmt.Fprint(os.Stderr, `usage: stocktaking [command] [flags]

commands:
  serve      serve the web UI and the API (the default)
  import     import entries from JSONL, JSON or CSV files
  export     write all entries as JSONL, JSON or CSV
  reindex    rebuild the search index from the store
  gen        write the generated default data set as JSONL
  eval       measure ranking quality on a BEIR collection (nDCG@10, MAP, R@100)
  bench      measure search with facets against plain bleve facets
  load       bounded load test of a running server on loopback
  token      create, list or revoke moderator and admin tokens
  backup     write a consistent snapshot of the store (through a running server)
  restore    replace the store with a backup (server stopped)

Run "stocktaking COMMAND -h" for the flags of a command. Every flag can also
be set by an environment variable STOCKTAKING_<FLAG> (e.g. STOCKTAKING_ADDR).
`)
}
