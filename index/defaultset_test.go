package index

import (
	"bytes"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/search/exchange"
)

var (
	defaultSetOnce sync.Once
	defaultSetIx   *Index
	defaultSetDir  string
	defaultSetErr  error
)

// defaultSetEntries is the default data set as serve loads it (loadDefaults
// in cmd/stocktaking): the generated entries, the hand-written ones in
// canonical form, and the 2015 nominees through the CSV import.
func defaultSetEntries() ([]*search.Entry, error) {
	entries := fixtures.Generate(fixtures.DefaultSeed, fixtures.DefaultCount)
	for _, e := range fixtures.HandWritten() {
		search.Normalize(e)
		entries = append(entries, e)
	}
	_, err := exchange.Read(bytes.NewReader(fixtures.Prizes2015CSV), exchange.FormatCSV,
		exchange.Options{DefaultYear: 2015, Source: "wsis-prizes-2015-nominated.csv"}, 1000,
		func(batch []*search.Entry) error {
			entries = append(entries, batch...)
			return nil
		})
	return entries, err
}

// defaultSetIndex builds, once per test binary, an index of the default
// data set, for benchmarks that promise a figure on it; TestMain removes it.
func defaultSetIndex(b *testing.B) *Index {
	defaultSetOnce.Do(func() {
		entries, err := defaultSetEntries()
		if err != nil {
			defaultSetErr = err
			return
		}
		if defaultSetDir, err = os.MkdirTemp("", "stocktaking-defaultset"); err != nil {
			defaultSetErr = err
			return
		}
		ix, _, _, err := Open(defaultSetDir+"/index", Options{Logger: zerolog.Nop()})
		if err != nil {
			defaultSetErr = err
			return
		}
		start := time.Now()
		if defaultSetErr = ix.Apply(entries, 1); defaultSetErr != nil {
			return
		}
		b.Logf("built the default set (%d entries) in %v", len(entries), time.Since(start))
		defaultSetIx = ix
	})
	if defaultSetErr != nil {
		b.Fatal(defaultSetErr)
	}
	return defaultSetIx
}
