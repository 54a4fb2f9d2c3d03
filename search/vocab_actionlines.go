package search

import (
	"strconv"
	"strings"
)

// ActionLine is one of the 11 WSIS Action Lines or one of the eight C7
// sub-lines. ITU gives the sub-lines no number; C7.1…C7.8 are ours, in the
// order of the Geneva Plan of Action.
type ActionLine struct {
	Code     string
	Category int // WSIS Prize category 1..18; 0 for the C7 parent
	Name     Label
	Parent   string // "C7" for sub-lines
}

// ActionLines lists C1..C6, C7, C7.1..C7.8, C8..C11. French, Spanish and
// Arabic names follow the Geneva Plan of Action as far as we know it; the
// sub-line names in those languages vary across ITU documents.
var ActionLines = []ActionLine{
	{"C1", 1, Label{
		"The role of public governance authorities and all stakeholders in the promotion of ICTs for development",
		"Rôle des autorités publiques et de toutes les parties prenantes dans la promotion des TIC pour le développement",
		"Papel de las autoridades públicas y de todas las partes interesadas en la promoción de las TIC para el desarrollo",
		"دور السلطات العامة وجميع أصحاب المصلحة في النهوض بتكنولوجيا المعلومات والاتصالات من أجل التنمية", // review: fr/es/ar
	}, ""},
	{"C2", 2, Label{"Information and communication infrastructure", "Infrastructure de l'information et de la communication",
		"Infraestructura de la información y la comunicación", "البنية التحتية للمعلومات والاتصالات"}, ""},
	{"C3", 3, Label{"Access to information and knowledge", "Accès à l'information et au savoir",
		"Acceso a la información y al conocimiento", "النفاذ إلى المعلومات والمعارف"}, ""},
	{"C4", 4, Label{"Capacity building", "Renforcement des capacités", "Creación de capacidad", "بناء القدرات"}, ""},
	{"C5", 5, Label{"Building confidence and security in the use of ICTs", "Établir la confiance et la sécurité dans l'utilisation des TIC",
		"Creación de confianza y seguridad en la utilización de las TIC", "بناء الثقة والأمن في استعمال تكنولوجيا المعلومات والاتصالات"}, ""},
	{"C6", 6, Label{"Enabling environment", "Environnement propice", "Entorno habilitador", "البيئة التمكينية"}, ""},
	{"C7", 0, Label{"ICT applications", "Applications TIC", "Aplicaciones de las TIC", "تطبيقات تكنولوجيا المعلومات والاتصالات"}, ""},
	// review: fr/es/ar of the eight sub-lines
	{"C7.1", 7, Label{"E-government", "Cybergouvernement", "Gobierno electrónico", "الحكومة الإلكترونية"}, "C7"},
	{"C7.2", 8, Label{"E-business", "Commerce électronique", "Negocios electrónicos", "الأعمال التجارية الإلكترونية"}, "C7"},
	{"C7.3", 9, Label{"E-learning", "Téléenseignement", "Aprendizaje electrónico", "التعلم الإلكتروني"}, "C7"},
	{"C7.4", 10, Label{"E-health", "Cybersanté", "Cibersalud", "الصحة الإلكترونية"}, "C7"},
	{"C7.5", 11, Label{"E-employment", "Cyberemploi", "Ciberempleo", "العمالة الإلكترونية"}, "C7"},
	{"C7.6", 12, Label{"E-environment", "Cyberécologie", "Ciberecología", "البيئة الإلكترونية"}, "C7"},
	{"C7.7", 13, Label{"E-agriculture", "Cyberagriculture", "Ciberagricultura", "الزراعة الإلكترونية"}, "C7"},
	{"C7.8", 14, Label{"E-science", "Cyberscience", "Ciberciencia", "العلوم الإلكترونية"}, "C7"},
	{"C8", 15, Label{"Cultural diversity and identity, linguistic diversity and local content",
		"Diversité et identité culturelles, diversité linguistique et contenus locaux",
		"Diversidad e identidad culturales, diversidad lingüística y contenido local",
		"التنوع والهوية الثقافيان والتنوع اللغوي والمحتوى المحلي"}, ""},
	{"C9", 16, Label{"Media", "Médias", "Medios de comunicación", "وسائط الإعلام"}, ""},
	{"C10", 17, Label{"Ethical dimensions of the Information Society", "Dimensions éthiques de la société de l'information",
		"Dimensiones éticas de la sociedad de la información", "الأبعاد الأخلاقية لمجتمع المعلومات"}, ""},
	{"C11", 18, Label{"International and regional cooperation", "Coopération internationale et régionale",
		"Cooperación internacional y regional", "التعاون الدولي والإقليمي"}, ""},
}

// actionLineAliases are further names seen in ITU pages and documents.
var actionLineAliases = map[string][]string{
	"C1": {"The role of governments and all stakeholders in the promotion of ICTs for development",
		"Role of governments and all stakeholders in the promotion of ICTs for development",
		"The role of public governance authorities and all stakeholders in the promotion of ICT for development",
		"Rôle des gouvernements et de toutes les parties prenantes dans la promotion des TIC pour le développement",
		"Papel de los gobiernos y de todas las partes interesadas en la promoción de las TIC para el desarrollo",
		"The role of governments", "Role of government"},
	"C2": {"Information and communication infrastructure: an essential foundation for the Information Society", "Infrastructure", "ICT infrastructure"},
	"C3": {"Access to information knowledge", "Access to knowledge"},
	"C5": {"Building confidence and security in the use of ICT", "Cybersecurity", "Confidence and security"},
	"C7": {"ICT applications: benefits in all aspects of life", "ICT applications (benefits in all aspects of life)",
		"ICT applications benefits in all aspects of life", "Applications des TIC"},
	"C8":  {"Cultural diversity and identity", "Linguistic diversity and local content"},
	"C9":  {"Medios", "Mass media"},
	"C10": {"Ethical dimensions of the information society", "Ethics"},
	// Sub-lines: names with and without the hyphen, and common variants.
	"C7.1": {"e-government", "egovernment", "e-gov", "Administration électronique", "E-gouvernement", "Gobierno digital", "Cibergobierno"},
	"C7.2": {"e-business", "ebusiness", "e-commerce", "ecommerce", "Cyberentreprise", "Commerce en ligne", "Comercio electrónico", "Cibernegocios"},
	"C7.3": {"e-learning", "elearning", "Télé-enseignement", "Cyberapprentissage", "Apprentissage en ligne", "Ciberaprendizaje", "Enseñanza electrónica"},
	"C7.4": {"e-health", "ehealth", "Télésanté", "Santé en ligne", "Salud electrónica", "E-salud"},
	"C7.5": {"e-employment", "eemployment", "Télétravail", "Empleo electrónico", "Cibertrabajo"},
	"C7.6": {"e-environment", "eenvironment", "Environnement électronique", "Medio ambiente electrónico", "Cibermedioambiente"},
	"C7.7": {"e-agriculture", "eagriculture", "Agriculture électronique", "Agricultura electrónica"},
	"C7.8": {"e-science", "escience", "Science électronique", "Ciencia electrónica"},
}

// c7Prefixes are the keys that introduce a sub-line in "ICT Applications:
// e-health" and its translations.
var c7Prefixes = []string{"ict applications", "ict application", "applications tic", "applications des tic", "aplicaciones de las tic", "aplicaciones tic"}

var actionLineIndex, subLineIndex = func() (*keyIndex, *keyIndex) {
	all, sub := newKeyIndex(), newKeyIndex()
	for _, al := range ActionLines {
		names := append(al.Name.all(), actionLineAliases[al.Code]...)
		all.add(al.Code, names...)
		if al.Parent != "" {
			sub.add(al.Code, names...)
		}
	}
	return all, sub
}()

// ActionLineByCode returns the action line with the given canonical code.
func ActionLineByCode(code string) (ActionLine, bool) {
	for _, al := range ActionLines {
		if al.Code == code {
			return al, true
		}
	}
	return ActionLine{}, false
}

// ActionLineForCategory returns the action line code of a WSIS Prize
// category 1..18.
func ActionLineForCategory(cat int) (string, bool) {
	for _, al := range ActionLines {
		if cat > 0 && al.Category == cat {
			return al.Code, true
		}
	}
	return "", false
}

// ParseActionLine reads every label form ITU uses, ignoring case, accents
// and punctuation: "C3", "c7.4", "C7. ICT APPLICATIONS: E-HEALTH",
// "AL C7. E-health", "ICT Applications: e-health", "e-health", full names in
// English (old and new wording), French and Spanish, and "Category 10".
func ParseActionLine(s string) (string, bool) {
	raw := strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"wsis action line", "action line", "al"} {
		if rest, ok := strings.CutPrefix(raw, p); ok && rest != "" && !isASCIIAlnum(rest[0]) {
			raw = strings.TrimLeft(rest, " .:-#")
			break
		}
	}
	if code, rest, ok := cutCode(raw); ok {
		if code == "C7" {
			if sub, ok := findSubLine(foldKey(rest)); ok {
				return sub, true
			}
		}
		return code, true
	}
	k := foldKey(raw)
	if n, ok := cutCategory(k); ok {
		return ActionLineForCategory(n)
	}
	if code, ok := actionLineIndex.lookup(k); ok {
		return code, true
	}
	for _, p := range c7Prefixes {
		if rest, ok := stripWordPrefix(k, p); ok && rest != "" {
			return subLineIndex.lookup(rest)
		}
	}
	return "", false
}

// ParsePrizeCategory reads "Category 10", "10" or any action-line label form
// of a sub-line or line other than C7.
func ParsePrizeCategory(s string) (int, bool) {
	k := foldKey(s)
	if n, err := strconv.Atoi(k); err == nil {
		if _, ok := ActionLineForCategory(n); ok {
			return n, true
		}
		return 0, false
	}
	code, ok := ParseActionLine(s)
	if !ok {
		return 0, false
	}
	al, _ := ActionLineByCode(code)
	return al.Category, al.Category > 0
}

// cutCode reads a leading code "c3", "c 3", "c7.4" from a lower-cased label
// and returns the canonical code and what follows it.
func cutCode(s string) (code, rest string, ok bool) {
	if !strings.HasPrefix(s, "c") {
		return "", "", false
	}
	i := 1
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && j-i < 2 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i || (j < len(s) && isASCIIAlnum(s[j])) {
		return "", "", false
	}
	code = "C" + s[i:j]
	if j+1 < len(s) && s[j] == '.' && s[j+1] >= '0' && s[j+1] <= '9' {
		if j+2 < len(s) && isASCIIAlnum(s[j+2]) {
			return "", "", false // "c7.10" is no code
		}
		code += s[j : j+2]
		j += 2
	}
	if _, known := ActionLineByCode(code); !known {
		return "", "", false
	}
	return code, s[j:], true
}

// findSubLine finds a C7 sub-line named anywhere in key, as in
// "ict applications iv e health".
func findSubLine(key string) (string, bool) {
	for _, al := range ActionLines {
		if al.Parent == "" {
			continue
		}
		for _, n := range append(al.Name.all(), actionLineAliases[al.Code]...) {
			if containsWords(key, foldKey(n)) {
				return al.Code, true
			}
		}
	}
	return "", false
}

// cutCategory reads "category 10" (also "cat 10", French and Spanish).
func cutCategory(key string) (int, bool) {
	for _, p := range []string{"category", "cat", "categorie", "categoria", "prize category"} {
		if rest, ok := stripWordPrefix(key, p); ok && rest != "" {
			n, err := strconv.Atoi(rest)
			return n, err == nil
		}
	}
	return 0, false
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
