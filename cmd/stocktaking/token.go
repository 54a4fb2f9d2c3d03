package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/itu-stocktaking/stocktaking/index/store"
	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/ui"
)

// lockWait is how long the lifecycle commands wait for the store's lock: a
// running server holds it for good, so waiting longer helps nobody.
const lockWait = time.Second

// runToken runs "token create|list|revoke". With -url or -token it asks the
// running server (which holds the store's lock) through the admin API;
// otherwise it opens the store file directly.
func runToken(ctx context.Context, args []string) error {
	return tokenCommand(ctx, args, os.Stdout, os.Stderr)
}

// tokenCommand is runToken writing the secret or list to out and advice
// to info.
func tokenCommand(ctx context.Context, args []string, out, info io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(info, `usage: stocktaking token create -role moderator|admin -name NAME
       stocktaking token list
       stocktaking token revoke -name NAME
Flags -data (direct), or -url and -token (through a running server, admin).
`)
		return errors.New("token needs a subcommand: create, list or revoke")
	}
	sub, args := args[0], args[1:]
	cfg := &Config{}
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	fs.SetOutput(info)
	cfg.addCommonFlags(fs)
	remote := addRemoteFlags(fs)
	name := fs.String("name", "", "token name (create, revoke): a person or a client, e.g. alice or harvester")
	role := fs.String("role", search.RoleModerator, "role of a new token: moderator or admin")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if (sub == "create" || sub == "revoke") && *name == "" {
		return errors.New("-name is required")
	}
	if remote.enabled() {
		return remote.tokenCommand(ctx, sub, *name, *role, out, info)
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	st, err := openStoreDirect(cfg.Data, sub == "list")
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "create":
		secret, err := st.CreateToken(*name, *role, time.Now())
		if err != nil {
			return err
		}
		printSecret(out, info, *name, *role, secret)
		return nil
	case "list":
		list, err := st.Tokens()
		if err != nil {
			return err
		}
		printTokens(out, list)
		return nil
	case "revoke":
		if err := st.RevokeToken(*name); err != nil {
			return err
		}
		fmt.Fprintf(info, "token %q revoked\n", *name)
		return nil
	}
	return fmt.Errorf("unknown token subcommand %q (want create, list or revoke)", sub)
}

// printSecret prints the secret alone on out, for scripts, and the advice
// on info.
func printSecret(out, info io.Writer, name, role, secret string) {
	fmt.Fprintln(out, secret)
	fmt.Fprintf(info, "token %q (%s) created; it is shown only this once and stored hashed.\n"+
		"Send it as \"Authorization: Bearer <token>\", or sign in at /signin.\n", name, role)
}

func printTokens(w io.Writer, list []search.Token) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tCREATED")
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Role, t.Created.UTC().Format(time.RFC3339))
	}
	tw.Flush()
}

// openStoreDirect opens the store of data for a command that runs beside
// no server. A locked file means a server is running: the error says how
// to go through it instead.
func openStoreDirect(data string, readOnly bool) (*store.Store, error) {
	if !readOnly {
		if err := os.MkdirAll(data, 0o755); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
	}
	st, err := store.Open(storePath(data), store.Options{ReadOnly: readOnly, Timeout: lockWait})
	if err != nil {
		return nil, fmt.Errorf("%w\n(a running server holds the store: pass -token with an admin token, and -url if it is not at %s)", err, defaultServerURL)
	}
	return st, nil
}

// lifecycleConfig wires the store into the lifecycle routes (submissions,
// moderation, tokens, backups) and reads -edition and -deadline.
func lifecycleConfig(cfg *Config, app *App) (ui.LifecycleConfig, error) {
	ed := search.DefaultEdition(time.Now())
	if cfg.Edition != 0 {
		if cfg.Edition < search.MinEntryYear || cfg.Edition > search.MaxEntryYear {
			return ui.LifecycleConfig{}, fmt.Errorf("-edition %d is not a plausible edition year", cfg.Edition)
		}
		ed = search.Edition{Year: cfg.Edition, Deadline: search.EndOfDay(time.Date(cfg.Edition+1, time.January, 31, 0, 0, 0, 0, time.UTC))}
	}
	if cfg.Deadline != "" {
		d, err := time.Parse("2006-01-02", cfg.Deadline)
		if err != nil {
			return ui.LifecycleConfig{}, fmt.Errorf("-deadline %q: want YYYY-MM-DD", cfg.Deadline)
		}
		ed.Deadline = search.EndOfDay(d)
	}
	return ui.LifecycleConfig{
		Submissions: app.Store,
		Tokens:      app.Store,
		Backup:      app.Store.Backup,
		Edition:     ed,
	}, nil
}
