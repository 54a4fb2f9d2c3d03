package exchange

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// sampleEntries sets every field, with unicode, quotes, line breaks, the
// list separator and text a spreadsheet would run as a formula.
func sampleEntries() []*search.Entry {
	created := time.Date(2021, 1, 31, 23, 59, 58, 123456789, time.UTC)
	return []*search.Entry{{
		ID:               "2021013100000001",
		Title:            `=HYPERLINK("http://evil.example","Click") «ADILET» – Egypt’s portal`,
		ShortDescription: "+SUM(A1:A9); first line\nsecond line, with \"quotes\"",
		Description:      "-1 is a number\r\nand this is Windows text\n\nwith a blank line; 中文 العربية",
		Organization:     "@Ministère des Télécommunications, Ltd.",
		Stakeholder:      "government",
		Country:          "SEN",
		Region:           "africa",
		Coverage:         "national",
		Status:           "ongoing",
		StartDate:        "2019-03",
		EndDate:          "2022-12-31",
		Year:             2021,
		ActionLines:      []string{"C3", "C7.1", "C7.4"},
		SDGs:             []int{3, 9, 16},
		Website:          "https://example.org/a?b=c,d&e=\"f\"",
		Language:         "fr",
		Collections:      []string{"covid-19", "women-in-tech"},
		Prizes:           []search.Prize{{Year: 2020, Category: 7, Status: "champion"}, {Year: 2021, Category: 10, Status: "winner"}},
		Withdrawn:        true,
		Created:          created,
		Updated:          created.Add(36 * time.Hour),
	}, {
		ID:           "-minus-id",
		Title:        "'=already quoted",
		Organization: "''+two apostrophes",
		Stakeholder:  "other",
		Country:      search.CountryInternational,
		Year:         2015,
		ActionLines:  []string{"C11"},
		Language:     "en",
		Description:  "'plain apostrophe",
	}, {
		ID:           "wsis2015-0123456789",
		Title:        "En TIC Conf\uFFFDo",
		Organization: "Ministerio TIC",
		Stakeholder:  "government",
		Country:      "COL",
		Year:         2015,
		ActionLines:  []string{"C5"},
		Language:     "es",
		Prizes:       []search.Prize{{Year: 2015, Category: 5, Status: "nominated"}},
	}}
}

// normalized returns the entries as Read would give them back.
func normalized(in []*search.Entry) []*search.Entry {
	for _, e := range in {
		search.Normalize(e)
		if err := search.Validate(e); err != nil {
			panic(err)
		}
	}
	return in
}

// canonical is an entry in a form that compares equal across formats: JSON,
// with empty lists as null and line breaks as LF (CSV has no bare CR).
func canonical(e *search.Entry, csv bool) string {
	c := *e
	if len(c.SDGs) == 0 {
		c.SDGs = nil
	}
	if len(c.Collections) == 0 {
		c.Collections = nil
	}
	if len(c.Prizes) == 0 {
		c.Prizes = nil
	}
	if csv {
		for _, p := range []*string{&c.ID, &c.Title, &c.ShortDescription, &c.Description, &c.Organization, &c.Website} {
			*p = crlf.Replace(*p)
		}
	}
	b, _ := json.Marshal(c)
	return string(b)
}

func writeAll(t testing.TB, f Format, entries []*search.Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	for _, f := range []Format{FormatJSONL, FormatJSON, FormatCSV} {
		t.Run(string(f), func(t *testing.T) {
			want := normalized(sampleEntries())
			path := filepath.Join(t.TempDir(), "export."+string(f))
			if err := os.WriteFile(path, writeAll(t, f, want), 0o644); err != nil {
				t.Fatal(err)
			}
			rep, got := readFile(t, path, DetectFormat(path, nil), Options{}, 2)
			if rep.Accepted != len(want) || len(rep.Rejected) > 0 || len(rep.Repairs) > 0 {
				t.Fatalf("report %+v, want %d accepted and nothing else", rep, len(want))
			}
			for i := range want {
				if g, w := canonical(got[i], f == FormatCSV), canonical(want[i], f == FormatCSV); g != w {
					t.Errorf("entry %d:\n got %s\nwant %s", i, g, w)
				}
			}
		})
	}
}

func TestCSVWriterFormat(t *testing.T) {
	out := writeAll(t, FormatCSV, normalized(sampleEntries()))
	if !bytes.HasPrefix(out, []byte(bom+strings.Join(CSVHeader, ",")+"\r\n")) {
		t.Errorf("CSV does not start with BOM and header: %q", out[:80])
	}
	if n, m := bytes.Count(out, []byte("\n")), bytes.Count(out, []byte("\r\n")); n != m {
		t.Errorf("%d LF, %d of them CR LF; want all CR LF", n, m)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte(bom))))
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("ReadAll: %d rows, %v", len(rows), err)
	}
	col := func(name string) int {
		for i, h := range CSVHeader {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return 0
	}
	tests := []struct {
		row  int
		col  string
		want string
	}{
		{1, "title", `'=HYPERLINK("http://evil.example","Click") «ADILET» – Egypt’s portal`},
		{1, "short_description", "'+SUM(A1:A9); first line\nsecond line, with \"quotes\""},
		{1, "description", "'-1 is a number\nand this is Windows text\n\nwith a blank line; 中文 العربية"},
		{1, "organization", "'@Ministère des Télécommunications, Ltd."},
		{1, "action_lines", "C3; C7.1; C7.4"},
		{1, "sdgs", "3; 9; 16"},
		{1, "prizes", "2020:7:champion; 2021:10:winner"},
		{1, "created", "2021-01-31T23:59:58.123456789Z"},
		{1, "withdrawn", "true"},
		{2, "id", "'-minus-id"},
		{2, "title", "''=already quoted"},
		{2, "organization", "'''+two apostrophes"},
		{2, "description", "'plain apostrophe"},
		{2, "year", "2015"},
		{2, "created", ""},
		{2, "withdrawn", ""},
	}
	for _, tt := range tests {
		if got := rows[tt.row][col(tt.col)]; got != tt.want {
			t.Errorf("row %d %s = %q, want %q", tt.row, tt.col, got, tt.want)
		}
	}
}

func TestJSONWriterFormat(t *testing.T) {
	if got := string(writeAll(t, FormatJSON, nil)); got != "[]\n" {
		t.Errorf("empty JSON export = %q, want %q", got, "[]\n")
	}
	entries := normalized(sampleEntries())
	out := writeAll(t, FormatJSON, entries)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(entries)+2 || lines[0] != "[" || lines[len(lines)-1] != "]" {
		t.Fatalf("JSON export lines = %q, want [ then one entry a line then ]", lines)
	}
	var back []*search.Entry
	if err := json.Unmarshal(out, &back); err != nil || len(back) != len(entries) {
		t.Fatalf("Unmarshal: %v, %d entries", err, len(back))
	}
	if strings.Contains(string(out), `\u003c`) || !strings.Contains(string(out), "«ADILET»") {
		t.Errorf("JSON export escapes text it need not")
	}
	jsonl := writeAll(t, FormatJSONL, entries)
	if n := bytes.Count(jsonl, []byte("\n")); n != len(entries) {
		t.Errorf("JSONL export has %d lines, want %d", n, len(entries))
	}
	if _, err := NewWriter(&bytes.Buffer{}, Format("xml")); search.ErrorCode(err) != search.EINVALID {
		t.Errorf("NewWriter(xml) error %v, want invalid", err)
	}
}

func TestNeutralize(t *testing.T) {
	tests := []struct{ in, out string }{
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@x", "'@x"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"},
		{"'x", "'x"},
		{"''", "''"},
		{"x=1", "x=1"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := neutralize(tt.in); got != tt.out {
			t.Errorf("neutralize(%q) = %q, want %q", tt.in, got, tt.out)
		}
		if got := unneutralize(tt.out); got != tt.in {
			t.Errorf("unneutralize(%q) = %q, want %q", tt.out, got, tt.in)
		}
	}
}
