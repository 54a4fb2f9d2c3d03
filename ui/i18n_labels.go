package ui

import (
	"strconv"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/itu-stocktaking/stocktaking/search"
)

// countryNames maps language → ISO3 → country name. English names come
// from the search vocabulary; French, Spanish and Arabic ones from CLDR.
type countryNames map[string]map[string]string

// buildCountryNames computes every country's name in every UI language once.
func buildCountryNames() countryNames {
	out := make(countryNames, len(pageLangs))
	for _, lang := range pageLangs {
		namer := display.Regions(language.MustParse(lang))
		m := make(map[string]string, 256)
		for _, ct := range search.Countries() {
			name := ct.Name
			if ct.ISO3 == search.CountryInternational {
				name = search.FacetLabel(search.FacetRegion, "international", lang)
			} else if lang != "en" {
				if r, err := language.ParseRegion(ct.ISO2); err == nil {
					if n := namer.Name(r); n != "" {
						name = n
					}
				}
			}
			m[ct.ISO3] = name
		}
		out[lang] = m
	}
	return out
}

// country returns the name of an ISO3 code in lang, or the code itself.
func (cn countryNames) country(iso3, lang string) string {
	if n, ok := cn[lang][iso3]; ok {
		return n
	}
	if n, ok := cn["en"][iso3]; ok {
		return n
	}
	return iso3
}

// facetLabel is the label of a facet value in lang.
func facetLabel(facet, value, lang string) string {
	if facet == search.FacetCountry {
		return assets.countries.country(value, lang)
	}
	return search.FacetLabel(facet, value, lang)
}

// termLabel is the label of a vocabulary code in lang, or the code itself.
func termLabel(terms []search.Term, code, lang string) string {
	if t, ok := search.TermByCode(terms, code); ok {
		return t.Name.In(lang)
	}
	return code
}

// actionLineName is an action line's name without its code, in lang.
func actionLineName(code, lang string) string {
	if al, ok := search.ActionLineByCode(code); ok {
		return al.Name.In(lang)
	}
	return code
}

// sdgName is an SDG's short name in lang.
func sdgName(n int, lang string) string {
	if g, ok := search.SDGByNumber(n); ok {
		return g.Name.In(lang)
	}
	return strconv.Itoa(n)
}

// sdgClass is the CSS class that gives an SDG badge its official colour.
func sdgClass(n int) string {
	if _, ok := search.SDGByNumber(n); ok {
		return "sdg-" + strconv.Itoa(n)
	}
	return ""
}

// prizeCategoryLabel names a WSIS Prize category: "C7.4 E-health".
func prizeCategoryLabel(cat int, lang string) string {
	code, ok := search.ActionLineForCategory(cat)
	if !ok {
		return strconv.Itoa(cat)
	}
	return code + " · " + actionLineName(code, lang)
}
