package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/itu-stocktaking/stocktaking/index/store"
)

// runRestore runs "restore FILE" with the server stopped: it checks the
// backup, replaces the store file with it and deletes the search index,
// which the next start rebuilds from the restored store.
func runRestore(ctx context.Context, args []string) error {
	cfg := &Config{}
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	cfg.addCommonFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: stocktaking restore [-data DIR] FILE   (with the server stopped)")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("restore takes one FILE")
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	entries, err := restoreFrom(fs.Arg(0), cfg.Data)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "restored %d entries into %s; the search index is rebuilt at the next start\n", entries, cfg.Data)
	return nil
}

// restoreFrom replaces the store of data with the backup at src.
func restoreFrom(src, data string) (int, error) {
	entries, err := checkStoreFile(src)
	if err != nil {
		return 0, fmt.Errorf("%s is not a usable backup: %w", src, err)
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return 0, fmt.Errorf("create data dir: %w", err)
	}
	target := storePath(data)
	// Hold the current store's lock during the swap: a running server
	// holds it exclusively, and then the restore must not happen.
	if _, err := os.Stat(target); err == nil {
		cur, err := store.Open(target, store.Options{ReadOnly: true, Timeout: lockWait})
		if err != nil {
			return 0, fmt.Errorf("%w\n(stop the server before restoring)", err)
		}
		defer cur.Close()
	}
	tmp, err := os.CreateTemp(data, "stocktaking.db.*.restore")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	in, err := os.Open(src)
	if err != nil {
		tmp.Close()
		return 0, err
	}
	_, err = io.Copy(tmp, in)
	in.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("copy %s: %w", src, err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return 0, err
	}
	// The index is derived from the store: remove it before the swap, so
	// that a crash in between leaves no index that disagrees with the store.
	if err := os.RemoveAll(indexPath(data)); err != nil {
		return 0, fmt.Errorf("delete the search index: %w", err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return 0, err
	}
	return entries, syncDir(filepath.Dir(target))
}
