package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DetectLanguage returns the language of an entry's text (title first, then
// its descriptions), for an entry that does not declare one: Normalize fills
// in a missing Language with it, so imports, submissions and the API all
// detect alike. Each text is read up to its first detectBytes bytes.
//
// The script decides first: the words of the title and descriptions are
// counted by script (a run of Arabic, Cyrillic or Latin letters is a word;
// each Han character is one, Chinese having no spaces), and a text mostly in
// Arabic, Cyrillic or Han script is Arabic, Russian or Chinese. Text in
// Latin script is French or Spanish when its function words clearly say so
// (latinLanguage), English otherwise, as is text with no letters at all:
// English is the default language of the stocktaking and its analyser the
// fallback of the index.
func DetectLanguage(title string, texts ...string) string {
	var words [scriptCount]int
	countScripts(title, &words)
	for _, t := range texts {
		countScripts(t, &words)
	}
	best, bestN := scriptLatin, words[scriptLatin]
	for s := scriptArabic; s < scriptCount; s++ {
		if words[s] > bestN {
			best, bestN = s, words[s]
		}
	}
	switch best {
	case scriptArabic:
		return "ar"
	case scriptCyrillic:
		return "ru"
	case scriptHan:
		return "zh"
	}
	return latinLanguage(title, texts)
}

// detectBytes bounds how much of each text DetectLanguage reads: a few
// sentences say the language as well as the whole description.
const detectBytes = 4000

type script int

const (
	scriptLatin script = iota
	scriptArabic
	scriptCyrillic
	scriptHan
	scriptOther // letters of a script no entry language is written in
	scriptCount
)

func scriptOf(r rune) script {
	switch {
	case r < utf8.RuneSelf || unicode.Is(unicode.Latin, r):
		return scriptLatin
	case unicode.Is(unicode.Arabic, r):
		return scriptArabic
	case unicode.Is(unicode.Cyrillic, r):
		return scriptCyrillic
	case unicode.Is(unicode.Han, r):
		return scriptHan
	}
	return scriptOther
}

// countScripts adds the words of s, per script, to words.
func countScripts(s string, words *[scriptCount]int) {
	s = head(s)
	prev := scriptCount // not in a word
	for _, r := range s {
		if !unicode.IsLetter(r) {
			prev = scriptCount
			continue
		}
		sc := scriptOf(r)
		if sc != prev || sc == scriptHan {
			words[sc]++
		}
		prev = sc
	}
}

// head is s cut to at most detectBytes bytes, on a character boundary.
func head(s string) string {
	if len(s) <= detectBytes {
		return s
	}
	cut := detectBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// Function words that tell French and Spanish text from English. Words of
// one language count two; words French and Spanish share count one for
// each; Spanish nouns in -ción and -idad and words with a letter only one of
// them uses count one. "a" is French and Spanish as much as English, and
// "on" a French pronoun, so neither is a cue.
var (
	cuesES      = wordSet("el", "los", "las", "del", "y", "para", "con", "por", "una", "al", "es", "su", "sus", "como")
	cuesFR      = wordSet("le", "les", "des", "du", "et", "pour", "dans", "une", "au", "aux", "sur", "est", "par", "avec", "qui")
	cuesFRES    = wordSet("de", "la", "en", "un", "que")
	cuesEN      = wordSet("the", "of", "and", "for", "to", "in", "with", "by", "from", "an", "through", "is", "are", "this", "that")
	onlyLetters = map[string]string{"es": "ñíóúá¿¡", "fr": "èêàçâîôûëïœù"}
)

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// latinLanguage returns "fr" or "es" for text that is clearly French or
// Spanish (a score of at least 2, above the other language's and above
// twice the English function words), "en" otherwise.
func latinLanguage(title string, texts []string) string {
	var es, fr, en int
	count := func(s string) {
		// A hyphen keeps a word whole: "Al-Shifa" is a name, not Spanish "al".
		for _, w := range strings.FieldsFunc(strings.ToLower(head(s)), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
			switch {
			case cuesES[w]:
				es += 2
			case cuesFR[w]:
				fr += 2
			case cuesFRES[w]:
				es++
				fr++
			case cuesEN[w]:
				en++
			default:
				if hasSuffix(w, "ción", "ciones", "idad", "idades") || strings.ContainsAny(w, onlyLetters["es"]) {
					es++
				}
				if strings.ContainsAny(w, onlyLetters["fr"]) {
					fr++
				}
			}
		}
	}
	count(title)
	for _, t := range texts {
		count(t)
	}
	switch {
	case es >= 2 && es > fr && es > 2*en:
		return "es"
	case fr >= 2 && fr > es && fr > 2*en:
		return "fr"
	}
	return "en"
}

func hasSuffix(w string, suffixes ...string) bool {
	for _, s := range suffixes {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}
