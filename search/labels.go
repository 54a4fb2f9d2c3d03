package search

import (
	"strings"
	"unicode"
)

// Label holds a name in the UI languages; In falls back to English.
type Label struct{ En, Fr, Es, Ar string }

// In returns the label in lang ("fr", "es", "ar", also "fr-CH"), or the
// English label when that language is missing.
func (l Label) In(lang string) string {
	lang, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "-")
	var s string
	switch lang {
	case "fr":
		s = l.Fr
	case "es":
		s = l.Es
	case "ar":
		s = l.Ar
	}
	if s == "" {
		return l.En
	}
	return s
}

// all returns the non-empty labels, English first.
func (l Label) all() []string {
	var out []string
	for _, s := range []string{l.En, l.Fr, l.Es, l.Ar} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// foldTable maps accented Latin letters to their base letters, so that
// "TÜRKIYE", "Türkiye" and "Turkiye" read the same. Only the standard library
// may be used here, hence a table rather than Unicode decomposition.
var foldTable = func() map[rune]string {
	m := map[rune]string{}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě", "g": "ĝğġģ",
		"h": "ĥħ", "i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ",
		"o": "òóôõöøōŏő", "r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų",
		"w": "ŵ", "y": "ýÿŷ", "z": "źżž", "ae": "æ", "oe": "œ", "ss": "ß", "th": "þ",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// foldKey reduces a label to a lookup key: lower case, accents removed,
// apostrophes dropped, "&" read as "and", every other run of punctuation or
// space turned into one space. "KOREA (REP. OF)" becomes "korea rep of".
func foldKey(s string) string {
	var b strings.Builder
	space := true // no leading space
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == '‘':
			continue
		case unicode.Is(unicode.Mn, r): // combining marks, Arabic vowel signs
			continue
		case r == '&':
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString("and ")
			space = true
			continue
		}
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			space = false
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// containsWords reports whether the key has words as a whole-word run.
func containsWords(key, words string) bool {
	return words != "" && strings.Contains(" "+key+" ", " "+words+" ")
}

// stripWordPrefix removes prefix (a key) from key when it is followed by a
// word boundary, and reports whether it did.
func stripWordPrefix(key, prefix string) (string, bool) {
	if key == prefix {
		return "", true
	}
	if strings.HasPrefix(key, prefix+" ") {
		return key[len(prefix)+1:], true
	}
	return key, false
}

// keyIndex maps folded keys to codes. A key claimed by two codes is ambiguous
// and dropped, so that a lookup never guesses.
type keyIndex struct {
	codes     map[string]string
	ambiguous map[string]bool
}

func newKeyIndex() *keyIndex {
	return &keyIndex{codes: map[string]string{}, ambiguous: map[string]bool{}}
}

// add registers the folded forms of names for code.
func (x *keyIndex) add(code string, names ...string) {
	for _, n := range names {
		k := foldKey(n)
		if k == "" || x.ambiguous[k] {
			continue
		}
		if old, ok := x.codes[k]; ok && old != code {
			delete(x.codes, k)
			x.ambiguous[k] = true
			continue
		}
		x.codes[k] = code
	}
}

// lookup returns the code of an already folded key.
func (x *keyIndex) lookup(key string) (string, bool) {
	c, ok := x.codes[key]
	return c, ok
}
