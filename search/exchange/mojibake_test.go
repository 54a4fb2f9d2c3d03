package exchange

import (
	"bytes"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

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
		name    string
		in      string
		want    string
		lost    int
		guessed string // the restored lost characters
		ok      bool
	}{
		{"ascii", "Life Stories", "Life Stories", 0, "", true},
		{"valid utf-8 untouched", "México «ADILET»", "México «ADILET»", 0, "", true},
		{"apostrophe", garble("Egypt’s ICT Indicators Portal"), "Egypt’s ICT Indicators Portal", 0, "", true},
		{"accent", garble("México"), "México", 0, "", true},
		{"guillemets", garble("«ADILET»"), "«ADILET»", 0, "", true},
		{"pass-through 0x9D", garble("“Beatona.net”"), "“Beatona.net”", 0, "", true},
		{"pass-through 0x81", garble("Área de Informática"), "Área de Informática", 0, "", true},
		{"polish", garble("Zakład Usług"), "Zakład Usług", 0, "", true},
		{"croatian", garble("“Fran Galović”"), "“Fran Galović”", 0, "", true},
		{"lost letter, known word", garble("En TIC Confío"), "En TIC Confío", 0, "í", true},
		{"lost capital, known word", garble("Ventanilla Única"), "Ventanilla Única", 0, "Ú", true},
		{"two lost letters", garble("Educación en Martí"), "Educación en Martí", 0, "óí", true},
		{"lost letter, ł typed as l", "szk\xcc_l", "szkól", 0, "ó", true},
		{"lost letter, unknown word", garble("Zorío"), "Zor\uFFFDo", 1, "", true},
		{"lost opening quote", garble("„Latvia`s e-index”"), "„Latvia`s e-index”", 0, "„", true},
		{"lost quote, no closing one", garble("„Latvia"), "\uFFFDLatvia", 1, "", true},
		{"thai, one letter lost", garble("อุ"), "\uFFFDุ", 1, "", true},
		{"two bytes lost", "\x88__Utokapat", "\uFFFDUtokapat", 1, "", true},
		{"real bytes", "Egypt\x89\xdb\xaas", "Egypt’s", 0, "", true},
		{"latin-1", "Caf\xe9", "", 0, "", false},
		{"latin-1 mid-word", "M\xe9xico", "", 0, "", false},
		{"garbage", "\xff\xfe\xfd", "", 0, "", false},
		{"lone continuation", "a\xdbb", "", 0, "", false},
		{"truncated sequence", "x\x89\xdb", "", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note, ok := repairText(tt.in)
			guessed := ""
			for _, g := range note.guessed {
				guessed += string(g.r)
			}
			if got != tt.want || note.lost != tt.lost || guessed != tt.guessed || ok != tt.ok {
				t.Errorf("repairText(%q) = %q, %d lost, %q guessed, %v; want %q, %d, %q, %v",
					tt.in, got, note.lost, guessed, ok, tt.want, tt.lost, tt.guessed, tt.ok)
			}
		})
	}
}

func TestRepairReason(t *testing.T) {
	_, note, _ := repairText(garble("En TIC Confío"))
	want := `mis-encoded text restored: a character lost in the source restored as "í" in "Confío", the only one of Ê Î Ú Þ ä æ í ò ó ù ü ý þ that fits`
	if got := note.reason(); got != want {
		t.Errorf("reason = %q\nwant %q", got, want)
	}
	_, note, _ = repairText("\x88__Utokapat")
	if got := note.reason(); !strings.HasPrefix(got, "mis-encoded text partly restored: 1 character(s) lost") {
		t.Errorf("reason = %q", got)
	}
}

// The real file: of the ten fields that lost a character, nine are
// restored from the word list (Confío, Telefónica, Autónoma …) and the
// opening quote of „Latvia`s e-index”; one, a Thai character that lost two
// bytes, keeps U+FFFD.
func TestRepair2015Lost(t *testing.T) {
	data, err := os.ReadFile(prizes2015)
	if err != nil {
		t.Fatal(err)
	}
	rd := csv.NewReader(bytes.NewReader(data))
	rd.LazyQuotes = true
	rd.FieldsPerRecord = -1
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var guessed []string
	kept := 0
	for _, rec := range recs {
		for _, f := range rec {
			fixed, note, ok := repairText(f)
			if !ok {
				continue
			}
			for _, g := range note.guessed {
				guessed = append(guessed, g.word)
			}
			kept += note.lost
			if note.lost == 0 && strings.ContainsRune(fixed, utf8.RuneError) {
				t.Errorf("%q keeps U+FFFD without saying so", fixed)
			}
		}
	}
	want := []string{"„Latvia", "Confío", "Autónoma", "Telefónica", "Única", "Única", "Educación", "Martí", "szkól"}
	if !slices.Equal(guessed, want) || kept != 1 {
		t.Errorf("guessed %q, %d kept as U+FFFD; want %q, 1", guessed, kept, want)
	}
}
