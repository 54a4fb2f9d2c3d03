package exchange

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/itu-stocktaking/stocktaking/search"
)

// wantRejected is a rejection a test expects: its line and a part of its reason.
type wantRejected struct {
	line   int
	reason string
}

func TestReadBrokenRows(t *testing.T) {
	tests := []struct {
		name     string
		format   Format
		input    string
		read     int
		accepted []string // ids, in order
		rejected []wantRejected
	}{
		{
			name:   "jsonl",
			format: FormatJSONL,
			input: "\uFEFF" + `{"id":"a1","title":"Good","organization":"O","stakeholder":"government","country":"FRA","year":2020,"action_lines":["C3"],"language":"en"}
{"id":"a2","title":"Broken",
` + "   \r\n" + `{"id":"a3","organization":"O","stakeholder":"government","country":"FRA","year":2020,"action_lines":["C3"],"language":"en"}
{"id":"a4","title":"Unknown line","organization":"O","stakeholder":"government","country":"FRA","year":2020,"action_lines":["C99"],"language":"en"}
{"id":"a5","title":"Year text","organization":"O","stakeholder":"government","country":"FRA","year":"2020","action_lines":["C3"],"language":"en"}
{"id":"a6","title":"Year old","organization":"O","stakeholder":"government","country":"FRA","year":1900,"action_lines":["C3"],"language":"en"}
{"id":"a7","title":"Caf` + "\xe9" + `","organization":"O","stakeholder":"government","country":"FRA","year":2020,"action_lines":["C3"],"language":"en"}
[1,2]
{"id":"a1","title":"Again","organization":"O","stakeholder":"government","country":"FRA","year":2020,"action_lines":["C3"],"language":"en"}
{"title":"No id, labels","organization":"O","stakeholder":"Civil Society","country":"KOREA (REP. OF)","year":2021,"action_lines":["C7. ICT APPLICATIONS: E-HEALTH"],"language":"English"}`,
			read:     10,
			accepted: []string{"a1", "wsis2021-"},
			rejected: []wantRejected{
				{2, "invalid JSON: unexpected end of JSON input"},
				{4, "title: is required"},
				{5, `action_lines: unknown action line "C99"`},
				{6, "invalid JSON: cannot unmarshal string into Go struct field Entry.year"},
				{7, "year: must be between"},
				{8, "not valid UTF-8"},
				{9, "not a JSON object"},
				{10, "duplicate id a1 (first on line 1)"},
			},
		},
		{
			name:   "json array",
			format: FormatJSON,
			input: `[
  {"id":"b1","title":"Good","organization":"O","stakeholder":"government","country":"FRA",
   "year":2020,"action_lines":["C3"],"language":"en"},
  {"id":"b2","organization":"O","stakeholder":"government","country":"FRA","year":2020,"action_lines":["C3"],"language":"en"},
  {"id":"b3","title":"Bad year","organization":"O","stakeholder":"government","country":"FRA","year":"x","action_lines":["C3"],"language":"en"},

  {"id":"b4","title":"Good too","organization":"O","stakeholder":"government","country":"FRA","year":2020,"action_lines":["C3"],"language":"en"},
  "text",
  {"id":"b5","title":"Cut off" ,,
  {"id":"b6","title":"Never read"}
]`,
			read:     5,
			accepted: []string{"b1", "b4"},
			rejected: []wantRejected{
				{4, "title: is required"},
				{5, "id b3"}, // checked below: the id is named
				{8, "not a JSON object"},
				{9, "invalid JSON: invalid character ','"},
			},
		},
		{
			name:   "csv export shape",
			format: FormatCSV,
			input: "ID,Title,Organization,Stakeholder,Country,Year,Action Lines,SDGs,Language,Website\r\n" +
				"c1,Good,O,Government,France,2020,C3; C7.4,3; SDG 4,en,https://example.org\r\n" +
				"c2,,O,government,FRA,2020,C3,,en,\r\n" +
				"c3,Unknown line,O,government,FRA,2020,C99,,en,\r\n" +
				"c4,Bad year,O,government,FRA,twenty,C3,,en,\r\n" +
				"c5,Too many,O,government,FRA,2020,C3,,en,,extra\r\n" +
				"c6,Caf\xe9,O,government,FRA,2020,C3,,en,\r\n" +
				"c7,\"Multi\nline\",O,government,FRA,2020,C3,,en,\r\n" +
				"c8,Bad SDG,O,government,FRA,2020,C3,18,en,\r\n" +
				"c9,Bad \"quote,O,government,FRA,2020,C3,,en,\r\n" +
				"c10,Good,O,government,XX,2020,C3,,en,\r\n",
			read:     10,
			accepted: []string{"c1", "c7"},
			rejected: []wantRejected{
				{3, "title: is required"},
				{4, `unknown action line "C99"`},
				{5, `year: "twenty" is not a number`},
				{6, "11 columns, the header has 10"},
				{7, "title: not valid UTF-8, and not a repairable mis-encoding"},
				{10, `sdgs: "18" is not an SDG`},
				{11, `invalid CSV: bare " in non-quoted-field`},
				{12, `country: unknown country code "XX"`},
			},
		},
		{
			name:   "csv prize list",
			format: FormatCSV,
			input: "Category,Project,Organisation,Country\n" +
				"C4. CAPACITY BUILDING,PWDs\x89\xdb\xaa Training,Ministry of Communications ,EGYPT\n" +
				"C99. NOTHING,Unknown category,Org,EGYPT\n" +
				"C4. CAPACITY BUILDING,Short row,Org\n" +
				"C4. CAPACITY BUILDING,Caf\xe9,Org,EGYPT\n" +
				"C5. BUILDING CONFIDENCE AND SECURITY IN THE USE OF ICTS,Split,Acme Co,\"Ltd., TURKEY\"\n" +
				"C5. BUILDING CONFIDENCE AND SECURITY IN THE USE OF ICTS,Nowhere,Acme Co,\"Ltd., ATLANTIS\"\n",
			read:     6,
			accepted: []string{"wsis2015-", "wsis2015-"},
			rejected: []wantRejected{
				{3, `category: "C99. NOTHING" is not a WSIS Prize category`},
				{4, "3 columns, the header has 4"},
				{5, "title: not valid UTF-8"},
				{7, `country: unknown country code "LTD., ATLANTIS"`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []*search.Entry
			rep, err := Read(strings.NewReader(tt.input), tt.format, Options{DefaultYear: 2015}, 1, func(b []*search.Entry) error {
				if len(b) != 1 {
					t.Errorf("batch of %d, want 1", len(b))
				}
				got = append(got, b...)
				return nil
			})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if rep.Read != tt.read || rep.Accepted != len(tt.accepted) || len(got) != len(tt.accepted) {
				t.Errorf("read %d, accepted %d (%d entries), want %d, %d", rep.Read, rep.Accepted, len(got), tt.read, len(tt.accepted))
			}
			for i, e := range got {
				if i < len(tt.accepted) && !strings.HasPrefix(e.ID, tt.accepted[i]) {
					t.Errorf("entry %d: id %q, want prefix %q", i, e.ID, tt.accepted[i])
				}
			}
			if len(rep.Rejected) != len(tt.rejected) {
				t.Errorf("rejected %+v\nwant %+v", rep.Rejected, tt.rejected)
				return
			}
			for i, w := range tt.rejected {
				r := rep.Rejected[i]
				if r.Line != w.line || !strings.Contains(r.Reason+" id "+r.ID, w.reason) {
					t.Errorf("rejected[%d] = %+v, want line %d, reason with %q", i, r, w.line, w.reason)
				}
			}
		})
	}
}

func TestReadCSVValues(t *testing.T) {
	in := "Category,Project,Organisation,Country\n" +
		"C5. BUILDING CONFIDENCE AND SECURITY IN THE USE OF ICTS,Split,Acme Co,\"Ltd., TURKEY\"\n" +
		"C7. ICT APPLICATIONS: E-GOVERNMENT,Portail,Ministère,INTERNATIONAL\n"
	var got []*search.Entry
	rep, err := Read(strings.NewReader(in), FormatCSV, Options{Source: "nominees-2016.csv"}, 0, func(b []*search.Entry) error {
		got = append(got, b...)
		return nil
	})
	if err != nil || len(got) != 2 {
		t.Fatalf("Read: %v, %d entries, report %+v", err, len(got), rep)
	}
	split, intl := got[0], got[1]
	if split.Organization != "Acme Co, Ltd." || split.Country != "TUR" || split.Region != "europe" ||
		split.Stakeholder != "private-sector" || split.Year != 2016 {
		t.Errorf("split row = %+v", split)
	}
	if len(rep.Repairs) != 1 || rep.Repairs[0].Line != 2 || rep.Repairs[0].To != "TURKEY" {
		t.Errorf("repairs = %+v", rep.Repairs)
	}
	if intl.Country != search.CountryInternational || intl.Region != "international" ||
		intl.ActionLines[0] != "C7.1" || intl.Prizes[0] != (search.Prize{Year: 2016, Category: 7, Status: "nominated"}) {
		t.Errorf("international row = %+v", intl)
	}
}

// A valid UTF-8 field that reads back completely as mojibake is repaired,
// unless the file declares itself UTF-8 with a byte order mark.
// A nominee list whose name carries no year rejects its rows with a
// message that says how to give the year.
func TestReadCSVNoYear(t *testing.T) {
	in := "Category,Project,Organisation,Country\n" +
		"C11. INTERNATIONAL AND REGIONAL COOPERATION,Plan of Action,ECLAC,CHILE\n"
	rep, err := Read(strings.NewReader(in), FormatCSV, Options{Source: "broken.csv"}, 0, nil)
	if err != nil || len(rep.Rejected) != 1 {
		t.Fatalf("Read: %v, report %+v", err, rep)
	}
	if got := rep.Rejected[0].Reason; !strings.Contains(got, `no year in the file name "broken.csv": pass the edition year (-year`) {
		t.Errorf("reason = %q", got)
	}
	rep, err = Read(strings.NewReader(in), FormatCSV, Options{Source: "broken.csv", DefaultYear: 2015}, 0, nil)
	if err != nil || rep.Accepted != 1 {
		t.Errorf("with DefaultYear: %v, report %+v", err, rep)
	}
}

func TestReadCSVDeclaredUTF8(t *testing.T) {
	row := "C3,Puntos M\xcc\xa9xico,Org,MEXICO\n"
	for _, tt := range []struct {
		bom     string
		title   string
		repairs int
	}{
		{"", "Puntos México", 1},
		{bom, "Puntos M\xcc\xa9xico", 0},
	} {
		var got []*search.Entry
		rep, err := Read(strings.NewReader(tt.bom+"Category,Project,Organisation,Country\n"+row), FormatCSV,
			Options{DefaultYear: 2015}, 10, func(b []*search.Entry) error { got = append(got, b...); return nil })
		if err != nil || len(got) != 1 || got[0].Title != tt.title || len(rep.Repairs) != tt.repairs {
			t.Errorf("bom %q: %v, entries %+v, repairs %+v; want title %q and %d repairs", tt.bom, err, got, rep.Repairs, tt.title, tt.repairs)
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		input  string
		code   string
	}{
		{"csv without title column", FormatCSV, "id,organization\nx,y\n", search.EINVALID},
		{"csv with a column twice", FormatCSV, "title,Project\nx,y\n", search.EINVALID},
		{"unknown format", Format("xml"), "<x/>", search.EINVALID},
	}
	for _, tt := range tests {
		_, err := Read(strings.NewReader(tt.input), tt.format, Options{}, 10, nil)
		if search.ErrorCode(err) != tt.code {
			t.Errorf("%s: Read error %v, want code %s", tt.name, err, tt.code)
		}
	}
	broken := errors.New("disk on fire")
	for f, head := range map[Format]string{FormatJSONL: "\n", FormatJSON: "[\n", FormatCSV: "title\nx\n"} {
		r := io.MultiReader(strings.NewReader(head), iotest.ErrReader(broken))
		if _, err := Read(r, f, Options{}, 10, nil); !errors.Is(err, broken) {
			t.Errorf("Read(%s) of a failing reader: error %v, want %v", f, err, broken)
		}
	}
	stop := errors.New("stop")
	input := `{"id":"a","title":"T","organization":"O","stakeholder":"other","country":"FRA","year":2020,"action_lines":["C1"],"language":"en"}`
	_, err := Read(strings.NewReader(input+"\n"+strings.Replace(input, `"a"`, `"b"`, 1)), FormatJSONL, Options{}, 1,
		func([]*search.Entry) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("Read with failing fn: error %v, want %v", err, stop)
	}
}

func TestReadEmpty(t *testing.T) {
	for _, f := range []Format{FormatJSONL, FormatJSON, FormatCSV} {
		for _, in := range []string{"", "\n\n", "\uFEFF"} {
			rep, err := Read(strings.NewReader(in), f, Options{}, 10, nil)
			if f == FormatJSON && strings.TrimSpace(strings.TrimPrefix(in, bom)) == "" {
				if err != nil || len(rep.Rejected) != 1 {
					t.Errorf("Read(%q, json) = %+v, %v; want one rejection", in, rep, err)
				}
				continue
			}
			if err != nil || rep.Read != 0 || len(rep.Rejected) != 0 {
				t.Errorf("Read(%q, %s) = %+v, %v; want nothing read", in, f, rep, err)
			}
		}
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		name, head string
		want       Format
	}{
		{"x.jsonl", "", FormatJSONL},
		{"x.NDJSON", "", FormatJSONL},
		{"x.csv", "[", FormatCSV},
		{"x.json", "\uFEFF \n[{}]", FormatJSON},
		{"x.json", `{"id":1}`, FormatJSONL},
		{"upload", "title,organization", FormatCSV},
		{"x.json", "", FormatJSON},
		{"", "", FormatCSV},
	}
	for _, tt := range tests {
		if got := DetectFormat(tt.name, []byte(tt.head)); got != tt.want {
			t.Errorf("DetectFormat(%q, %q) = %q, want %q", tt.name, tt.head, got, tt.want)
		}
	}
}

func TestYearInName(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"wsis-prizes-2015-nominated.csv", 2015},
		{"/data/2019/entries.csv", 0},
		{`C:\data\prizes_2021.csv`, 2021},
		{"export-20150101.csv", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := yearInName(tt.in); got != tt.want {
			t.Errorf("yearInName(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestReadTestdata reads every file under testdata/ as a smoke test: none
// may fail as a whole.
func TestReadTestdata(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.*")
	if len(files) == 0 {
		t.Fatal("no files in testdata")
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f := DetectFormat(name, b)
		rep, err := Read(strings.NewReader(string(b)), f, Options{Source: name}, 10, nil)
		if err != nil || rep.Accepted == 0 {
			t.Errorf("Read(%s) = %+v, %v; want some entries", name, rep, err)
		}
	}
}
