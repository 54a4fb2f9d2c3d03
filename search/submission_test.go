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
		// the default edition rolls on: a server started in 2025 still
		// counts a 2028 submission in the edition open then
		{time.Date(2028, 1, 15, 0, 0, 0, 0, time.UTC), 2027},
		{time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC), 2028},
	}
	for _, tt := range tests {
		if got := ed.YearAt(tt.at); got != tt.want {
			t.Errorf("%+v.YearAt(%s) = %d, want %d", ed, tt.at, got, tt.want)
		}
	}
	// In January the call of last year's edition is still open.
	if ed := DefaultEdition(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)); ed.Year != 2026 || !ed.Deadline.Equal(EndOfDay(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC))) {
		t.Errorf("DefaultEdition in January = %+v, want 2026 until 31 January 2027", ed)
	}
	// A configured edition does not roll: after its deadline, the next.
	fixed := Edition{Year: 2025, Deadline: EndOfDay(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))}
	if got := fixed.YearAt(time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)); got != 2026 {
		t.Errorf("configured edition after its deadline: %d, want 2026", got)
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
