package search

import (
	"strconv"
	"strings"
)

// Term is one value of a small controlled vocabulary: a stable code and its
// labels.
type Term struct {
	Code string
	Name Label
}

// Regions are the ITU-D regions, plus the pseudo-region of the pseudo-country
// INTERNATIONAL.
var Regions = []Term{
	{"africa", Label{"Africa", "Afrique", "África", "أفريقيا"}},
	{"americas", Label{"Americas", "Amériques", "Américas", "الأمريكتان"}},
	{"arab-states", Label{"Arab States", "États arabes", "Estados Árabes", "الدول العربية"}},
	{"asia-pacific", Label{"Asia-Pacific", "Asie-Pacifique", "Asia-Pacífico", "آسيا والمحيط الهادئ"}},
	{"cis", Label{"CIS", "CEI", "CEI", "كومنولث الدول المستقلة"}},
	{"europe", Label{"Europe", "Europe", "Europa", "أوروبا"}},
	{"international", Label{"International", "International", "Internacional", "دولي"}},
}

// Stakeholders are the types of entity that report an entry.
var Stakeholders = []Term{
	{"government", Label{"Government", "Gouvernement", "Gobierno", "حكومة"}},
	{"private-sector", Label{"Private sector", "Secteur privé", "Sector privado", "القطاع الخاص"}},
	{"civil-society", Label{"Civil society", "Société civile", "Sociedad civil", "المجتمع المدني"}},
	{"international-organization", Label{"International organization", "Organisation internationale", "Organización internacional", "منظمة دولية"}},
	// review: fr/es/ar of "Academia"
	{"academia", Label{"Academia", "Milieu universitaire", "Academia", "الأوساط الأكاديمية"}},
	{"other", Label{"Other", "Autre", "Otro", "أخرى"}},
}

// PrizeStatuses are the stages of a WSIS Prize nomination, in order.
var PrizeStatuses = []Term{
	// review: ar of all four
	{"submitted", Label{"Submitted", "Soumis", "Presentado", "مقدَّم"}},
	{"nominated", Label{"Nominated", "Nominé", "Nominado", "مرشَّح"}},
	{"champion", Label{"Champion", "Champion", "Campeón", "بطل"}},
	{"winner", Label{"Winner", "Lauréat", "Ganador", "فائز"}},
}

// Collections are the thematic repositories an entry can belong to.
var Collections = []Term{
	{"covid-19", Label{"COVID-19", "COVID-19", "COVID-19", "كوفيد-19"}},
	// review: fr/es/ar of the three below
	{"healthy-ageing", Label{"Healthy ageing", "Vieillissement en bonne santé", "Envejecimiento saludable", "الشيخوخة الصحية"}},
	{"women-in-tech", Label{"Women in technology", "Les femmes dans la technologie", "Mujeres en la tecnología", "المرأة في التكنولوجيا"}},
	{"indigenous-languages", Label{"Indigenous languages", "Langues autochtones", "Lenguas indígenas", "لغات الشعوب الأصلية"}},
}

// Coverages are the geographic reaches of a project.
var Coverages = []Term{
	{"national", Label{"National", "National", "Nacional", "وطني"}},
	{"regional", Label{"Regional", "Régional", "Regional", "إقليمي"}},
	{"international", Label{"International", "International", "Internacional", "دولي"}},
}

// Statuses are the stages of a project.
var Statuses = []Term{
	// review: ar of all three
	{"planned", Label{"Planned", "Prévu", "Planificado", "مخطط له"}},
	{"ongoing", Label{"Ongoing", "En cours", "En curso", "جارٍ"}},
	{"completed", Label{"Completed", "Terminé", "Finalizado", "مكتمل"}},
}

// Languages are the six UN languages an entry can be written in.
var Languages = []Term{
	{"en", Label{"English", "Anglais", "Inglés", "الإنكليزية"}},
	{"fr", Label{"French", "Français", "Francés", "الفرنسية"}},
	{"es", Label{"Spanish", "Espagnol", "Español", "الإسبانية"}},
	{"ar", Label{"Arabic", "Arabe", "Árabe", "العربية"}},
	{"ru", Label{"Russian", "Russe", "Ruso", "الروسية"}},
	{"zh", Label{"Chinese", "Chinois", "Chino", "الصينية"}},
}

// TermByCode returns the term of terms with the given code.
func TermByCode(terms []Term, code string) (Term, bool) {
	for _, t := range terms {
		if t.Code == code {
			return t, true
		}
	}
	return Term{}, false
}

// ParseTerm reads s as a code or a label (any UI language) of terms,
// ignoring case, accents, punctuation and spacing.
func ParseTerm(terms []Term, s string) (string, bool) {
	k := foldKey(s)
	if k == "" {
		return "", false
	}
	for _, t := range terms {
		if foldKey(t.Code) == k {
			return t.Code, true
		}
		for _, n := range t.Name.all() {
			if foldKey(n) == k {
				return t.Code, true
			}
		}
	}
	return "", false
}

var regionIndex = func() *keyIndex {
	x := newKeyIndex()
	for _, t := range Regions {
		x.add(t.Code, t.Code)
		x.add(t.Code, t.Name.all()...)
	}
	x.add("africa", "AFR")
	x.add("americas", "AMS", "Americas region", "The Americas", "Amérique", "América")
	x.add("arab-states", "ARB", "Arab region", "Arab States region", "Arab countries", "Arab", "Pays arabes", "Países árabes")
	x.add("asia-pacific", "ASP", "Asia & Pacific", "Asia and Pacific", "Asia and the Pacific", "Asia", "Asie et Pacifique", "Asia y el Pacífico")
	x.add("cis", "Commonwealth of Independent States", "Communauté des États indépendants", "Comunidad de Estados Independientes")
	x.add("europe", "EUR")
	x.add("international", "Global", "Worldwide", "INT")
	return x
}()

// ParseRegion reads a region code or name: "Arab States", "Asia & Pacific",
// "ASP", "CIS", "International", French and Spanish names.
func ParseRegion(s string) (string, bool) {
	return regionIndex.lookup(foldKey(s))
}

var stakeholderIndex = func() *keyIndex {
	x := newKeyIndex()
	for _, t := range Stakeholders {
		x.add(t.Code, t.Code)
		x.add(t.Code, t.Name.all()...)
	}
	x.add("government", "Governments", "Govt", "Public sector", "Public authority", "Public administration", "Gouvernements", "Gobiernos")
	x.add("private-sector", "Private", "Business", "Business sector", "Company", "Industry", "Secteur privé", "Sector privado")
	x.add("civil-society", "NGO", "NGOs", "Civil society organization", "Civil society organisation", "CSO",
		"Non-governmental organization", "Non-governmental organisation", "ONG", "Société civile")
	x.add("international-organization", "International organizations", "International organisation",
		"International organisations", "International organization(s)", "IO", "IGO", "Intergovernmental organization",
		"Intergovernmental organisation", "United Nations", "UN agency", "Organisations internationales", "Organizaciones internacionales")
	x.add("academia", "Academic", "Academic institution", "University", "Universities", "Research", "Research institution",
		"Academia and research", "Université", "Universidad")
	x.add("other", "Others", "Autres", "Otros")
	return x
}()

// ParseStakeholder reads a stakeholder code or name: "Government",
// "Private Sector", "NGO" or "Civil Society", "Academia",
// "International Organization(s)", French and Spanish names.
func ParseStakeholder(s string) (string, bool) {
	return stakeholderIndex.lookup(foldKey(s))
}

// FacetLabel returns the label of a facet value in a UI language: the term
// name for vocabularies, "C4 · Capacity building" for action lines,
// "3 · Good Health and Well-being" for SDGs, "10 · C7.4 E-health" for prize
// categories, the English name for countries (the UI translates those) and
// the value itself for years and unknown values.
func FacetLabel(facet, value, lang string) string {
	var terms []Term
	switch facet {
	case FacetActionLine:
		if al, ok := ActionLineByCode(value); ok {
			return al.Code + " · " + al.Name.In(lang)
		}
		return value
	case FacetSDG:
		n, err := strconv.Atoi(value)
		if g, ok := SDGByNumber(n); err == nil && ok {
			return value + " · " + g.Name.In(lang)
		}
		return value
	case FacetPrizeCat:
		n, err := strconv.Atoi(value)
		if code, ok := ActionLineForCategory(n); err == nil && ok {
			al, _ := ActionLineByCode(code)
			return value + " · " + al.Code + " " + al.Name.In(lang)
		}
		return value
	case FacetCountry:
		if c, ok := CountryByCode(value); ok {
			return c.Name
		}
		return value
	case FacetRegion:
		terms = Regions
	case FacetStakeholder:
		terms = Stakeholders
	case FacetCollection:
		terms = Collections
	case FacetPrizeStatus:
		terms = PrizeStatuses
	case FacetLanguage:
		terms = Languages
	case FacetStatus:
		terms = Statuses
	default: // years, prize years and anything unknown
		return value
	}
	if t, ok := TermByCode(terms, value); ok {
		return t.Name.In(lang)
	}
	return value
}

// FacetColor returns the SDG colour for values of the sdg facet and "" for
// everything else.
func FacetColor(facet, value string) string {
	if facet != FacetSDG {
		return ""
	}
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil {
		return ""
	}
	g, _ := SDGByNumber(n)
	return g.Color
}
