package mapdata

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

func TestWorld(t *testing.T) {
	m := World()
	if m != World() {
		t.Fatal("World() returned two different maps")
	}
	if n := len(m.Countries); n < 170 {
		t.Errorf("World() has %d countries, want ≥ 170", n)
	}
	for _, code := range []string{"KEN", "BRA", "FRA", "IND", "RUS", "UKR", "USA", "CHN", "AUS", "XKX"} {
		if m.Countries[code] == "" {
			t.Errorf("World().Countries[%q] missing", code)
		}
	}
	if m.Countries["ATA"] != "" {
		t.Error("World() draws Antarctica, which the build script leaves out")
	}
	if len(worldJSON) > 150<<10 {
		t.Errorf("world.json is %d bytes, want ≤ 150 KiB", len(worldJSON))
	}
}

func TestCodesKnown(t *testing.T) {
	code := regexp.MustCompile(`^[A-Z]{3}$`)
	m := World()
	codes := m.Codes()
	if len(codes) != len(m.Countries) {
		t.Fatalf("Codes() has %d codes, want %d", len(codes), len(m.Countries))
	}
	for i, c := range codes {
		if i > 0 && codes[i-1] >= c {
			t.Errorf("Codes() not sorted at %d: %q then %q", i, codes[i-1], c)
		}
		if !code.MatchString(c) {
			t.Errorf("code %q is not ISO alpha-3", c)
		}
		// The French Southern Territories are on the map but not in ITU's list.
		if _, ok := search.CountryByCode(c); !ok && c != "ATF" {
			t.Errorf("code %q is not in search's country table", c)
		}
	}
}

func TestPathsInViewBox(t *testing.T) {
	m := World()
	var x0, y0, w, h float64
	if _, err := fmt.Sscanf(m.ViewBox, "%g %g %g %g", &x0, &y0, &w, &h); err != nil || w <= 0 || h <= 0 {
		t.Fatalf("ViewBox %q: not four numbers with a positive size (%v)", m.ViewBox, err)
	}
	for _, c := range m.Codes() {
		pts, err := checkPath(m.Countries[c])
		if err != nil {
			t.Errorf("%s: %v", c, err)
			continue
		}
		for _, p := range pts {
			if p[0] < x0 || p[0] > x0+w || p[1] < y0 || p[1] > y0+h {
				t.Errorf("%s: point %v outside viewBox %q", c, p, m.ViewBox)
				break
			}
		}
	}
}

func TestCheckPath(t *testing.T) {
	tests := []struct {
		name, d string
		ok      bool
	}{
		{"triangle", "M1 2l3 0-1.5 2z", true},
		{"negative joins", "M1.5-2l-1-1 2.5 3z", true},
		{"two rings", "M0 0l1 0 0 1zM5 5l1 0 0 1z", true},
		{"empty", "", false},
		{"no move", "l1 2 3 4z", false},
		{"odd numbers", "M1 2l3z", false},
		{"unclosed", "M1 2l3 4 5 6", false},
		{"bad letter", "M1 2c3 4 5 6z", false},
		{"two decimals", "M1.25 2l1 1 1 1z", false},
	}
	for _, tt := range tests {
		_, err := checkPath(tt.d)
		if (err == nil) != tt.ok {
			t.Errorf("%s: checkPath(%q) error = %v, want ok %v", tt.name, tt.d, err, tt.ok)
		}
	}
}

var pathNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9])?`)

// checkPath accepts exactly the grammar build.mjs writes: rings of
// "M x y", "l" and pairs of relative numbers, "z"; numbers with at most one
// decimal. It returns every absolute point.
func checkPath(d string) ([][2]float64, error) {
	if d == "" {
		return nil, fmt.Errorf("empty path")
	}
	var pts [][2]float64
	readPair := func(s string) (float64, float64, string, error) {
		var v [2]float64
		for i := range v {
			s = strings.TrimPrefix(s, " ")
			n := pathNumber.FindString(s)
			if n == "" {
				return 0, 0, s, fmt.Errorf("want a number at %.10q", s)
			}
			v[i], _ = strconv.ParseFloat(n, 64)
			s = s[len(n):]
		}
		return v[0], v[1], s, nil
	}
	s := d
	for s != "" {
		if s[0] != 'M' {
			return nil, fmt.Errorf("want M at %.10q", s)
		}
		x, y, rest, err := readPair(s[1:])
		if err != nil {
			return nil, err
		}
		pts = append(pts, [2]float64{x, y})
		if !strings.HasPrefix(rest, "l") {
			return nil, fmt.Errorf("want l at %.10q", rest)
		}
		s = rest[1:]
		n := 1
		for s != "" && s[0] != 'z' {
			dx, dy, rest, err := readPair(s)
			if err != nil {
				return nil, err
			}
			x, y = x+dx, y+dy
			pts = append(pts, [2]float64{x, y})
			s, n = rest, n+1
		}
		if s == "" {
			return nil, fmt.Errorf("ring not closed")
		}
		if n < 3 {
			return nil, fmt.Errorf("ring of %d points", n)
		}
		s = s[1:]
	}
	return pts, nil
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"good", `{"viewBox":"0 0 10 10","countries":{"KEN":"M0 0l1 0 0 1z"}}`, true},
		{"not json", `{`, false},
		{"no countries", `{"viewBox":"0 0 10 10","countries":{}}`, false},
		{"no viewBox", `{"countries":{"KEN":"M0 0l1 0 0 1z"}}`, false},
	}
	for _, tt := range tests {
		_, err := parse([]byte(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("%s: parse(%q) error = %v, want ok %v", tt.name, tt.in, err, tt.ok)
		}
	}
}
