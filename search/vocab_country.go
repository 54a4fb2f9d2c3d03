package search

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
)

// CountryInternational is the code of ITU's pseudo-country INTERNATIONAL,
// used for entries that serve no single country.
const CountryInternational = "XIN"

// Country is an ITU Member State, Palestine, a territory, or INTERNATIONAL.
type Country struct {
	ISO2, ISO3     string
	Name           string // English name (ISO 3166-1)
	ITUName        string // ITU's upper-case spelling, "KOREA (REP. OF)"
	Region         string // a Region code
	RegionInferred bool   // true when no ITU list gave the region (territories, most states)
}

// countriesCSV holds iso2,iso3,name_en,itu_name,itu_region,region_source,
// compiled from ISO 3166-1 and ITU-D regional lists.
//
//go:embed countries.csv
var countriesCSV string

// countryAliases are spellings that neither the ISO nor the ITU name covers:
// old and new names, short names, and common English forms.
var countryAliases = map[string][]string{
	"BOL":                {"Bolivia (Plurinational State of)", "Plurinational State of Bolivia"},
	"BRN":                {"Brunei"},
	"CIV":                {"Ivory Coast"},
	"COD":                {"DR Congo", "DRC", "D.R. Congo", "Democratic Republic of Congo", "Congo (Dem. Rep. of the)", "Congo, Democratic Republic of the", "Congo-Kinshasa"},
	"COG":                {"Republic of the Congo", "Congo-Brazzaville", "Congo (Rep. of)"},
	"CPV":                {"Cape Verde"},
	"CZE":                {"Czech Rep."},
	"FSM":                {"Micronesia"},
	"GBR":                {"UK", "U.K.", "Great Britain", "Britain", "United Kingdom of Great Britain and Northern Ireland"},
	"IRN":                {"Iran", "Islamic Republic of Iran"},
	"KGZ":                {"Kyrgyz Republic"},
	"KOR":                {"South Korea", "Republic of Korea", "Korea (Republic of)", "Korea, Rep."},
	"LAO":                {"Laos", "Lao PDR", "Lao"},
	"MDA":                {"Moldova", "Republic of Moldova"},
	"MKD":                {"Macedonia", "The former Yugoslav Republic of Macedonia", "TFYR Macedonia"},
	"MMR":                {"Burma"},
	"NLD":                {"Holland", "Netherlands (Kingdom of the)"},
	"PRK":                {"North Korea", "DPRK", "DPR Korea", "Democratic People's Republic of Korea"},
	"PSE":                {"Palestine", "Palestinian Territories", "Palestine (State of)"},
	"RUS":                {"Russia"},
	"SVK":                {"Slovak Republic"},
	"SWZ":                {"Swaziland"},
	"SYR":                {"Syria"},
	"TLS":                {"East Timor"},
	"TUR":                {"Türkiye (Republic of)", "Republic of Türkiye", "Turkey (Republic of)"},
	"TZA":                {"Tanzania"},
	"USA":                {"United States of America", "U.S.A.", "U.S.", "America"},
	"VAT":                {"Vatican", "Vatican City", "Holy See"},
	"VEN":                {"Venezuela"},
	"VNM":                {"Vietnam"},
	CountryInternational: {"Global", "Worldwide"},
}

var countryList, countryByCode, countryIndex = loadCountries()

// loadCountries reads the embedded table once; a broken table is a
// programming error, hence the panic.
func loadCountries() ([]Country, map[string]Country, *keyIndex) {
	rows, err := csv.NewReader(strings.NewReader(countriesCSV)).ReadAll()
	if err != nil || len(rows) < 2 {
		panic(fmt.Sprintf("search: read countries.csv: %v", err))
	}
	var list []Country
	byCode := map[string]Country{}
	for _, r := range rows[1:] {
		c := Country{ISO2: r[0], ISO3: r[1], Name: r[2], ITUName: r[3], RegionInferred: r[5] != "read"}
		if c.ITUName == "INTERNATIONAL" {
			c.ISO3 = CountryInternational
		}
		region, ok := ParseRegion(r[4])
		if !ok || c.ISO3 == "" {
			panic(fmt.Sprintf("search: countries.csv: bad row %q", r))
		}
		c.Region = region
		list = append(list, c)
		byCode[c.ISO3] = c
		if c.ISO2 != "" {
			byCode[c.ISO2] = c
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if (a.ISO3 == CountryInternational) != (b.ISO3 == CountryInternational) {
			return b.ISO3 == CountryInternational
		}
		return foldKey(a.Name) < foldKey(b.Name)
	})

	// Exact names first, so that a derived form ("congo", from "Congo, The
	// Democratic Republic of the") never overrides a real name ("Congo").
	exact := newKeyIndex()
	for _, c := range list {
		exact.add(c.ISO3, c.Name, c.ITUName)
		exact.add(c.ISO3, countryAliases[c.ISO3]...)
	}
	derived := newKeyIndex()
	for _, c := range list {
		for _, n := range []string{c.Name, c.ITUName} {
			derived.add(c.ISO3, derivedCountryNames(n)...)
		}
	}
	for k, code := range derived.codes {
		if _, taken := exact.codes[k]; !taken && !exact.ambiguous[k] {
			exact.codes[k] = code
		}
	}
	return list, byCode, exact
}

// derivedCountryNames returns the readings of an inverted or qualified
// name: "Korea, Republic of" gives "Republic of Korea" and "Korea";
// "IRAN (ISLAMIC REPUBLIC OF)" gives "IRAN" and "ISLAMIC REPUBLIC OF IRAN".
func derivedCountryNames(name string) []string {
	var out []string
	if head, tail, ok := strings.Cut(name, ","); ok {
		out = append(out, head, strings.TrimSpace(tail)+" "+head)
	}
	if open := strings.Index(name, "("); open > 0 {
		if end := strings.Index(name[open:], ")"); end > 0 {
			inner := name[open+1 : open+end]
			outer := strings.TrimSpace(name[:open] + name[open+end+1:])
			out = append(out, outer, inner+" "+outer)
		}
	}
	return out
}

// Countries returns every country sorted by English name (ignoring accents),
// with INTERNATIONAL last. The slice is a copy.
func Countries() []Country {
	return append([]Country(nil), countryList...)
}

// CountryByCode returns the country with ISO 3166-1 alpha-3 or alpha-2 code
// code (any case); "XIN" is INTERNATIONAL.
func CountryByCode(code string) (Country, bool) {
	c, ok := countryByCode[strings.ToUpper(strings.TrimSpace(code))]
	return c, ok
}

// ParseCountry reads a country as ISO2 or ISO3 code, English name, ITU name,
// old or new spelling ("TURKEY", "Türkiye", "BOLIVIA", "KOREA (REP. OF)"),
// ignoring case, spacing, punctuation and accents.
func ParseCountry(s string) (Country, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 2 || len(s) == 3 {
		if c, ok := CountryByCode(s); ok {
			return c, true
		}
	}
	k := countryKey(s)
	code, ok := countryIndex.lookup(k)
	if !ok {
		if rest, cut := stripWordPrefix(k, "the"); cut {
			code, ok = countryIndex.lookup(rest)
		}
	}
	if !ok {
		return Country{}, false
	}
	return CountryByCode(code)
}

// countryKey folds s and reads "St" as "Saint".
func countryKey(s string) string {
	k := foldKey(s)
	if rest, ok := stripWordPrefix(k, "st"); ok && rest != "" {
		k = "saint " + rest
	}
	return k
}
