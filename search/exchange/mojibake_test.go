package exchange

import (
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// garble reproduces the accident: UTF-8 bytes read as Windows-1252 and
// written as Mac Roman, with undefined bytes passed through and characters
// Mac Roman lacks written as '_'.
func garble(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x80 || passThrough(b) {
			out = append(out, b)
			continue
		}
		r := charmap.Windows1252.DecodeByte(b)
		m, ok := charmap.Macintosh.EncodeRune(r)
		if !ok {
			m = '_'
		}
		out = append(out, m)
	}
	return string(out)
}

func TestRepairText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		lost int
		ok   bool
	}{
		{"ascii", "Life Stories", "Life Stories", 0, true},
		{"valid utf-8 untouched", "México «ADILET»", "México «ADILET»", 0, true},
		{"apostrophe", garble("Egypt’s ICT Indicators Portal"), "Egypt’s ICT Indicators Portal", 0, true},
		{"accent", garble("México"), "México", 0, true},
		{"guillemets", garble("«ADILET»"), "«ADILET»", 0, true},
		{"pass-through 0x9D", garble("“Beatona.net”"), "“Beatona.net”", 0, true},
		{"pass-through 0x81", garble("Área de Informática"), "Área de Informática", 0, true},
		{"polish", garble("Zakład Usług"), "Zakład Usług", 0, true},
		{"croatian", garble("“Fran Galović”"), "“Fran Galović”", 0, true},
		{"lost letter", garble("En TIC Confío"), "En TIC Conf\uFFFDo", 1, true},
		{"thai, one letter lost", garble("อุ"), "\uFFFDุ", 1, true},
		{"two bytes lost", "\x88__Utokapat", "\uFFFDUtokapat", 1, true},
		{"real bytes", "Egypt\x89\xdb\xaas", "Egypt’s", 0, true},
		{"latin-1", "Caf\xe9", "", 0, false},
		{"latin-1 mid-word", "M\xe9xico", "", 0, false},
		{"garbage", "\xff\xfe\xfd", "", 0, false},
		{"lone continuation", "a\xdbb", "", 0, false},
		{"truncated sequence", "x\x89\xdb", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, lost, ok := repairText(tt.in)
			if got != tt.want || lost != tt.lost || ok != tt.ok {
				t.Errorf("repairText(%q) = %q, %d, %v, want %q, %d, %v", tt.in, got, lost, ok, tt.want, tt.lost, tt.ok)
			}
		})
	}
}
