package exchange

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

const prizes2015 = "../../fixtures/wsis-prizes-2015-nominated.csv"

// readFile reads path with Read and returns the report and every entry.
func readFile(t *testing.T, path string, f Format, opts Options, batch int) (*Report, []*search.Entry) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var all []*search.Entry
	rep, err := Read(fh, f, opts, batch, func(b []*search.Entry) error {
		if len(b) == 0 || len(b) > batch {
			t.Errorf("batch of %d entries, want 1…%d", len(b), batch)
		}
		all = append(all, b...)
		return nil
	})
	if err != nil {
		t.Fatalf("Read(%s) error: %v", path, err)
	}
	return rep, all
}

func TestRead2015(t *testing.T) {
	rep, entries := readFile(t, prizes2015, FormatCSV, Options{Source: "wsis-prizes-2015-nominated.csv"}, 50)
	if rep.Read != 302 || rep.Accepted != 302 || len(rep.Rejected) != 0 || len(entries) != 302 {
		t.Fatalf("read %d, accepted %d, rejected %v, entries %d; want 302, 302, none, 302",
			rep.Read, rep.Accepted, rep.Rejected, len(entries))
	}
	var full, guessed, partial, split int
	lines := map[int]bool{}
	for _, r := range rep.Repairs {
		switch {
		case r.Field == "country":
			split++
		case strings.Contains(r.Reason, "partly"):
			partial++
		case strings.Contains(r.Reason, "lost in the source restored as"):
			guessed++
		default:
			full++
			lines[r.Line] = true
		}
		if r.Line < 2 || r.Line > 303 || r.From == r.To {
			t.Errorf("odd repair %+v", r)
		}
	}
	// 29 fields on 28 lines are restored exactly (6 of them valid UTF-8
	// that reads as mojibake, like "MÃ©xico"); 10 more lost a character in
	// the source ('_' for what Mac Roman lacks): 9 get it back from the
	// word list ("ConfÃ_o" → "Confío") or as an opening quote, 1 (Thai, two
	// bytes lost) keeps U+FFFD.
	if full != 29 || len(lines) != 28 || guessed != 9 || partial != 1 || split != 1 {
		t.Errorf("repairs: %d full on %d lines, %d guessed, %d partial, %d split; want 29 on 28, 9, 1, 1",
			full, len(lines), guessed, partial, split)
	}
	wantRepairs := []Repair{
		{Line: 54, Field: "title", From: "Egyptâ€™s ICT Indicators Portal", To: "Egypt’s ICT Indicators Portal"},
		{Line: 62, Field: "title", From: "Legal reference information system of normative acts Â«ADILETÂ»",
			To: "Legal reference information system of normative acts «ADILET»"},
		{Line: 106, Field: "title", From: "Puntos MÃ©xico Conectado: Digital innovation and education community centers",
			To: "Puntos México Conectado: Digital innovation and education community centers"},
		{Line: 123, Field: "title", From: "En TIC ConfÃ_o", To: "En TIC Confío"},
		{Line: 132, Field: "organization", From: "TelefÃ_nica S.A.", To: "Telefónica S.A."},
		{Line: 222, Field: "organization", From: "Facultad de Ciencias MÃ©dicas UNR- ÃÅrea de InformÃ¡tica MÃ©dica y Telemedicina",
			To: "Facultad de Ciencias Médicas UNR- Área de Informática Médica y Telemedicina"},
		{Line: 207, Field: "organization", From: "UNIVERSIDAD AUTÃ“NOMA DE CHIHUAHUA", To: "UNIVERSIDAD AUTÓNOMA DE CHIHUAHUA"},
		{Line: 238, Field: "country", From: "Ltd., THAILAND", To: "THAILAND"},
	}
	for _, w := range wantRepairs {
		found := false
		for _, r := range rep.Repairs {
			if r.Line == w.Line && r.Field == w.Field && r.From == w.From && r.To == w.To {
				found = true
			}
		}
		if !found {
			t.Errorf("repair %+v missing", w)
		}
	}

	byTitle := map[string]*search.Entry{}
	ids := map[string]bool{}
	for _, e := range entries {
		byTitle[e.Title] = e
		if ids[e.ID] || !strings.HasPrefix(e.ID, "wsis2015-") || len(e.ID) != len("wsis2015-")+10 {
			t.Errorf("id %q: duplicate or not wsis2015-<10 hex>", e.ID)
		}
		ids[e.ID] = true
		if e.Year != 2015 || len(e.ActionLines) != 1 || len(e.Prizes) != 1 || e.Prizes[0].Status != "nominated" {
			t.Errorf("%s: year %d, lines %v, prizes %v", e.ID, e.Year, e.ActionLines, e.Prizes)
		}
	}
	egypt := byTitle["Egypt’s ICT Indicators Portal"]
	if egypt == nil {
		t.Fatal("Egypt’s ICT Indicators Portal missing")
	}
	want := search.Entry{ID: egypt.ID, Title: "Egypt’s ICT Indicators Portal",
		Organization: "Ministry of Communications and Information Technology", Stakeholder: "government",
		Country: "EGY", Region: "arab-states", Year: 2015, ActionLines: []string{"C3"}, Language: "en",
		Prizes: []search.Prize{{Year: 2015, Category: 3, Status: "nominated"}}}
	if !reflect.DeepEqual(*egypt, want) {
		t.Errorf("Egypt entry = %+v\nwant %+v", *egypt, want)
	}
	cases := []struct {
		title, org, stakeholder, country, region, lang, line string
		cat                                                  int
	}{
		{"SenzE : Eye Controlled Communicative Assistive Device for Paralysis Patients", "Meditech Solution Co, Ltd.",
			"private-sector", "THA", "asia-pacific", "en", "C7.4", 10},
		{"Plan of Action for the Information Society in Latin America and the Caribbean", "ECLAC",
			"international-organization", "CHL", "americas", "en", "C11", 18},
		{"Droits des Consommateurs dans les télécommunications en Afrique", "", "", "", "", "fr", "", 0},
		{"Mobile Health Information System", "FHI 360", "other", "USA", "americas", "en", "C7.4", 10},
	}
	for _, c := range cases {
		e := byTitle[c.title]
		if e == nil {
			t.Errorf("%q missing", c.title)
			continue
		}
		if c.org != "" && (e.Organization != c.org || e.Stakeholder != c.stakeholder || e.Country != c.country ||
			e.Region != c.region || e.ActionLines[0] != c.line || e.Prizes[0].Category != c.cat) {
			t.Errorf("%q = %+v", c.title, e)
		}
		if e.Language != c.lang {
			t.Errorf("%q: language %q, want %q", c.title, e.Language, c.lang)
		}
	}

	// Same file, same ids: a second import updates rather than duplicates.
	_, again := readFile(t, prizes2015, FormatCSV, Options{DefaultYear: 2015}, 500)
	for i := range again {
		if again[i].ID != entries[i].ID {
			t.Fatalf("entry %d: id %s on the first read, %s on the second", i, entries[i].ID, again[i].ID)
		}
	}
}

func TestGuessStakeholder(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ministry of Health", "government"},
		{"Infocomm Development Authority of Singapore", "government"},
		{"Latvian National Commission for UNESCO", "government"},
		{"African Union Commission", "international-organization"},
		{"The World Bank", "international-organization"},
		{"ITU", "international-organization"},
		{"Universidad Autónoma de Chihuahua", "academia"},
		{"Lopburi Polytechnic College", "academia"},
		{"Telefónica S.A.", "private-sector"},
		{"Synesis IT Ltd.", "private-sector"},
		{"Trend Micro Inc.", "private-sector"},
		{"Zakład Usług Informatycznych OTAGO Sp. z o.o.", "private-sector"},
		{"Internet Watch Foundation", "civil-society"},
		{"Association for Progressive Communications (APC)", "civil-society"},
		{"Lattelecom", "other"},
		{"", "other"},
	}
	for _, tt := range tests {
		if got := guessStakeholder(tt.in); got != tt.want {
			t.Errorf("guessStakeholder(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
