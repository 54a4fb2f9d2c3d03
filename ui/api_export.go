package ui

import (
	"bufio"
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/search/exchange"
)

// exportBatch is how many ids are gathered before their entries are read
// from the store and the written rows are flushed to the client.
const exportBatch = 100

// exportReleaseEvery is how many batches an export reads between two
// releases of the store's pages (memoryReleaser). Releasing after every
// batch kept the store's resident pages under 1.5 MB but cost about 0.2 ms
// a batch (its pages faulted in again), a fifth of an export of the
// default set; every 10 batches keeps them near 3 MB.
const exportReleaseEvery = 10

// exportTypes are the Content-Types of the export formats.
var exportTypes = map[exchange.Format]string{
	exchange.FormatCSV:   "text/csv; charset=utf-8",
	exchange.FormatJSONL: "application/x-ndjson",
	exchange.FormatJSON:  "application/json; charset=utf-8",
}

// handleExport answers GET /api/v1/export: every entry matching the search
// parameters, in their sort order, as a CSV, JSON Lines or JSON download.
// page, size, cursor and facets are accepted (an export URL is often a search
// URL) and ignored. The file streams in constant memory: the index yields ids,
// the store gives the entries a batch at a time. The status is sent before
// the rows, so an export cut short by an error is a truncated file; the
// X-Total-Count header lets a client check that it has every row.
func (a *api) handleExport(c *fiber.Ctx) error {
	format := exchange.FormatCSV
	req, err := parseSearchRequestWith(c, map[string]func(string) error{
		"format": func(v string) error {
			f, ok := exchange.ParseFormat(v)
			if !ok {
				return invalidParam("format", "format must be csv, jsonl or json")
			}
			format = f
			return nil
		},
	})
	if err != nil {
		return err
	}
	if a.s.cfg.Matcher == nil {
		return unavailable("export")
	}
	req.Page, req.Size, req.Cursor, req.NoFacets, req.Facets = 1, 1, "", true, nil
	req.Normalize()

	release, err := a.acquire(c, a.exports)
	if err != nil {
		return err
	}
	streaming := false
	defer func() {
		if !streaming {
			release()
		}
	}()
	// The count checks the request before the status line is committed.
	ctx, cancel := a.s.searchContext(c)
	res, err := a.s.cfg.Service.Search(ctx, req)
	cancel()
	if err != nil {
		return a.budgetError(ctx, err)
	}

	name := "stocktaking-" + time.Now().UTC().Format("2006-01-02") + "." + string(format)
	c.Set(fiber.HeaderContentType, exportTypes[format])
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set("X-Total-Count", strconv.Itoa(res.Total))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if c.Method() == fiber.MethodHead {
		return nil
	}

	// The writer runs after the handler has returned: it may not touch c.
	// Its context ends with the export budget or the server's shutdown.
	sctx, scancel := context.WithTimeout(c.Context(), a.cfg.ExportBudget)
	store, matcher, reqID := a.s.cfg.Service.Store, a.s.cfg.Matcher, requestID(c)
	streaming = true
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer release()
		defer scancel()
		n, err := writeExport(sctx, w, store, matcher, req, format)
		a.metrics.exported(string(format), n)
		if err != nil {
			a.s.log.Warn().Err(err).Str("request_id", reqID).Int("rows", n).Msg("export cut short")
		}
	})
	return nil
}

// entryBatchReader is a store that reads a batch of entries in one
// transaction (store.Store.GetMany), with nil in the place of an absent id.
// A store without it is read one Get at a time.
type entryBatchReader interface {
	GetMany(ids []string) ([]*search.Entry, error)
}

// memoryReleaser is a store whose reads leave file pages resident in the
// process (bbolt's memory map), which it can hand back to the kernel's page
// cache (store.Store.ReleaseMemory): reading them again maps them back.
// The kernel maps 64 KB around each page read, so an export of 991
// scattered entries left 22 MB of the store resident, and one of the
// default set all of it (31 MB), until an export releases them.
type memoryReleaser interface {
	ReleaseMemory() error
}

// readBatch returns the entries of ids, nil for those removed since the
// index saw them.
func readBatch(store search.Store, ids []string) ([]*search.Entry, error) {
	if br, ok := store.(entryBatchReader); ok {
		return br.GetMany(ids)
	}
	out := make([]*search.Entry, len(ids))
	for i, id := range ids {
		e, err := store.Get(id)
		if search.ErrorCode(err) == search.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// writeExport writes the entries matching req to w and returns how many it
// wrote. Memory stays flat whatever the number of matches: the ids come one
// at a time, exportBatch of them are read from the store in one
// transaction, written and flushed before the next batch is gathered, and
// the store pages read are released every exportReleaseEvery batches and
// at the end.
func writeExport(ctx context.Context, w *bufio.Writer, store search.Store, m search.Matcher,
	req *search.Request, format exchange.Format) (int, error) {
	ew, err := exchange.NewWriter(w, format)
	if err != nil {
		return 0, err
	}
	release := func() {}
	if mr, ok := store.(memoryReleaser); ok {
		release = func() { _ = mr.ReleaseMemory() } // only memory is at stake
	}
	defer release()
	n, batches := 0, 0
	batch := make([]string, 0, exportBatch)
	flush := func() error {
		entries, err := readBatch(store, batch)
		if err != nil {
			return err
		}
		if batches++; batches%exportReleaseEvery == 0 {
			release()
		}
		for _, e := range entries {
			if e == nil || e.Withdrawn {
				continue // removed or withdrawn since the index saw it
			}
			if err := ew.Write(e); err != nil {
				return err
			}
			n++
		}
		batch = batch[:0]
		return w.Flush()
	}
	err = m.MatchIDs(ctx, req, func(id string) error {
		batch = append(batch, id)
		if len(batch) == exportBatch {
			if err := flush(); err != nil {
				return err
			}
		}
		return ctx.Err()
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = ew.Close()
	}
	if err == nil {
		err = w.Flush()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = errors.New("export took longer than its budget")
	}
	return n, err
}
