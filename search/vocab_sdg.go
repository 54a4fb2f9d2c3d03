package search

import (
	"math"
	"strconv"
	"strings"
)

// SDG is one of the 17 Sustainable Development Goals, with its official
// short name and colour.
type SDG struct {
	Number int
	Name   Label
	Color  string // official colour, "#E5243B"
}

// SDGs lists the 17 goals in order. French and Spanish names are the UN
// short names; the Arabic ones need review.
var SDGs = []SDG{
	{1, Label{"No Poverty", "Pas de pauvreté", "Fin de la pobreza", "القضاء على الفقر"}, "#E5243B"},
	{2, Label{"Zero Hunger", "Faim « zéro »", "Hambre cero", "القضاء التام على الجوع"}, "#DDA63A"},
	{3, Label{"Good Health and Well-being", "Bonne santé et bien-être", "Salud y bienestar", "الصحة الجيدة والرفاه"}, "#4C9F38"},
	{4, Label{"Quality Education", "Éducation de qualité", "Educación de calidad", "التعليم الجيد"}, "#C5192D"},
	{5, Label{"Gender Equality", "Égalité entre les sexes", "Igualdad de género", "المساواة بين الجنسين"}, "#FF3A21"},
	{6, Label{"Clean Water and Sanitation", "Eau propre et assainissement", "Agua limpia y saneamiento", "المياه النظيفة والنظافة الصحية"}, "#26BDE2"},
	{7, Label{"Affordable and Clean Energy", "Énergie propre et d'un coût abordable", "Energía asequible y no contaminante", "طاقة نظيفة وبأسعار معقولة"}, "#FCC30B"},
	{8, Label{"Decent Work and Economic Growth", "Travail décent et croissance économique", "Trabajo decente y crecimiento económico", "العمل اللائق ونمو الاقتصاد"}, "#A21942"},
	{9, Label{"Industry, Innovation and Infrastructure", "Industrie, innovation et infrastructure", "Industria, innovación e infraestructura", "الصناعة والابتكار والهياكل الأساسية"}, "#FD6925"},
	{10, Label{"Reduced Inequalities", "Inégalités réduites", "Reducción de las desigualdades", "الحد من أوجه عدم المساواة"}, "#DD1367"},
	{11, Label{"Sustainable Cities and Communities", "Villes et communautés durables", "Ciudades y comunidades sostenibles", "مدن ومجتمعات محلية مستدامة"}, "#FD9D24"},
	{12, Label{"Responsible Consumption and Production", "Consommation et production responsables", "Producción y consumo responsables", "الاستهلاك والإنتاج المسؤولان"}, "#BF8B2E"},
	{13, Label{"Climate Action", "Mesures relatives à la lutte contre les changements climatiques", "Acción por el clima", "العمل المناخي"}, "#3F7E44"},
	{14, Label{"Life Below Water", "Vie aquatique", "Vida submarina", "الحياة تحت الماء"}, "#0A97D9"},
	{15, Label{"Life on Land", "Vie terrestre", "Vida de ecosistemas terrestres", "الحياة في البر"}, "#56C02B"},
	{16, Label{"Peace, Justice and Strong Institutions", "Paix, justice et institutions efficaces", "Paz, justicia e instituciones sólidas", "السلام والعدل والمؤسسات القوية"}, "#00689D"},
	{17, Label{"Partnerships for the Goals", "Partenariats pour la réalisation des objectifs", "Alianzas para lograr los objetivos", "عقد الشراكات لتحقيق الأهداف"}, "#19486A"},
}

// sdgPrefixes introduce a goal number: "SDG 3", "Goal 3", "ODS 3", "ODD 3".
var sdgPrefixes = []string{"sdgs", "sdg", "goal", "ods", "odd", "objective", "objectif", "objetivo", "un sdg"}

var sdgIndex = func() *keyIndex {
	x := newKeyIndex()
	for _, g := range SDGs {
		x.add(strconv.Itoa(g.Number), g.Name.all()...)
	}
	x.add("2", "Faim zéro", "Zero hunger")
	x.add("3", "Good health", "Good health and wellbeing", "Health and well-being")
	x.add("5", "Gender equality", "Égalité des sexes")
	x.add("7", "Clean energy", "Affordable energy")
	x.add("13", "Lutte contre les changements climatiques", "Climate")
	x.add("16", "Peace and justice", "Peace justice and strong institutions")
	x.add("17", "Partnerships", "Partenariats")
	return x
}()

// SDGByNumber returns goal n, 1..17.
func SDGByNumber(n int) (SDG, bool) {
	if n < 1 || n > len(SDGs) {
		return SDG{}, false
	}
	return SDGs[n-1], true
}

// ParseSDG reads "3", "SDG 3", "SDG3", "Goal 3", "ODS 3", "ODD 3",
// "Goal 3: Good Health" and the goal names (English, French, Spanish).
func ParseSDG(s string) (int, bool) {
	k := foldKey(s)
	for _, p := range sdgPrefixes {
		if rest, ok := strings.CutPrefix(k, p); ok && rest != "" && (rest[0] == ' ' || rest[0] >= '0' && rest[0] <= '9') {
			k = strings.TrimLeft(rest, " ")
			break
		}
	}
	num, _, _ := strings.Cut(k, " ")
	if n, err := strconv.Atoi(num); err == nil {
		if _, ok := SDGByNumber(n); ok {
			return n, true
		}
		return 0, false
	}
	if c, ok := sdgIndex.lookup(k); ok {
		n, _ := strconv.Atoi(c)
		return n, true
	}
	return 0, false
}

// TextColor returns "#000000" or "#FFFFFF", whichever gives the better WCAG
// contrast on the background colour bg ("#RRGGBB" or "#RGB"); black for a
// colour it cannot read.
func TextColor(bg string) string {
	l, ok := luminance(bg)
	if !ok {
		return "#000000"
	}
	if contrastRatio(l, 0) >= contrastRatio(l, 1) {
		return "#000000"
	}
	return "#FFFFFF"
}

// luminance is the WCAG 2 relative luminance of a hex colour.
func luminance(hex string) (float64, bool) {
	hex = strings.TrimPrefix(strings.TrimSpace(hex), "#")
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	if len(hex) != 6 {
		return 0, false
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return 0, false
	}
	lin := func(c uint64) float64 {
		x := float64(c) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(v>>16&0xFF) + 0.7152*lin(v>>8&0xFF) + 0.0722*lin(v&0xFF), true
}

// contrastRatio is the WCAG contrast ratio of two relative luminances.
func contrastRatio(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	return (a + 0.05) / (b + 0.05)
}
