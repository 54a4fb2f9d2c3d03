package ui

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestAPIExport exports the same result set in each format: every matching
// entry once, in the sort order, as a named attachment; withdrawn entries
// and paging parameters are left out.
func TestAPIExport(t *testing.T) {
	ts := newAPIServer(t, 250, nil) // more than two store batches
	_, body := ts.get(t, "/api/v1/search?q=water&sort=title&size=100&facets=none")
	want := apiDecodeResult(t, body).Total
	var wantIDs []string
	_ = ts.index.MatchIDs(t.Context(), &search.Request{Query: search.ParseQuery("water"), Sort: search.SortTitle}, func(id string) error {
		wantIDs = append(wantIDs, id)
		return nil
	})
	if want != len(wantIDs) || want <= exportBatch {
		t.Fatalf("fixture: total %d, ids %d", want, len(wantIDs))
	}
	for _, tc := range []struct {
		format, ctype, ext string
		ids                func(t *testing.T, body []byte) []string
	}{
		{"csv", "text/csv; charset=utf-8", "csv", func(t *testing.T, body []byte) []string {
			if !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
				t.Error("CSV without a byte order mark")
			}
			rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range rows[1:] {
				ids = append(ids, r[0])
				for _, cell := range r {
					if strings.HasPrefix(cell, "=") {
						t.Errorf("formula cell %q not neutralised", cell)
					}
				}
			}
			return ids
		}},
		{"jsonl", "application/x-ndjson", "jsonl", func(t *testing.T, body []byte) []string {
			var ids []string
			for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
				var e search.Entry
				if err := json.Unmarshal([]byte(line), &e); err != nil {
					t.Fatalf("line %q: %v", line, err)
				}
				ids = append(ids, e.ID)
			}
			return ids
		}},
		{"json", "application/json; charset=utf-8", "json", func(t *testing.T, body []byte) []string {
			var es []search.Entry
			if err := json.Unmarshal(body, &es); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range es {
				ids = append(ids, e.ID)
			}
			return ids
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			resp, body := ts.get(t, "/api/v1/export?q=water&sort=title&page=3&size=5&format="+tc.format)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tc.ctype)
			}
			cd := resp.Header.Get("Content-Disposition")
			if !strings.HasPrefix(cd, `attachment; filename="stocktaking-`) || !strings.HasSuffix(cd, "."+tc.ext+`"`) {
				t.Errorf("Content-Disposition = %q", cd)
			}
			if resp.Header.Get("X-Total-Count") != strconv.Itoa(want) {
				t.Errorf("X-Total-Count = %q, want %d", resp.Header.Get("X-Total-Count"), want)
			}
			got := tc.ids(t, body)
			if strings.Join(got, ",") != strings.Join(wantIDs, ",") {
				t.Errorf("exported %d ids, want the %d matches in title order", len(got), len(wantIDs))
			}
		})
	}
	resp, body := ts.do(t, "GET", "/api/v1/export?format=jsonl", map[string]string{"Accept-Encoding": "gzip"}, "")
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip export: %v, Content-Encoding %q", err, resp.Header.Get("Content-Encoding"))
	}
	plain, err := io.ReadAll(zr)
	if n := bytes.Count(plain, []byte("\n")); err != nil || n != 249 {
		t.Errorf("gzip export: %d lines, %v; want 249", n, err)
	}
	resp, body = ts.do(t, "HEAD", "/api/v1/export?format=csv", nil, "")
	if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("X-Total-Count") != "249" {
		t.Errorf("HEAD export: %d, %d bytes, total %q", resp.StatusCode, len(body), resp.Header.Get("X-Total-Count"))
	}
	// the stream writer gives its slot back just after the last byte
	for i := 0; len(ts.api.exports) != 0; i++ {
		if i == 100 {
			t.Fatalf("%d export slots still held", len(ts.api.exports))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
