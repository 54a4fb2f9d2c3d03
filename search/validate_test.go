package search

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func validEntry() Entry {
	return Entry{
		ID:           "1425478913",
		Title:        "En TIC Confío",
		Organization: "Ministerio TIC",
		Stakeholder:  "government",
		Country:      "COL",
		Region:       "americas",
		Coverage:     "national",
		Status:       "ongoing",
		StartDate:    "2012-03",
		EndDate:      "2016",
		Year:         2015,
		ActionLines:  []string{"C5"},
		SDGs:         []int{4, 16},
		Website:      "https://www.enticconfio.gov.co/",
		Language:     "es",
		Collections:  []string{"women-in-tech"},
		Prizes:       []Prize{{Year: 2015, Category: 5, Status: "nominated"}},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(e *Entry)
		fields []string // fields expected in error; nil = valid
	}{
		{"valid", func(e *Entry) {}, nil},
		{"minimal", func(e *Entry) {
			*e = Entry{ID: "x1", Title: "T", Organization: "O", Stakeholder: "other", Country: "XIN",
				Year: 2003, ActionLines: []string{"C7"}, Language: "en"}
		}, nil},
		{"empty", func(e *Entry) { *e = Entry{} },
			[]string{"id", "title", "organization", "stakeholder", "country", "language", "year", "action_lines"}},
		{"blank title", func(e *Entry) { e.Title = "   " }, []string{"title"}},
		{"id with slash", func(e *Entry) { e.ID = "a/b" }, []string{"id"}},
		{"long title", func(e *Entry) { e.Title = strings.Repeat("é", MaxTitleLen+1) }, []string{"title"}},
		{"title at limit", func(e *Entry) { e.Title = strings.Repeat("é", MaxTitleLen) }, nil},
		{"long description", func(e *Entry) { e.Description = strings.Repeat("a", MaxDescriptionLen+1) }, []string{"description"}},
		{"bad utf-8", func(e *Entry) { e.Organization = "Egypt\xe2\x80s" }, []string{"organization"}},
		{"unknown stakeholder", func(e *Entry) { e.Stakeholder = "Government" }, []string{"stakeholder"}},
		{"iso2 country", func(e *Entry) { e.Country = "CO" }, []string{"country"}},
		{"unknown country", func(e *Entry) { e.Country = "ZZZ" }, []string{"country"}},
		{"unknown region", func(e *Entry) { e.Region = "oceania" }, []string{"region"}},
		{"unknown coverage", func(e *Entry) { e.Coverage = "global" }, []string{"coverage"}},
		{"unknown status", func(e *Entry) { e.Status = "paused" }, []string{"status"}},
		{"unknown language", func(e *Entry) { e.Language = "de" }, []string{"language"}},
		{"year too early", func(e *Entry) { e.Year = 2002 }, []string{"year"}},
		{"year too late", func(e *Entry) { e.Year = 2101 }, []string{"year"}},
		{"no action line", func(e *Entry) { e.ActionLines = nil }, []string{"action_lines"}},
		{"unknown action line", func(e *Entry) { e.ActionLines = []string{"C5", "C12"} }, []string{"action_lines"}},
		{"sdg 0 and 18", func(e *Entry) { e.SDGs = []int{0, 3, 18} }, []string{"sdgs", "sdgs"}},
		{"unknown collection", func(e *Entry) { e.Collections = []string{"space"} }, []string{"collections"}},
		{"ftp website", func(e *Entry) { e.Website = "ftp://example.org" }, []string{"website"}},
		{"website without scheme", func(e *Entry) { e.Website = "www.itu.int" }, []string{"website"}},
		{"website without host", func(e *Entry) { e.Website = "https://" }, []string{"website"}},
		{"http website", func(e *Entry) { e.Website = "http://www.itu.int/net4/wsis/stocktaking" }, nil},
		{"bad start date", func(e *Entry) { e.StartDate = "2012-13" }, []string{"start_date"}},
		{"bad end date", func(e *Entry) { e.EndDate = "31/12/2016" }, []string{"end_date"}},
		{"end before start", func(e *Entry) { e.StartDate = "2016-02-01"; e.EndDate = "2016-01-31" }, []string{"end_date"}},
		{"end year contains start", func(e *Entry) { e.StartDate = "2016-06-15"; e.EndDate = "2016" }, nil},
		{"same day", func(e *Entry) { e.StartDate = "2016-02-29"; e.EndDate = "2016-02-29" }, nil},
		{"no such day", func(e *Entry) { e.StartDate = "2015-02-29" }, []string{"start_date"}},
		{"prize category 0", func(e *Entry) { e.Prizes[0].Category = 0 }, []string{"prizes[0].category"}},
		{"prize category 19", func(e *Entry) { e.Prizes[0].Category = 19 }, []string{"prizes[0].category"}},
		{"prize year 2011", func(e *Entry) { e.Prizes[0].Year = 2011 }, []string{"prizes[0].year"}},
		{"prize status", func(e *Entry) {
			e.Prizes = append(e.Prizes, Prize{Year: 2016, Category: 5, Status: "finalist"})
		}, []string{"prizes[1].status"}},
		{"prize status missing", func(e *Entry) { e.Prizes[0].Status = "" }, []string{"prizes[0].status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntry()
			tt.edit(&e)
			err := Validate(&e)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var se *Error
			if !errors.As(err, &se) || se.Code != EINVALID {
				t.Fatalf("Validate = %v, want *Error with code %s", err, EINVALID)
			}
			var got []string
			for _, f := range se.Fields {
				got = append(got, f.Field)
				if f.Message == "" || !strings.Contains(se.Message, f.Message) {
					t.Errorf("field %s: message %q missing from %q", f.Field, f.Message, se.Message)
				}
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("Validate fields = %v, want %v (%s)", got, tt.fields, se.Message)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	e := Entry{
		ID:           " 42 ",
		Title:        "  Droits des Consommateurs\n dans les  télécommunications ",
		Organization: "ARTP ",
		Stakeholder:  "Government",
		Country:      "TURKEY ",
		Coverage:     "National",
		Status:       " Ongoing",
		Year:         2015,
		ActionLines:  []string{"C7. ICT APPLICATIONS: E-HEALTH", "c3", "C11", "AL C3. Access", "C7.4", "C1"},
		SDGs:         []int{17, 3, 3, 1},
		Website:      " https://example.org ",
		Language:     "FR",
		Collections:  []string{"women-in-tech", "COVID-19", "covid-19"},
		Prizes: []Prize{
			{Year: 2016, Category: 5, Status: "Winner"},
			{Year: 2015, Category: 5, Status: "nominated"},
			{Year: 2016, Category: 5, Status: "winner"},
		},
	}
	Normalize(&e)
	want := Entry{
		ID:           "42",
		Title:        "Droits des Consommateurs dans les télécommunications",
		Organization: "ARTP",
		Stakeholder:  "government",
		Country:      "TUR",
		Region:       "europe",
		Coverage:     "national",
		Status:       "ongoing",
		Year:         2015,
		ActionLines:  []string{"C1", "C3", "C7.4", "C11"},
		SDGs:         []int{1, 3, 17},
		Website:      "https://example.org",
		Language:     "fr",
		Collections:  []string{"covid-19", "women-in-tech"},
		Prizes: []Prize{
			{Year: 2015, Category: 5, Status: "nominated"},
			{Year: 2016, Category: 5, Status: "winner"},
		},
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("Normalize =\n%+v\nwant\n%+v", e, want)
	}
}

func TestNormalizeRegion(t *testing.T) {
	tests := []struct{ country, region, wantCountry, wantRegion string }{
		{"KEN", "", "KEN", "africa"},
		{"ke", "", "KEN", "africa"},
		{"INTERNATIONAL", "", CountryInternational, "international"},
		{"UKRAINE", "", "UKR", "europe"},
		{"GEO", "CIS", "GEO", "cis"}, // a given region is kept, only canonicalised
		{"KEN", "Arab States", "KEN", "arab-states"},
		{"Atlantis", "", "ATLANTIS", ""},
		{"", "Asia & Pacific", "", "asia-pacific"},
	}
	for _, tt := range tests {
		e := Entry{Country: tt.country, Region: tt.region}
		Normalize(&e)
		if e.Country != tt.wantCountry || e.Region != tt.wantRegion {
			t.Errorf("Normalize(country %q, region %q) = %q, %q, want %q, %q",
				tt.country, tt.region, e.Country, e.Region, tt.wantCountry, tt.wantRegion)
		}
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	messy := validEntry()
	messy.Country = "korea (rep. of)"
	messy.Stakeholder = "NGO"
	messy.ActionLines = []string{"e-health", "C12", "Capacity building", "C7", "c7.4"}
	messy.SDGs = []int{18, 3, 0, 3}
	messy.Collections = []string{"Space", "covid-19"}
	messy.Language = " EN "
	messy.Prizes = append(messy.Prizes, Prize{Year: 2012, Category: 1, Status: "Finalist"})
	entries := []Entry{validEntry(), messy, {}, {Title: " a  b ", ActionLines: []string{}, SDGs: []int{}}}
	for i, e := range entries {
		Normalize(&e)
		once := e
		once.ActionLines = slices.Clone(e.ActionLines)
		once.SDGs = slices.Clone(e.SDGs)
		once.Collections = slices.Clone(e.Collections)
		once.Prizes = slices.Clone(e.Prizes)
		Normalize(&e)
		if !reflect.DeepEqual(e, once) {
			t.Errorf("entry %d: Normalize twice =\n%+v\nonce\n%+v", i, e, once)
		}
	}
	Normalize(&messy)
	if got, want := messy.ActionLines, []string{"C4", "C7", "C7.4", "C12"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ActionLines = %v, want %v", got, want)
	}
	if err := Validate(&messy); err == nil {
		t.Error("Validate(messy) = nil, want errors for C12, SDGs 0 and 18, space, finalist")
	}
}
