package exchange

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// The repair undoes one known accident: UTF-8 text that was read as
// Windows-1252 and written out as Mac Roman (the 2015 prize CSV). Reading
// each byte as Mac Roman and writing it back as Windows-1252 gives the
// original UTF-8 bytes, with two twists seen in the real file:
//
//   - The five bytes that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F,
//     0x90, 0x9D) went through unchanged, so such a byte in the file is
//     either itself or its Mac Roman reading; the one that continues a UTF-8
//     sequence is taken.
//   - Windows-1252 characters that Mac Roman lacks (soft hyphen, ³, š …)
//     were written as '_', so "Ã_" in the file is one lost letter. Only a
//     dozen bytes can hide behind a '_' (lostBytes), so the lead byte leaves
//     a handful of candidates: after "Ã", í ó Ú ä æ ò ù ü ý þ Ê Î Þ. The
//     candidate that makes a known word (knownWords: "Conf_o" → "Confío",
//     "Telef_nica" → "Telefónica") is chosen; an opening quote is chosen
//     before a word whose closing quote follows. When no candidate or more
//     than one fits, the letter stays U+FFFD. The repair says which.

// macToCP1252 maps each byte of the file to the byte the text had before it
// was written as Mac Roman; ok is false where the Mac Roman character has no
// Windows-1252 byte (then the field is not this kind of mojibake).
var macToCP1252 = func() (t [256]struct {
	b  byte
	ok bool
}) {
	for i := range 256 {
		if i < 0x80 {
			t[i].b, t[i].ok = byte(i), true
			continue
		}
		t[i].b, t[i].ok = charmap.Windows1252.EncodeRune(charmap.Macintosh.DecodeByte(byte(i)))
	}
	return t
}()

// passThrough reports whether b is a byte Windows-1252 leaves undefined and
// so may stand for itself in the file.
func passThrough(b byte) bool {
	return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D
}

func isCont(b byte) bool { return b&0xC0 == 0x80 }

// lostMark is what the Mac Roman writer put for a character it lacked.
const lostMark = '_'

// repairText restores s when it is mis-encoded the way described above. It
// returns the text, what was done about the characters lost in the source
// and whether s could be read at all.
//
// Text that is valid UTF-8 is returned as it is, unless it reads back
// completely as mis-encoded text: "M\xcc\xa9xico" is valid UTF-8 ("M̩xico",
// with a combining mark) yet is "MÃ©xico" in Mac Roman, and so "México".
// Real UTF-8 text almost never passes that test: its lead bytes read as Mac
// Roman characters (√, ¬, ‰ …) that Windows-1252 lacks or that are no lead
// bytes there.
func repairText(s string) (fixed string, note textNote, ok bool) {
	if utf8.ValidString(s) {
		if f, n, ok := unmangle(s); ok && n.lost == 0 && len(n.guessed) == 0 {
			return f, n, true
		}
		return s, textNote{}, true
	}
	return unmangle(s)
}

// textNote tells what became of the characters lost in the source: those
// guessed, and how many are left as U+FFFD.
type textNote struct {
	guessed []guess
	lost    int
}

// guess is one lost character restored: the character, the word it makes
// and the candidates it was chosen from.
type guess struct {
	r     rune
	word  string
	among []rune
}

// reason is the warning of a repair.
func (n textNote) reason() string {
	why := "mis-encoded text restored (UTF-8 read as Windows-1252, saved as Mac Roman)"
	if len(n.guessed) == 0 && n.lost == 0 {
		return why
	}
	var parts []string
	for _, g := range n.guessed {
		parts = append(parts, fmt.Sprintf("a character lost in the source restored as %q in %q, the only one of %s that fits",
			string(g.r), g.word, runeList(g.among)))
	}
	if n.lost > 0 {
		parts = append(parts, fmt.Sprintf("%d character(s) lost in the source, shown as U+FFFD (no single candidate makes a known word)", n.lost))
	}
	prefix := "mis-encoded text restored"
	if n.lost > 0 {
		prefix = "mis-encoded text partly restored"
	}
	return prefix + ": " + strings.Join(parts, "; ")
}

func runeList(rs []rune) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, " ")
}

// lost is a character lost in the source: where its U+FFFD is in the
// output and what it could have been.
type lost struct {
	at    int
	among []rune
}

// unmangle maps every byte of s back through Mac Roman and Windows-1252 and
// reads the result as UTF-8; ok is false when any part of s does not fit.
func unmangle(s string) (fixed string, note textNote, ok bool) {
	out := make([]byte, 0, len(s))
	var gone []lost
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			out = append(out, c)
			i++
			continue
		}
		m := macToCP1252[c]
		if !m.ok {
			return "", textNote{}, false
		}
		n := seqLen(m.b)
		if n == 0 {
			return "", textNote{}, false
		}
		seq := []byte{m.b}
		var holes []int // positions in seq of the bytes written as '_'
		j := i + 1
		for len(seq) < n && j < len(s) {
			b := s[j]
			switch {
			case b == lostMark:
				holes = append(holes, len(seq))
				seq = append(seq, 0x80) // placeholder, filled by candidates
			case b >= 0x80 && passThrough(b) && !isCont(macToCP1252[b].b):
				seq = append(seq, b)
			case b >= 0x80 && macToCP1252[b].ok && isCont(macToCP1252[b].b):
				seq = append(seq, macToCP1252[b].b)
			default:
				return "", textNote{}, false
			}
			j++
		}
		if len(seq) < n {
			return "", textNote{}, false
		}
		if len(holes) > 0 {
			gone = append(gone, lost{at: len(out), among: candidates(seq, holes)})
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			if r, size := utf8.DecodeRune(seq); r == utf8.RuneError && size <= 1 {
				return "", textNote{}, false
			}
			out = append(out, seq...)
		}
		i = j
	}
	if !utf8.Valid(out) || nonASCII(string(out)) >= nonASCII(macRoman(s)) {
		return "", textNote{}, false
	}
	// Guess from the last lost character to the first, so that the
	// offsets of the others stay right.
	for k := len(gone) - 1; k >= 0; k-- {
		g, ok := choose(out, gone[k])
		if !ok {
			note.lost++
			continue
		}
		out = append(out[:gone[k].at], append([]byte(string(g.r)), out[gone[k].at+3:]...)...)
		note.guessed = append([]guess{g}, note.guessed...)
	}
	return string(out), note, true
}

// lostBytes are the Windows-1252 bytes whose character Mac Roman lacks
// (soft hyphen, ², ³, ¹, ¼, ½, ¾, ¤, ¦, Š, š, Ž, ž …): what a '_' in the
// file may stand for inside a UTF-8 sequence.
var lostBytes = func() (out []byte) {
	for b := 0x80; b <= 0xBF; b++ {
		if passThrough(byte(b)) {
			continue
		}
		if _, ok := charmap.Macintosh.EncodeRune(charmap.Windows1252.DecodeByte(byte(b))); !ok {
			out = append(out, byte(b))
		}
	}
	return out
}()

// candidates returns the characters seq can be once every hole is filled
// with one of lostBytes.
func candidates(seq []byte, holes []int) []rune {
	var out []rune
	var fill func(k int)
	fill = func(k int) {
		if k == len(holes) {
			if r, size := utf8.DecodeRune(seq); size == len(seq) && r != utf8.RuneError {
				out = append(out, r)
			}
			return
		}
		for _, b := range lostBytes {
			seq[holes[k]] = b
			fill(k + 1)
		}
	}
	fill(0)
	return out
}

// choose picks the candidate of l that makes a known word with the letters
// around it, or an opening quote before a word whose closing quote follows;
// false when none or several fit.
func choose(out []byte, l lost) (guess, bool) {
	text := string(out)
	start, end := l.at, l.at+3
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:start])
		if !unicode.IsLetter(r) {
			break
		}
		start -= n
	}
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		if !unicode.IsLetter(r) {
			break
		}
		end += n
	}
	before, after := text[start:l.at], text[l.at+3:end]
	var fits []rune
	for _, r := range l.among {
		switch {
		case unicode.IsLetter(r) && (before != "" || after != "") && knownWord(before+string(r)+after):
			fits = append(fits, r)
		case before == "" && after != "" && closingQuote[r] != "" && strings.ContainsAny(text[end:], closingQuote[r]):
			fits = append(fits, r)
		}
	}
	if len(fits) != 1 {
		return guess{}, false
	}
	return guess{r: fits[0], word: before + string(fits[0]) + after, among: l.among}, true
}

// closingQuote gives the closing quotes that may follow an opening quote.
var closingQuote = map[rune]string{'„': "“”", '‚': "‘’", '‹': "›", '“': "”", '‘': "’"}

// knownWord reports whether w, in any case, is in knownWords; a Polish ł
// may have been typed as l.
func knownWord(w string) bool {
	lw := strings.ToLower(w)
	return knownWords[lw] || knownLoose[lw]
}

// knownWords are Spanish, Portuguese, French and Polish words with letters
// outside ASCII, those seen in the 2015 CSV among them: enough to tell "í"
// from "ó" in a word that lost one.
var knownWords, knownLoose = func() (exact, loose map[string]bool) {
	exact, loose = map[string]bool{}, map[string]bool{}
	for _, w := range strings.Fields(`
		educación información comunicación comunicaciones tecnología tecnologías administración gestión región
		regiones nación público pública públicos públicas única único autónoma autónomo telefónica martí josé confío
		confía también más así según política políticas económico económica electrónico electrónica línea líneas
		acción participación innovación investigación formación capacitación organización asociación fundación
		niñez niños niñas año años señal compañía españa méxico perú bogotá panamá córdoba inclusión difusión
		conexión trámite trámites república jóvenes atención médica médico médicas médicos informática telemática
		técnica técnico académica pedagógica crédito código número área áreas ciudadanía días básica básico
		ministério educação informação comunicação inclusão gestão cidadão cidadãos saúde município municípios
		são brasília ciência ciências acessível inovação região administração técnica eletrônico eletrônica
		conteúdo conteúdos serviços
		éducation télécommunications numérique société développement réseau réseaux accès santé sécurité données
		électronique système université école écoles ministère économie collectivités français française côte
		sénégal bénin télévision médias télémédecine où été être créé création étudiants élèves privé
		szkół szkoła szkoły szkole usług zakład dostęp społeczeństwo społeczeństwa łódź kraków wrocław gdańsk
		poznań urząd państwo państwa ośrodek uczniów młodzież również który która które będzie są się można już`) {
		exact[w] = true
		if strings.Contains(w, "ł") {
			loose[strings.ReplaceAll(w, "ł", "l")] = true
		}
	}
	return exact, loose
}()

// seqLen returns the length of the UTF-8 sequence that lead byte b starts,
// or 0 when b cannot start a multi-byte sequence.
func seqLen(b byte) int {
	switch {
	case b >= 0xC2 && b <= 0xDF:
		return 2
	case b >= 0xE0 && b <= 0xEF:
		return 3
	case b >= 0xF0 && b <= 0xF4:
		return 4
	}
	return 0
}

// macRoman reads s as Mac Roman: how the mis-encoded field looks, and what a
// Repair reports as From.
func macRoman(s string) string {
	out := make([]rune, 0, len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, charmap.Macintosh.DecodeByte(s[i]))
	}
	return string(out)
}

// nonASCII counts the runes of s outside ASCII, U+FFFD aside: every
// mojibake sequence is two or more of them, every repaired character one,
// and a lost one none.
func nonASCII(s string) int {
	n := 0
	for _, r := range s {
		if r >= utf8.RuneSelf && r != utf8.RuneError {
			n++
		}
	}
	return n
}
