package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/index"
	"github.com/itu-stocktaking/stocktaking/index/store"
	"github.com/itu-stocktaking/stocktaking/search"
)

// App is the opened data directory: the store, the index and the service
// that orders writes between them.
type App struct {
	Store   *store.Store
	Index   *index.Index
	Service *search.Service
	// Analytics keeps anonymous query statistics in the store.
	Analytics *store.Analytics
	Log       zerolog.Logger
	// Loaded is what start-up did: "defaults", "rebuild", "catch-up" or "".
	Loaded   string
	OpenTime time.Duration

	indexDir    string
	logOut      io.Closer // the server's batched log output, written out last
	lastReindex atomic.Int64
	closeOnce   sync.Once
	closeErr    error
}

func storePath(data string) string { return filepath.Join(data, "stocktaking.db") }
func indexPath(data string) string { return filepath.Join(data, "index") }

// openApp opens the store and index in dir, loads the default data set into
// an empty store (unless noDefaults), rebuilds a missing or outdated index and
// brings a lagging index up to date.
func openApp(ctx context.Context, cfg *Config, log zerolog.Logger) (*App, error) {
	start := time.Now()
	if !cfg.ReadOnly {
		if err := os.MkdirAll(cfg.Data, 0o755); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
	}
	st, err := store.Open(storePath(cfg.Data), store.Options{ReadOnly: cfg.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	app := &App{Store: st, Log: log, indexDir: indexPath(cfg.Data)}
	empty, err := st.Empty()
	if err != nil {
		st.Close()
		return nil, err
	}
	ix, rebuild, reason, err := index.Open(indexPath(cfg.Data), index.Options{Logger: log})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("open index: %w", err)
	}
	app.Index = ix
	app.Service = &search.Service{Store: st, Index: ix}
	if empty && !cfg.NoDefaults && !cfg.ReadOnly {
		log.Info().Msg("empty store: loading the default data set")
		n, err := loadDefaults(ctx, app.Service, log)
		if err != nil {
			app.Close()
			return nil, fmt.Errorf("load default data set: %w", err)
		}
		app.Loaded = "defaults"
		log.Info().Int("entries", n).Dur("took", time.Since(start)).Msg("default data set loaded")
	} else if rebuild {
		log.Warn().Str("reason", reason).Msg("rebuilding the search index from the store")
		app.Loaded = "rebuild"
	}
	var n int
	catchUp := func() error {
		var err error
		n, err = app.Service.CatchUp(ctx)
		return err
	}
	if app.Loaded != "" { // a whole index to build
		err = index.WithBuildGC(catchUp)
		app.releaseStoreMemory()
	} else {
		err = catchUp()
	}
	if err != nil {
		app.Close()
		return nil, fmt.Errorf("bring index up to date: %w", err)
	}
	// Only now is the index complete: a crash before this line makes the
	// next start rebuild it instead of trusting a partial index. (The index
	// is derived data: a read-only replica still builds and marks its own.)
	if err := ix.MarkBuilt(); err != nil {
		app.Close()
		return nil, fmt.Errorf("mark index built: %w", err)
	}
	warmUp(ctx, ix, log)
	if err := ix.ReleaseMemory(); err != nil {
		log.Debug().Err(err).Msg("release index pages")
	}
	if n > 0 && app.Loaded == "" {
		app.Loaded = "catch-up"
		log.Info().Int("entries", n).Msg("index caught up with the store")
	}
	app.Analytics = store.NewAnalytics(st, 10*time.Second)
	app.OpenTime = time.Since(start)
	return app, nil
}

// Close closes the index, then the store; later calls do nothing.
func (a *App) Close() error {
	a.closeOnce.Do(func() { a.closeErr = a.close() })
	return a.closeErr
}

func (a *App) close() error {
	var first error
	if a.Analytics != nil {
		_ = a.Analytics.Close()
	}
	if a.Index != nil {
		if err := a.Index.Close(); err != nil {
			first = err
		}
	}
	if a.Store != nil {
		if err := a.Store.Close(); err != nil && first == nil {
			first = err
		}
	}
	if a.logOut != nil {
		_ = a.logOut.Close()
	}
	return first
}

// IndexSize is the size of the index directory in bytes.
func (a *App) IndexSize() int64 {
	var n int64
	_ = filepath.WalkDir(a.indexDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// Reindex builds a fresh index from the store while the old one keeps
// serving, then swaps it in. The store is read in short transactions
// (ChangesSince) so that writers are never held up.
func (a *App) Reindex(ctx context.Context) error {
	seq, err := a.Store.Seq()
	if err != nil {
		return err
	}
	start := time.Now()
	err = index.WithBuildGC(func() error { return a.rebuild(ctx, seq) })
	a.releaseStoreMemory()
	if err == nil {
		a.lastReindex.Store(time.Now().UnixNano())
		a.Log.Info().Dur("took", time.Since(start)).Msg("reindexed while serving")
	}
	return err
}

// releaseStoreMemory drops the store file's pages, which a build has just
// read, and the index segments' pages, which the new generation's warm-up
// has read, from the process's resident memory (store.Store.ReleaseMemory,
// index.Index.ReleaseMemory).
func (a *App) releaseStoreMemory() {
	if err := a.Store.ReleaseMemory(); err != nil {
		a.Log.Debug().Err(err).Msg("release store pages")
	}
	if err := a.Index.ReleaseMemory(); err != nil {
		a.Log.Debug().Err(err).Msg("release index pages")
	}
}

// rebuild builds a new index generation from the store, 8 000 entries at a
// time, and switches to it.
func (a *App) rebuild(ctx context.Context, seq uint64) error {
	return a.Index.Rebuild(ctx, func(fn func([]*search.Entry) error) error {
		batch := make([]*search.Entry, 0, 8000)
		err := a.Store.ChangesSince(0, func(_ uint64, e *search.Entry) error {
			batch = append(batch, e)
			if len(batch) == cap(batch) {
				if err := fn(batch); err != nil {
					return err
				}
				batch = make([]*search.Entry, 0, 8000)
			}
			return ctx.Err()
		})
		if err != nil {
			return err
		}
		if len(batch) > 0 {
			return fn(batch)
		}
		return nil
	}, seq)
}

// LastReindex is when the last reindex while serving finished (zero if none).
func (a *App) LastReindex() time.Time {
	if n := a.lastReindex.Load(); n != 0 {
		return time.Unix(0, n).UTC()
	}
	return time.Time{}
}

// warmUp runs a browse and a text search once, so that the per-process
// structures the index builds on first use (segment views, the spelling
// dictionary) cost start-up time rather than the first user's request.
func warmUp(ctx context.Context, ix *index.Index, log zerolog.Logger) {
	start := time.Now()
	for _, q := range []string{"", "digital"} {
		req := &search.Request{Text: q, Snippets: true}
		req.Normalize()
		if _, err := ix.Search(ctx, req); err != nil {
			log.Warn().Err(err).Msg("warm-up search")
			return
		}
	}
	log.Debug().Dur("took", time.Since(start)).Msg("index warmed up")
}
