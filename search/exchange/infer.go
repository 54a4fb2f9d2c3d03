package exchange

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// A row of a prize list names only an organisation; its stakeholder type is
// guessed from words in that name. The first rule that matches wins, so the
// order matters: "African Union Commission" is an international
// organisation before "commission" makes it a government body; "Ministry
// of Education" is government before "education" could matter. Anything
// unclear is "other", never a confident wrong type.
var stakeholderRules = []struct {
	code    string
	phrases []string
}{
	{"government", []string{"national commission for unesco"}},
	{"international-organization", []string{
		"united nations", "world bank", "african union", "eclac", "cepal", "escap", "escwa", "uneca",
		"international telecommunication union", "itu", "unesco", "unicef", "undp", "unep", "unctad",
		"food and agriculture organization", "world health organization", "wipo", "upu", "oecd",
		"caribbean telecommunications union", "commonwealth telecommunications organisation", "isesco",
		"inter american institute for cooperation", "technical centre for agricultural and rural cooperation",
	}},
	{"academia", []string{
		"university", "universidad", "universidade", "universite", "universita", "universiti", "univercity",
		"institute of technology", "polytechnic", "college", "academy of sciences", "faculty", "facultad",
		"graduate school", "school of", "institute of management",
	}},
	{"government", []string{
		"ministry", "ministery", "ministere", "ministerio", "government", "gouvernement", "gobierno", "governo",
		"authority", "commission", "agency", "municipality", "minicipality", "municipal", "presidency",
		"prime minister", "department of", "division of", "office of", "regulatory", "courts", "state",
		"statistics",
	}},
	{"private-sector", []string{
		"ltd", "limited", "inc", "corp", "corporation", "s a", "spa", "gmbh", "company", "co", "llc", "plc",
		"pvt", "pty", "sp z o o", "srl", "sarl", "ltda", "bv",
	}},
	{"civil-society", []string{
		"foundation", "fundacion", "fundacao", "fondation", "fondazione", "association", "associazione",
		"asociacion", "associacao", "ngo", "onlus", "internet society", "non profit", "nonprofit", "charity",
		"union",
	}},
}

// guessStakeholder returns the stakeholder code an organisation name
// suggests, "other" when nothing does.
func guessStakeholder(org string) string {
	key := " " + foldWords(org) + " "
	for _, r := range stakeholderRules {
		for _, p := range r.phrases {
			if strings.Contains(key, " "+p+" ") {
				return r.code
			}
		}
	}
	return "other"
}

// foldWords lower-cases s, removes accents and turns every run of other
// characters than letters and digits into one space: "S.A." becomes "s a".
func foldWords(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if out, _, err := transform.String(t, s); err == nil {
		s = out
	}
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
