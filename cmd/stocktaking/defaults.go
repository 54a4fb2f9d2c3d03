package main

import (
	"bytes"
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/search/exchange"
)

// loadDefaults stores the default data set: the generated entries, the
// hand-written ones, and the real 2015 nominees through the CSV import path.
// Only the store is written; the caller's CatchUp indexes everything in one go.
func loadDefaults(ctx context.Context, svc *search.Service, log zerolog.Logger) (int, error) {
	ch := search.Change{Author: "default data set", Note: "initial load", Time: time.Now().UTC()}
	total := 0
	put := func(batch []*search.Entry) error {
		_, n, err := svc.Store.Put(batch, ch)
		total += n
		return err
	}
	gen := fixtures.Generate(fixtures.DefaultSeed, fixtures.DefaultCount)
	for i := 0; i < len(gen); i += 1000 {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		if err := put(gen[i:min(i+1000, len(gen))]); err != nil {
			return total, err
		}
	}
	if err := put(handWritten()); err != nil {
		return total, err
	}
	rep, err := exchange.Read(bytes.NewReader(fixtures.Prizes2015CSV), exchange.FormatCSV,
		exchange.Options{DefaultYear: 2015, Source: "wsis-prizes-2015-nominated.csv"}, 1000, put)
	if err != nil {
		return total, err
	}
	// One warning per repair, as an import reports them: what the file said
	// and what was stored instead.
	for _, r := range rep.Repairs {
		log.Warn().Int("line", r.Line).Str("field", r.Field).Str("from", r.From).Str("to", r.To).
			Str("reason", r.Reason).Msg("2015 prize nominees: field repaired")
	}
	for _, r := range rep.Rejected {
		log.Warn().Int("line", r.Line).Str("reason", r.Reason).Msg("2015 prize nominees: row rejected")
	}
	log.Info().Int("accepted", rep.Accepted).Int("rejected", len(rep.Rejected)).
		Int("repairs", len(rep.Repairs)).Msg("2015 prize nominees imported")
	return total, nil
}

// handWritten is fixtures.HandWritten in the canonical form that imports and
// submissions store (search.Normalize sorts action lines, SDGs, collections
// and prizes), so that exporting the default set and importing it again
// changes nothing (TestExportImportRoundTrip).
func handWritten() []*search.Entry {
	entries := fixtures.HandWritten()
	for _, e := range entries {
		search.Normalize(e)
	}
	return entries
}
