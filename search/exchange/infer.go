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

// Function words that tell French and Spanish titles from English ones.
// Words both languages share count once for each; words of one language
// count twice; Spanish nouns in -ción and -idad and letters only one of them
// uses count once. "a" is Spanish too, so it is not counted as English.
var (
	wordsES   = setOf("el", "los", "las", "del", "y", "para", "con", "por", "una", "al")
	wordsFR   = setOf("le", "les", "des", "du", "et", "pour", "dans", "une", "au", "aux", "sur")
	wordsESF  = setOf("de", "la", "en", "un", "que")
	wordsEN   = setOf("the", "of", "and", "for", "to", "in", "with", "on", "by", "from", "a", "an", "through")
	lettersES = "ñíóúá¿¡"
	lettersFR = "èêàçâîôûëïœù"
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// guessLanguage returns "fr" or "es" for a title that is clearly French or
// Spanish (a score of at least 2, above the other language's and above
// twice the English function words), "en" otherwise.
func guessLanguage(title string) string {
	lower := strings.ToLower(title)
	var es, fr, en int
	// A hyphen keeps a word whole: "Al-Shifa" is a name, not Spanish "al".
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		switch {
		case wordsES[w]:
			es += 2
		case wordsFR[w]:
			fr += 2
		case wordsESF[w]:
			es++
			fr++
		case wordsEN[w]:
			en++
		case hasAnySuffix(w, "ción", "ciones", "idad", "idades"):
			es++
		}
	}
	if strings.ContainsAny(lower, lettersES) {
		es++
	}
	if strings.ContainsAny(lower, lettersFR) {
		fr++
	}
	switch {
	case es >= 2 && es > fr && es > 2*en:
		return "es"
	case fr >= 2 && fr > es && fr > 2*en:
		return "fr"
	}
	return "en"
}

func hasAnySuffix(w string, suffixes ...string) bool {
	for _, s := range suffixes {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
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
