package search

import "testing"

func TestFoldKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"KOREA (REP. OF)", "korea rep of"},
		{"  Türkiye ", "turkiye"},
		{"CÔTE D'IVOIRE", "cote divoire"},
		{"Asia & Pacific", "asia and pacific"},
		{"C7. ICT APPLICATIONS: E-HEALTH", "c7 ict applications e health"},
		{"Faim « zéro »", "faim zero"},
		{"Straße", "strasse"},
		{"بِنَاء", "بناء"}, // Arabic vowel marks dropped
		{"", ""},
		{" -- ", ""},
	}
	for _, tt := range tests {
		if got := foldKey(tt.in); got != tt.want {
			t.Errorf("foldKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLabelIn(t *testing.T) {
	l := Label{En: "Media", Fr: "Médias", Ar: "وسائط الإعلام"}
	tests := []struct{ lang, want string }{
		{"en", "Media"},
		{"fr", "Médias"},
		{"FR-ch", "Médias"},
		{"es", "Media"}, // missing: English
		{"ar", "وسائط الإعلام"},
		{"ru", "Media"},
		{"", "Media"},
	}
	for _, tt := range tests {
		if got := l.In(tt.lang); got != tt.want {
			t.Errorf("Label.In(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestTermTables(t *testing.T) {
	tables := map[string]struct {
		terms []Term
		codes []string
	}{
		"Regions":       {Regions, []string{"africa", "americas", "arab-states", "asia-pacific", "cis", "europe", "international"}},
		"Stakeholders":  {Stakeholders, []string{"government", "private-sector", "civil-society", "international-organization", "academia", "other"}},
		"PrizeStatuses": {PrizeStatuses, []string{"submitted", "nominated", "champion", "winner"}},
		"Collections":   {Collections, []string{"covid-19", "healthy-ageing", "women-in-tech", "indigenous-languages"}},
		"Coverages":     {Coverages, []string{"national", "regional", "international"}},
		"Statuses":      {Statuses, []string{"planned", "ongoing", "completed"}},
		"Languages":     {Languages, []string{"en", "fr", "es", "ar", "ru", "zh"}},
	}
	for name, tab := range tables {
		if len(tab.terms) != len(tab.codes) {
			t.Errorf("%s has %d terms, want %d", name, len(tab.terms), len(tab.codes))
			continue
		}
		for i, term := range tab.terms {
			if term.Code != tab.codes[i] {
				t.Errorf("%s[%d] = %q, want %q", name, i, term.Code, tab.codes[i])
			}
			if term.Name.En == "" || term.Name.Fr == "" || term.Name.Es == "" || term.Name.Ar == "" {
				t.Errorf("%s %s: missing a label: %+v", name, term.Code, term.Name)
			}
			if got, ok := TermByCode(tab.terms, term.Code); !ok || got != term {
				t.Errorf("TermByCode(%s, %q) = %+v, %v", name, term.Code, got, ok)
			}
			for _, s := range append(term.Name.all(), term.Code) {
				if got, ok := ParseTerm(tab.terms, s); !ok || got != term.Code {
					t.Errorf("ParseTerm(%s, %q) = %q, %v, want %q", name, s, got, ok, term.Code)
				}
			}
		}
		if _, ok := TermByCode(tab.terms, "nonsense"); ok {
			t.Errorf("TermByCode(%s, nonsense) succeeded", name)
		}
	}
}

func TestParseRegion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Africa", "africa"},
		{"AFRICA", "africa"},
		{"Americas", "americas"},
		{"Arab States", "arab-states"},
		{"arab-states", "arab-states"},
		{"Asia-Pacific", "asia-pacific"},
		{"Asia & Pacific", "asia-pacific"},
		{"Asia and the Pacific", "asia-pacific"},
		{"ASP", "asia-pacific"},
		{"CIS", "cis"},
		{"Commonwealth of Independent States", "cis"},
		{"Europe", "europe"},
		{"International", "international"},
		{"États arabes", "arab-states"},
		{"Estados Árabes", "arab-states"},
		{"Antarctica", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := ParseRegion(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ParseRegion(%q) = %q, %v, want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseStakeholder(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Government", "government"},
		{"GOVERNMENT", "government"},
		{"Private Sector", "private-sector"},
		{"private-sector", "private-sector"},
		{"NGO", "civil-society"},
		{"Civil Society", "civil-society"},
		{"Academia", "academia"},
		{"University", "academia"},
		{"International Organization", "international-organization"},
		{"International Organization(s)", "international-organization"},
		{"International Organisations", "international-organization"},
		{"Other", "other"},
		{"Gouvernement", "government"},
		{"Sociedad civil", "civil-society"},
		{"Aliens", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := ParseStakeholder(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ParseStakeholder(%q) = %q, %v, want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestFacetLabel(t *testing.T) {
	tests := []struct{ facet, value, lang, want string }{
		{FacetActionLine, "C4", "en", "C4 · Capacity building"},
		{FacetActionLine, "C4", "fr", "C4 · Renforcement des capacités"},
		{FacetActionLine, "C7.4", "en", "C7.4 · E-health"},
		{FacetActionLine, "C99", "en", "C99"},
		{FacetSDG, "3", "en", "3 · Good Health and Well-being"},
		{FacetSDG, "3", "es", "3 · Salud y bienestar"},
		{FacetSDG, "18", "en", "18"},
		{FacetSDG, "x", "en", "x"},
		{FacetPrizeCat, "1", "en", "1 · C1 The role of public governance authorities and all stakeholders in the promotion of ICTs for development"},
		{FacetPrizeCat, "10", "en", "10 · C7.4 E-health"},
		{FacetPrizeCat, "19", "en", "19"},
		{FacetCountry, "KEN", "fr", "Kenya"},
		{FacetCountry, "XIN", "en", "International"},
		{FacetCountry, "ZZZ", "en", "ZZZ"},
		{FacetYear, "2015", "ar", "2015"},
		{FacetPrizeYear, "2020", "en", "2020"},
		{FacetRegion, "arab-states", "fr", "États arabes"},
		{FacetStakeholder, "private-sector", "es", "Sector privado"},
		{FacetCollection, "covid-19", "en", "COVID-19"},
		{FacetPrizeStatus, "winner", "fr", "Lauréat"},
		{FacetLanguage, "zh", "en", "Chinese"},
		{FacetStatus, "ongoing", "fr", "En cours"},
		{FacetStatus, "paused", "fr", "paused"},
		{"nonsense", "v", "en", "v"},
	}
	for _, tt := range tests {
		if got := FacetLabel(tt.facet, tt.value, tt.lang); got != tt.want {
			t.Errorf("FacetLabel(%q, %q, %q) = %q, want %q", tt.facet, tt.value, tt.lang, got, tt.want)
		}
	}
}

func TestFacetColor(t *testing.T) {
	tests := []struct{ facet, value, want string }{
		{FacetSDG, "1", "#E5243B"},
		{FacetSDG, "17", "#19486A"},
		{FacetSDG, "18", ""},
		{FacetSDG, "x", ""},
		{FacetActionLine, "C1", ""},
		{FacetYear, "3", ""},
	}
	for _, tt := range tests {
		if got := FacetColor(tt.facet, tt.value); got != tt.want {
			t.Errorf("FacetColor(%q, %q) = %q, want %q", tt.facet, tt.value, got, tt.want)
		}
	}
}
