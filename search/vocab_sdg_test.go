package search

import (
	"fmt"
	"testing"
)

func TestParseSDG(t *testing.T) {
	tests := []struct {
		in   string
		want int // 0 = not an SDG
	}{
		{"3", 3},
		{" 17 ", 17},
		{"03", 3},
		{"SDG 3", 3},
		{"sdg 3", 3},
		{"SDG3", 3},
		{"SDG-3", 3},
		{"SDG #3", 3},
		{"SDGs 3", 3},
		{"Goal 3", 3},
		{"Goal 3: Good Health and Well-being", 3},
		{"ODS 3", 3},
		{"ODD 13", 13},
		{"Objetivo 4", 4},
		{"3.8", 3},
		{"Good Health and Well-being", 3},
		{"good health and wellbeing", 3},
		{"No Poverty", 1},
		{"Peace, Justice and Strong Institutions", 16},
		{"Partnerships for the Goals", 17},
		{"Climate Action", 13},
		{"Pas de pauvreté", 1},
		{"Faim « zéro »", 2},
		{"Educación de calidad", 4},
		{"0", 0},
		{"18", 0},
		{"SDG 18", 0},
		{"SDG", 0},
		{"", 0},
		{"poverty reduction", 0},
	}
	for _, tt := range tests {
		got, ok := ParseSDG(tt.in)
		if got != tt.want || ok != (tt.want != 0) {
			t.Errorf("ParseSDG(%q) = %d, %v, want %d", tt.in, got, ok, tt.want)
		}
	}
}

func TestSDGsTable(t *testing.T) {
	if len(SDGs) != 17 {
		t.Fatalf("len(SDGs) = %d, want 17", len(SDGs))
	}
	for i, g := range SDGs {
		if g.Number != i+1 {
			t.Errorf("SDGs[%d].Number = %d", i, g.Number)
		}
		if g.Name.En == "" || g.Name.Fr == "" || g.Name.Es == "" || g.Name.Ar == "" {
			t.Errorf("SDG %d: missing a label: %+v", g.Number, g.Name)
		}
		if _, ok := luminance(g.Color); !ok || len(g.Color) != 7 {
			t.Errorf("SDG %d: bad colour %q", g.Number, g.Color)
		}
		for _, n := range g.Name.all() {
			if got, ok := ParseSDG(n); !ok || got != g.Number {
				t.Errorf("ParseSDG(%q) = %d, %v, want %d", n, got, ok, g.Number)
			}
		}
		if got, ok := SDGByNumber(g.Number); !ok || got.Number != g.Number {
			t.Errorf("SDGByNumber(%d) = %+v, %v", g.Number, got, ok)
		}
	}
	for _, n := range []int{0, 18, -1} {
		if _, ok := SDGByNumber(n); ok {
			t.Errorf("SDGByNumber(%d) succeeded", n)
		}
	}
}

func TestTextColorContrast(t *testing.T) {
	for _, g := range SDGs {
		t.Run(fmt.Sprint(g.Number), func(t *testing.T) {
			bg, _ := luminance(g.Color)
			fg, ok := luminance(TextColor(g.Color))
			if !ok {
				t.Fatalf("TextColor(%q) = %q, not a colour", g.Color, TextColor(g.Color))
			}
			if r := contrastRatio(bg, fg); r < 4.5 {
				t.Errorf("TextColor(%q) = %s: contrast %.2f:1, want ≥ 4.5:1", g.Color, TextColor(g.Color), r)
			}
		})
	}
}

func TestTextColor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"#FFFFFF", "#000000"},
		{"#000000", "#FFFFFF"},
		{"#fff", "#000000"},
		{"000", "#FFFFFF"},
		{"#FCC30B", "#000000"}, // SDG 7 yellow
		{"#19486A", "#FFFFFF"}, // SDG 17 navy
		{"#A21942", "#FFFFFF"}, // SDG 8
		{"#E5243B", "#000000"}, // SDG 1: black 4.66:1 beats white 4.50:1
		{"#DD1367", "#FFFFFF"}, // SDG 10: white 4.82:1 beats black 4.36:1
		{"not a colour", "#000000"},
		{"", "#000000"},
	}
	for _, tt := range tests {
		if got := TextColor(tt.in); got != tt.want {
			t.Errorf("TextColor(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestContrastRatio(t *testing.T) {
	if r := contrastRatio(1, 0); r < 20.99 || r > 21.01 {
		t.Errorf("contrast white/black = %.3f, want 21", r)
	}
	l, _ := luminance("#777777")
	if r := contrastRatio(l, 1); r < 4.47 || r > 4.49 {
		t.Errorf("contrast #777777/white = %.3f, want 4.48", r)
	}
}
