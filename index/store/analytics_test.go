package store

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestAnalyticsRecordReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	st, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	a := NewAnalytics(st, time.Hour)
	wk1 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC) // week 48
	wk2 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)  // week 49
	a.Record("telemedicine", []string{"sdg:3"}, 12, wk1)
	a.Record("telemedicine", nil, 12, wk1)
	a.Record("zzqx", nil, 0, wk1)
	a.Record("broadband", []string{"region:africa", "sdg:3"}, 40, wk2)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopen: the counts were written at Close.
	a2 := NewAnalytics(st, time.Hour)
	defer a2.Close()
	rep, err := a2.Report(4)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Weeks) != 2 {
		t.Fatalf("weeks = %d, want 2", len(rep.Weeks))
	}
	newest, older := rep.Weeks[0], rep.Weeks[1]
	if !newest.Start.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("newest week starts %v, want Monday 2026-11-30", newest.Start)
	}
	if newest.Searches != 1 || len(newest.TopFilters) != 2 {
		t.Errorf("newest week = %+v", newest)
	}
	if older.Searches != 3 || older.ZeroResults != 1 {
		t.Errorf("older week searches %d zero %d, want 3 and 1", older.Searches, older.ZeroResults)
	}
	if older.TopQueries[0].Text != "telemedicine" || older.TopQueries[0].Count != 2 {
		t.Errorf("top query = %+v, want telemedicine ×2", older.TopQueries[0])
	}
	if len(older.ZeroResultQueries) != 1 || older.ZeroResultQueries[0].Text != "zzqx" {
		t.Errorf("zero-result queries = %+v", older.ZeroResultQueries)
	}
	if one, _ := a2.Report(1); len(one.Weeks) != 1 {
		t.Errorf("Report(1) gave %d weeks", len(one.Weeks))
	}
	st.Close()
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("127.0.0.1")) {
		t.Error("an address reached the file")
	}
}

func TestAnalyticsReadOnlyRecordsNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	st, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	a := NewAnalytics(ro, time.Hour)
	a.Record("x", nil, 0, time.Now())
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
}
