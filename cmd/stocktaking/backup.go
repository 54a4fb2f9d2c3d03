package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/itu-stocktaking/stocktaking/index/store"
	"github.com/itu-stocktaking/stocktaking/search"
)

// defaultServerURL is where the lifecycle commands find a running server.
const defaultServerURL = "http://127.0.0.1:8080"

// remoteFlags reach a running server's admin API.
type remoteFlags struct {
	url, token string
	urlSet     bool
}

// addRemoteFlags registers -url and -token; the token is best given as
// STOCKTAKING_TOKEN, so that it does not show in the process list.
func addRemoteFlags(fs *flag.FlagSet) *remoteFlags {
	r := &remoteFlags{}
	fs.Func("url", "address of a running server (default "+defaultServerURL+" when -token is given)", func(s string) error {
		r.url, r.urlSet = strings.TrimRight(s, "/"), true
		return nil
	})
	fs.StringVar(&r.token, "token", "", "admin token, to go through a running server (better: STOCKTAKING_TOKEN)")
	return r
}

// enabled reports whether the command goes through a server.
func (r *remoteFlags) enabled() bool { return r.urlSet || r.token != "" }

// do sends a request to the server's API and returns the response, which
// the caller closes; an error status becomes an error with its detail.
func (r *remoteFlags) do(ctx context.Context, method, path string, body any) (*http.Response, error) {
	if r.token == "" {
		return nil, errors.New("-token (or STOCKTAKING_TOKEN) is required to go through the server")
	}
	base := r.url
	if base == "" {
		base = defaultServerURL
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, base+path, err)
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		var p struct{ Detail, Code string }
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		if json.Unmarshal(b, &p) != nil || p.Detail == "" {
			p.Detail = strings.TrimSpace(string(b))
		}
		return nil, fmt.Errorf("%s %s: %s: %s", method, base+path, resp.Status, p.Detail)
	}
	return resp, nil
}

// tokenCommand runs a token subcommand through the admin API.
func (r *remoteFlags) tokenCommand(ctx context.Context, sub, name, role string, out, info io.Writer) error {
	switch sub {
	case "create":
		resp, err := r.do(ctx, http.MethodPost, "/api/v1/admin/tokens", map[string]string{"name": name, "role": role})
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var t struct {
			Token string `json:"token"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
			return fmt.Errorf("read the new token: %w", err)
		}
		printSecret(out, info, name, role, t.Token)
		return nil
	case "list":
		resp, err := r.do(ctx, http.MethodGet, "/api/v1/admin/tokens", nil)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var list []search.Token
		if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
			return fmt.Errorf("read the token list: %w", err)
		}
		printTokens(out, list)
		return nil
	case "revoke":
		resp, err := r.do(ctx, http.MethodDelete, "/api/v1/admin/tokens/"+name, nil)
		if err != nil {
			return err
		}
		resp.Body.Close()
		fmt.Fprintf(info, "token %q revoked\n", name)
		return nil
	}
	return fmt.Errorf("unknown token subcommand %q (want create, list or revoke)", sub)
}

// runBackup runs "backup FILE": a consistent copy of the store, taken
// through a running server (-token, -url) or from the file when no server
// runs. The copy is written beside FILE, checked, then renamed into place,
// so FILE is either a good backup or untouched.
func runBackup(ctx context.Context, args []string) error {
	cfg := &Config{}
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	cfg.addCommonFlags(fs)
	remote := addRemoteFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: stocktaking backup [-data DIR | -token T [-url URL]] FILE")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("backup takes one FILE")
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	n, entries, err := backupTo(ctx, fs.Arg(0), cfg.Data, remote)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "%s: %d bytes, %d entries, check passed\n", fs.Arg(0), n, entries)
	return nil
}

// backupTo writes the backup to path and returns its size and entries.
func backupTo(ctx context.Context, path, data string, remote *remoteFlags) (int64, int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, 0, err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	n, err := writeBackup(ctx, tmp, data, remote)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, 0, fmt.Errorf("back up: %w", err)
	}
	entries, err := checkStoreFile(tmp.Name())
	if err != nil {
		return n, 0, fmt.Errorf("the copy is damaged (%w); %s was not written", err, path)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, 0, err
	}
	return n, entries, syncDir(filepath.Dir(path))
}

func writeBackup(ctx context.Context, w io.Writer, data string, remote *remoteFlags) (int64, error) {
	if remote.enabled() {
		resp, err := remote.do(ctx, http.MethodPost, "/api/v1/admin/backup", nil)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		return io.Copy(w, resp.Body)
	}
	st, err := openStoreDirect(data, true)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	return st.Backup(w)
}

// checkStoreFile opens a store file read-only, runs the consistency check
// and counts its entries.
func checkStoreFile(path string) (int, error) {
	st, err := store.Open(path, store.Options{ReadOnly: true, Timeout: lockWait})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		return 0, err
	}
	return st.Count()
}

// syncDir flushes a directory, so that a rename in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
