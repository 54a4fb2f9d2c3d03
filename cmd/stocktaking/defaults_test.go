package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

// putOnly is a store that only counts what loadDefaults puts.
type putOnly struct {
	search.Store
	n int
}

func (s *putOnly) Put(entries []*search.Entry, _ search.Change) (uint64, int, error) {
	s.n += len(entries)
	return 0, len(entries), nil
}

// The first start logs every repair of the 2015 CSV as its own warning:
// line, field, before and after.
func TestLoadDefaultsLogsEachRepair(t *testing.T) {
	var buf bytes.Buffer
	store := &putOnly{}
	total, err := loadDefaults(context.Background(), &search.Service{Store: store}, zerolog.New(&buf))
	if err != nil || total < 15000 {
		t.Fatalf("loadDefaults = %d, %v", total, err)
	}
	var repairs, summary int
	sawConfio := false
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec struct {
			Level, Message, Field, From, To, Reason string
			Line, Repairs                           int
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		switch rec.Message {
		case "2015 prize nominees: field repaired":
			repairs++
			if rec.Level != "warn" || rec.Line < 2 || rec.Field == "" || rec.From == rec.To || rec.Reason == "" {
				t.Errorf("repair line %q", line)
			}
			if rec.Line == 123 && rec.Field == "title" && rec.From == "En TIC ConfÃ_o" && rec.To == "En TIC Confío" {
				sawConfio = true
			}
		case "2015 prize nominees imported":
			summary = rec.Repairs
		}
	}
	if repairs == 0 || repairs != summary || !sawConfio {
		t.Errorf("%d repair warnings, summary says %d, Confío repair logged: %v", repairs, summary, sawConfio)
	}
}
