package search

import (
	"strings"
	"testing"
)

// prizes2015Countries are the 73 readable country values of the 2015
// nominee list (the 74th, "Ltd., THAILAND", is half of a split row) with
// the ISO3 code each must read as.
var prizes2015Countries = map[string]string{
	"ALGERIA": "DZA", "ARGENTINA": "ARG", "AZERBAIJAN": "AZE", "BANGLADESH": "BGD", "BENIN": "BEN",
	"BOLIVIA": "BOL", "BULGARIA": "BGR", "BURKINA FASO": "BFA", "CAMEROON": "CMR", "CANADA": "CAN",
	"CHILE": "CHL", "CHINA": "CHN", "COLOMBIA": "COL", "CROATIA": "HRV", "CUBA": "CUB",
	"DEMOCRATIC REPUBLIC OF THE CONGO": "COD", "EGYPT": "EGY", "ETHIOPIA": "ETH", "FIJI": "FJI",
	"FRANCE": "FRA", "GEORGIA": "GEO", "GERMANY": "DEU", "INDIA": "IND", "INDONESIA": "IDN",
	"INTERNATIONAL": CountryInternational, "IRAN (ISLAMIC REPUBLIC OF)": "IRN", "ITALY": "ITA",
	"JAPAN": "JPN", "KAZAKHSTAN": "KAZ", "KENYA": "KEN", "KOREA (REP. OF)": "KOR", "KUWAIT": "KWT",
	"LATVIA": "LVA", "LEBANON": "LBN", "MALAYSIA": "MYS", "MALTA": "MLT", "MEXICO": "MEX",
	"MONGOLIA": "MNG", "MONTENEGRO (REPUBLIC OF)": "MNE", "MOROCCO": "MAR", "NEPAL (REPUBLIC OF)": "NPL",
	"NETHERLANDS": "NLD", "NIGERIA": "NGA", "OMAN": "OMN", "PAKISTAN": "PAK", "PERU": "PER",
	"PHILIPPINES": "PHL", "POLAND": "POL", "PORTUGAL": "PRT", "QATAR": "QAT", "ROMANIA": "ROU",
	"RUSSIAN FEDERATION": "RUS", "RWANDA": "RWA", "SAUDI ARABIA": "SAU", "SERBIA": "SRB",
	"SINGAPORE": "SGP", "SOUTH AFRICA": "ZAF", "SPAIN": "ESP", "SRI LANKA": "LKA", "SUDAN": "SDN",
	"SWITZERLAND": "CHE", "THAILAND": "THA", "TOGO": "TGO", "TRINIDAD AND TOBAGO": "TTO",
	"TURKEY": "TUR", "UGANDA": "UGA", "UNITED ARAB EMIRATES": "ARE", "UNITED KINGDOM": "GBR",
	"UNITED REPUBLIC OF TANZANIA": "TZA", "UNITED STATES OF AMERICA": "USA", "URUGUAY": "URY",
	"YEMEN": "YEM", "ZAMBIA": "ZMB",
}

func TestPrizes2015CountriesParse(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range readPrizes2015(t) {
		seen[r[3]] = true
	}
	if len(seen) != 74 {
		t.Errorf("file has %d distinct countries, want 74", len(seen))
	}
	for v := range seen {
		if _, ok := prizes2015Countries[v]; !ok && v != "Ltd., THAILAND" {
			t.Errorf("country %q of the file is missing from the test table", v)
		}
	}
	if len(prizes2015Countries) != 73 {
		t.Errorf("test table has %d countries, want 73", len(prizes2015Countries))
	}
	for in, want := range prizes2015Countries {
		if c, ok := ParseCountry(in); !ok || c.ISO3 != want {
			t.Errorf("ParseCountry(%q) = %q, %v, want %s", in, c.ISO3, ok, want)
		}
	}
	if c, ok := ParseCountry("Ltd., THAILAND"); ok {
		t.Errorf("ParseCountry(%q) = %s, want no match", "Ltd., THAILAND", c.ISO3)
	}
}

func TestParseCountry(t *testing.T) {
	tests := []struct {
		in   string
		want string // ISO3; "" = no match
	}{
		{"KEN", "KEN"},
		{"ken", "KEN"},
		{"KE", "KEN"},
		{"ke", "KEN"},
		{"XIN", CountryInternational},
		{"International", CountryInternational},
		{"Kenya", "KEN"},
		{"  kenya  ", "KEN"},
		{"TURKEY", "TUR"},
		{"Turkey", "TUR"},
		{"TÜRKIYE", "TUR"},
		{"Türkiye", "TUR"},
		{"Turkiye", "TUR"},
		{"BOLIVIA", "BOL"},
		{"Bolivia (Plurinational State of)", "BOL"},
		{"Bolivia, Plurinational State of", "BOL"},
		{"Plurinational State of Bolivia", "BOL"},
		{"KOREA (REP. OF)", "KOR"},
		{"Korea, Republic of", "KOR"},
		{"Republic of Korea", "KOR"},
		{"South Korea", "KOR"},
		{"KOREA (DEM. PEOPLE'S REP. OF)", "PRK"},
		{"Korea", ""}, // ambiguous
		{"IRAN (ISLAMIC REPUBLIC OF)", "IRN"},
		{"Iran", "IRN"},
		{"Islamic Republic of Iran", "IRN"},
		{"Congo", "COG"},
		{"DEMOCRATIC REPUBLIC OF THE CONGO", "COD"},
		{"Congo, The Democratic Republic of the", "COD"},
		{"Côte d'Ivoire", "CIV"},
		{"COTE D’IVOIRE", "CIV"},
		{"Cote dIvoire", "CIV"},
		{"Ivory Coast", "CIV"},
		{"Curacao", "CUW"},
		{"Réunion", "REU"},
		{"CZECH REPUBLIC", "CZE"},
		{"Czechia", "CZE"},
		{"United States", "USA"},
		{"USA", "USA"},
		{"UK", "GBR"},
		{"The Netherlands", "NLD"},
		{"the gambia", "GMB"},
		{"St Lucia", "LCA"},
		{"St. Kitts and Nevis", "KNA"},
		{"Viet Nam", "VNM"},
		{"Vietnam", "VNM"},
		{"LAO P.D.R.", "LAO"},
		{"Tanzania", "TZA"},
		{"Moldova", "MDA"},
		{"MOLDOVA (REPUBLIC OF)", "MDA"},
		{"Palestine", "PSE"},
		{"STATE OF PALESTINE", "PSE"},
		{"Hong Kong", "HKG"},
		{"HONG KONG, CHINA", "HKG"},
		{"Holy See", "VAT"},
		{"VATICAN", "VAT"},
		{"Virgin Islands", ""}, // British or U.S.
		{"Ltd., THAILAND", ""},
		{"Atlantis", ""},
		{"", ""},
		{"ZZ", ""},
	}
	for _, tt := range tests {
		c, ok := ParseCountry(tt.in)
		if c.ISO3 != tt.want || ok != (tt.want != "") {
			t.Errorf("ParseCountry(%q) = %q, %v, want %q", tt.in, c.ISO3, ok, tt.want)
		}
	}
}

func TestCountries(t *testing.T) {
	list := Countries()
	if len(list) != 244 {
		t.Errorf("len(Countries()) = %d, want 244 (194 members, Palestine, 48 territories, INTERNATIONAL)", len(list))
	}
	last := list[len(list)-1]
	if last.ISO3 != CountryInternational || last.Region != "international" || last.Name != "International" {
		t.Errorf("last country = %+v, want INTERNATIONAL", last)
	}
	isos := map[string]bool{}
	for i, c := range list {
		if isos[c.ISO3] {
			t.Errorf("duplicate ISO3 %s", c.ISO3)
		}
		isos[c.ISO3] = true
		if _, ok := TermByCode(Regions, c.Region); !ok {
			t.Errorf("%s: unknown region %q", c.ISO3, c.Region)
		}
		if c.ISO3 != CountryInternational && (len(c.ISO2) != 2 || len(c.ISO3) != 3 || c.Name == "" || c.ITUName == "") {
			t.Errorf("incomplete country %+v", c)
		}
		if got, ok := ParseCountry(c.Name); !ok || got.ISO3 != c.ISO3 {
			t.Errorf("ParseCountry(%q) = %q, %v, want %s", c.Name, got.ISO3, ok, c.ISO3)
		}
		if got, ok := ParseCountry(c.ITUName); !ok || got.ISO3 != c.ISO3 {
			t.Errorf("ParseCountry(%q) = %q, %v, want %s", c.ITUName, got.ISO3, ok, c.ISO3)
		}
		if i > 0 && i < len(list)-1 && foldKey(list[i-1].Name) > foldKey(c.Name) {
			t.Errorf("not sorted: %q before %q", list[i-1].Name, c.Name)
		}
	}
	list[0].Name = "changed"
	if Countries()[0].Name == "changed" {
		t.Error("Countries() shares its slice")
	}
}

func TestCountryByCode(t *testing.T) {
	tests := []struct {
		code, wantISO3, wantRegion string
		wantInferred               bool
	}{
		{"KEN", "KEN", "africa", true},
		{"ukr", "UKR", "europe", false},
		{"GE", "GEO", "europe", false},
		{"KAZ", "KAZ", "cis", false},
		{"EGY", "EGY", "arab-states", true},
		{"ind", "IND", "asia-pacific", false},
		{"BR", "BRA", "americas", true},
		{"xin", CountryInternational, "international", true},
		{"", "", "", false},
		{"XX", "", "", false},
		{"KENYA", "", "", false},
	}
	for _, tt := range tests {
		c, ok := CountryByCode(tt.code)
		if c.ISO3 != tt.wantISO3 || ok != (tt.wantISO3 != "") || c.Region != tt.wantRegion || c.RegionInferred != tt.wantInferred {
			t.Errorf("CountryByCode(%q) = %+v, %v, want %s %s inferred=%v", tt.code, c, ok, tt.wantISO3, tt.wantRegion, tt.wantInferred)
		}
	}
	for _, c := range Countries() {
		if strings.ToUpper(c.ISO3) != c.ISO3 {
			t.Errorf("ISO3 %q not upper case", c.ISO3)
		}
	}
}
