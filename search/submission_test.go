package search

import (
	"testing"
	"time"
)

func TestEditionYearAt(t *testing.T) {
	ed := DefaultEdition(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	tests := []struct {
		at   time.Time
		want int
	}{
		{time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), 2025},
		{time.Date(2026, 1, 31, 23, 59, 59, 0, time.UTC), 2025},
		{time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 2026},
	}
	for _, tt := range tests {
		if got := ed.YearAt(tt.at); got != tt.want {
			t.Errorf("%+v.YearAt(%s) = %d, want %d", ed, tt.at, got, tt.want)
		}
	}
}

func TestNewEntryIDIncreases(t *testing.T) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := ""
	for i := 0; i < 100; i++ {
		id := NewEntryID(at) // the same instant: ids must still differ
		if len(id) != 17 || id <= prev {
			t.Fatalf("NewEntryID #%d = %q after %q: want 17 digits, increasing", i, id, prev)
		}
		prev = id
	}
}
