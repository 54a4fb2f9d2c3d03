package exchange

import (
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
//     were written as '_', so "Ã_" in the file is one lost letter. It is
//     restored as U+FFFD, and the repair says how many letters were lost.

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
// returns the text, the number of characters that were lost in the source
// (now U+FFFD) and whether s could be read at all.
//
// Text that is valid UTF-8 is returned as it is, unless it reads back
// completely as mis-encoded text: "M\xcc\xa9xico" is valid UTF-8 ("M̩xico",
// with a combining mark) yet is "MÃ©xico" in Mac Roman, and so "México".
// Real UTF-8 text almost never passes that test: its lead bytes read as Mac
// Roman characters (√, ¬, ‰ …) that Windows-1252 lacks or that are no lead
// bytes there.
func repairText(s string) (fixed string, lost int, ok bool) {
	if utf8.ValidString(s) {
		if f, n, ok := unmangle(s); ok && n == 0 {
			return f, 0, true
		}
		return s, 0, true
	}
	return unmangle(s)
}

// unmangle maps every byte of s back through Mac Roman and Windows-1252 and
// reads the result as UTF-8; ok is false when any part of s does not fit.
func unmangle(s string) (fixed string, lost int, ok bool) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			out = append(out, c)
			i++
			continue
		}
		m := macToCP1252[c]
		if !m.ok {
			return "", 0, false
		}
		n := seqLen(m.b)
		if n == 0 {
			return "", 0, false
		}
		seq := []byte{m.b}
		j, gone := i+1, false
		for len(seq) < n && j < len(s) {
			b := s[j]
			switch {
			case b == lostMark:
				gone = true
				seq = append(seq, 0x80) // placeholder, never emitted
			case b >= 0x80 && passThrough(b) && !isCont(macToCP1252[b].b):
				seq = append(seq, b)
			case b >= 0x80 && macToCP1252[b].ok && isCont(macToCP1252[b].b):
				seq = append(seq, macToCP1252[b].b)
			default:
				return "", 0, false
			}
			j++
		}
		if len(seq) < n {
			return "", 0, false
		}
		if gone {
			out = utf8.AppendRune(out, utf8.RuneError)
			lost++
		} else {
			if r, size := utf8.DecodeRune(seq); r == utf8.RuneError && size <= 1 {
				return "", 0, false
			}
			out = append(out, seq...)
		}
		i = j
	}
	if !utf8.Valid(out) || nonASCII(string(out)) >= nonASCII(macRoman(s)) {
		return "", 0, false
	}
	return string(out), lost, true
}

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
