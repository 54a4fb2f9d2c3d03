package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// fullEntry returns an entry with every field set, unicode text included.
func fullEntry(id string) *search.Entry {
	return &search.Entry{
		ID:               id,
		Title:            "Réseau national d’e-santé — مشروع الصحة الإلكترونية",
		ShortDescription: "Télémédecine pour 12 000 villages; 远程医疗; «ADILET»",
		Description:      strings.Repeat("Long description with emoji 🌍 and Кириллица. ", 40),
		Organization:     "Ministère de la Santé",
		Stakeholder:      "government",
		Country:          "SEN",
		Region:           "africa",
		Coverage:         "national",
		Status:           "ongoing",
		StartDate:        "2019-03",
		EndDate:          "2026",
		Year:             2024,
		ActionLines:      []string{"C7.4", "C4"},
		SDGs:             []int{3, 17},
		Website:          "https://example.org/sante?x=1&y=é",
		Language:         "fr",
		Collections:      []string{"covid-19", "women-in-tech"},
		Prizes:           []search.Prize{{Year: 2021, Category: 10, Status: "champion"}, {Year: 2024, Category: 10, Status: "winner"}},
		Withdrawn:        true,
		Created:          time.Date(2019, 3, 14, 9, 26, 53, 589793238, time.UTC),
		Updated:          time.Date(2024, 1, 31, 23, 59, 59, 1, time.UTC),
	}
}

// TestFullEntryIsFull guards the round-trip tests: a new Entry field left
// zero in fullEntry would otherwise go untested.
func TestFullEntryIsFull(t *testing.T) {
	v := reflect.ValueOf(fullEntry("1")).Elem()
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsZero() {
			t.Errorf("fullEntry leaves field %s zero", v.Type().Field(i).Name)
		}
	}
}

// TestEntryFieldsCoverEntry checks that entryFields names every JSON field of
// search.Entry, in declaration order, except the timestamps of the header.
func TestEntryFieldsCoverEntry(t *testing.T) {
	var want []string
	typ := reflect.TypeOf(search.Entry{})
	for i := 0; i < typ.NumField(); i++ {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name != "created" && name != "updated" {
			want = append(want, name)
		}
	}
	var got []string
	for _, f := range entryFields {
		got = append(got, f.name)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entryFields = %v, want %v", got, want)
	}
}

func TestEncodeDecodeEntry(t *testing.T) {
	cases := []struct {
		name string
		in   *search.Entry
	}{
		{"full", fullEntry("1234567890")},
		{"zero times", func() *search.Entry { e := fullEntry("2"); e.Created, e.Updated = time.Time{}, time.Time{}; return e }()},
		{"unix epoch", func() *search.Entry { e := fullEntry("3"); e.Created = time.Unix(0, 0).UTC(); return e }()},
		{"before 1970", func() *search.Entry {
			e := fullEntry("4")
			e.Created = time.Date(1969, 12, 31, 23, 0, 0, 5, time.UTC)
			return e
		}()},
		{"negative ints", &search.Entry{ID: "5", Year: -1, SDGs: []int{-7, 0, 1 << 40}}},
		{"empty", &search.Entry{ID: "6"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := encodeEntry(42, tc.in.Created, tc.in.Updated, encodeBody(nil, tc.in))
			got, err := decodeEntry(v)
			if err != nil {
				t.Fatalf("decodeEntry: %v", err)
			}
			if !reflect.DeepEqual(got, tc.in) {
				t.Errorf("decodeEntry(encodeEntry(%+v)) = %+v", tc.in, got)
			}
			if s := entrySeq(v); s != 42 {
				t.Errorf("entrySeq = %d, want 42", s)
			}
		})
	}
}

func TestDecodeEntryCorrupt(t *testing.T) {
	good := encodeEntry(1, time.Time{}, time.Time{}, encodeBody(nil, fullEntry("1")))
	cases := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"short header", good[:headerSize-1]},
		{"truncated body", good[:len(good)-3]},
		{"trailing bytes", append(append([]byte{}, good...), 0)},
		{"huge string length", append(append([]byte{}, good[:headerSize]...), 0xff, 0xff, 0xff, 0xff, 0x0f)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := decodeEntry(tc.in); !errors.Is(err, errCorrupt) {
				t.Errorf("decodeEntry(%s) error = %v, want errCorrupt", tc.name, err)
			}
		})
	}
	future := append([]byte{}, good...)
	future[0] = entryFormat + 1
	if _, err := decodeEntry(future); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("decodeEntry(version %d) error = %v, want not supported", future[0], err)
	}
}

func TestChangedFields(t *testing.T) {
	base := fullEntry("1")
	cases := []struct {
		name   string
		old    *search.Entry
		modify func(e *search.Entry)
		want   []string
	}{
		{"same", base, func(e *search.Entry) {}, nil},
		{"timestamps only", base, func(e *search.Entry) { e.Updated = e.Updated.Add(time.Hour) }, nil},
		{"title and sdgs", base, func(e *search.Entry) { e.Title = "x"; e.SDGs = []int{3} }, []string{"title", "sdgs"}},
		{"prize status", base, func(e *search.Entry) { e.Prizes = []search.Prize{{Year: 2021, Category: 10, Status: "winner"}} }, []string{"prizes"}},
		{"withdrawn", base, func(e *search.Entry) { e.Withdrawn = false }, []string{"withdrawn"}},
		{"nil and empty list", &search.Entry{ID: "1"}, func(e *search.Entry) { e.ActionLines = []string{} }, nil},
		{"new entry", nil, func(e *search.Entry) { *e = search.Entry{ID: "9", Title: "t", Year: 2020} }, []string{"id", "title", "year"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := &search.Entry{}
			if tc.old != nil {
				c := *tc.old
				e = &c
			}
			tc.modify(e)
			if got := changedFields(tc.old, e); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("changedFields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNormTime(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	in := time.Date(2024, 5, 1, 12, 0, 0, 7, paris)
	got := normTime(in)
	if got.Location() != time.UTC || !got.Equal(in) {
		t.Errorf("normTime(%v) = %v, want the same instant in UTC", in, got)
	}
	if !normTime(time.Time{}).IsZero() {
		t.Errorf("normTime(zero) is not zero")
	}
}
