package search

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// prizes2015Categories are the 18 category labels of the 2015 nominee list,
// as written in its first column, with the code each must read as.
var prizes2015Categories = map[string]string{
	"C1. THE ROLE OF GOVERNMENTS AND ALL STAKEHOLDERS IN THE PROMOTION OF ICTS FOR DEVELOPMENT": "C1",
	"C2. INFORMATION AND COMMUNICATION INFRASTRUCTURE":                                          "C2",
	"C3. ACCESS TO INFORMATION AND KNOWLEDGE":                                                   "C3",
	"C4. CAPACITY BUILDING":                                                                     "C4",
	"C5. BUILDING CONFIDENCE AND SECURITY IN THE USE OF ICTS":                                   "C5",
	"C6. ENABLING ENVIRONMENT":                                                                  "C6",
	"C7. ICT APPLICATIONS: E-GOVERNMENT":                                                        "C7.1",
	"C7. ICT APPLICATIONS: E-BUSINESS":                                                          "C7.2",
	"C7. ICT APPLICATIONS: E-LEARNING":                                                          "C7.3",
	"C7. ICT APPLICATIONS: E-HEALTH":                                                            "C7.4",
	"C7. ICT APPLICATIONS: E-EMPLOYMENT":                                                        "C7.5",
	"C7. ICT APPLICATIONS: E-ENVIRONMENT":                                                       "C7.6",
	"C7. ICT APPLICATIONS: E-AGRICULTURE":                                                       "C7.7",
	"C7. ICT APPLICATIONS: E-SCIENCE":                                                           "C7.8",
	"C8. CULTURAL DIVERSITY AND IDENTITY, LINGUISTIC DIVERSITY AND LOCAL CONTENT":               "C8",
	"C9. MEDIA": "C9",
	"C10. ETHICAL DIMENSIONS OF THE INFORMATION SOCIETY": "C10",
	"C11. INTERNATIONAL AND REGIONAL COOPERATION":        "C11",
}

// readPrizes2015 returns the rows of the real 2015 nominee list without the
// header, or skips the test when the file is not at hand.
func readPrizes2015(t *testing.T) [][]string {
	t.Helper()
	for _, p := range []string{
		"../../shared/data/wsis-prizes-2015-nominated.csv",
		"../fixtures/wsis-prizes-2015-nominated.csv",
		"../fixtures/testdata/wsis-prizes-2015-nominated.csv",
	} {
		f, err := os.Open(filepath.FromSlash(p))
		if err != nil {
			continue
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		return rows[1:]
	}
	t.Skip("wsis-prizes-2015-nominated.csv not found")
	return nil
}

func TestPrizes2015CategoriesParse(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range readPrizes2015(t) {
		seen[r[0]] = true
	}
	if len(seen) != 18 {
		t.Errorf("file has %d distinct categories, want 18", len(seen))
	}
	for label := range seen {
		if _, ok := prizes2015Categories[label]; !ok {
			t.Errorf("category %q of the file is missing from the test table", label)
		}
	}
	cats := map[int]bool{}
	for label, want := range prizes2015Categories {
		if got, ok := ParseActionLine(label); !ok || got != want {
			t.Errorf("ParseActionLine(%q) = %q, %v, want %q", label, got, ok, want)
		}
		n, ok := ParsePrizeCategory(label)
		if !ok {
			t.Errorf("ParsePrizeCategory(%q) failed", label)
		}
		cats[n] = true
	}
	if len(cats) != 18 {
		t.Errorf("the 18 labels give %d distinct prize categories, want 18", len(cats))
	}
}

func TestParseActionLine(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = not an action line
	}{
		{"C3", "C3"},
		{"c3", "C3"},
		{" C 3 ", "C3"},
		{"c7.4", "C7.4"},
		{"C7.8", "C7.8"},
		{"C7", "C7"},
		{"C10", "C10"},
		{"c11.", "C11"},
		{"C7. ICT APPLICATIONS: E-HEALTH", "C7.4"},
		{"C7. ICT APPLICATIONS", "C7"},
		{"AL C7. E-health", "C7.4"},
		{"AL C7. E-government", "C7.1"},
		{"AL C4. Capacity building", "C4"},
		{"Action Line C5", "C5"},
		{"C7 ICT Applications: IV. e-health", "C7.4"},
		{"C7 ICT Applications I, e-government", "C7.1"},
		{"ICT Applications: e-health", "C7.4"},
		{"ICT applications: E-Agriculture", "C7.7"},
		{"ICT applications", "C7"},
		{"e-health", "C7.4"},
		{"eHealth", "C7.4"},
		{"E-Science", "C7.8"},
		{"e-commerce", "C7.2"},
		{"The role of governments and all stakeholders in the promotion of ICTs for development", "C1"},
		{"The role of public governance authorities and all stakeholders in the promotion of ICTs for development", "C1"},
		{"Capacity Building", "C4"},
		{"capacity-building", "C4"},
		{"Media", "C9"},
		{"Cultural diversity and identity, linguistic diversity and local content", "C8"},
		{"Renforcement des capacités", "C4"},
		{"renforcement des capacites", "C4"},
		{"Cybersanté", "C7.4"},
		{"Applications TIC : cybersanté", "C7.4"},
		{"Creación de capacidad", "C4"},
		{"Aplicaciones de las TIC: gobierno electrónico", "C7.1"},
		{"Acceso a la información y al conocimiento", "C3"},
		{"بناء القدرات", "C4"},
		{"Category 10", "C7.4"},
		{"category 1", "C1"},
		{"Category 18", "C11"},
		{"Category 19", ""},
		{"Category 0", ""},
		{"C12", ""},
		{"C0", ""},
		{"C7.9", ""},
		{"C7.10", ""},
		{"C3PO", ""},
		{"cat", ""},
		{"10", ""},
		{"", ""},
		{"health", ""},
		{"ICT applications: e-nothing", ""},
	}
	for _, tt := range tests {
		got, ok := ParseActionLine(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ParseActionLine(%q) = %q, %v, want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestParsePrizeCategory(t *testing.T) {
	tests := []struct {
		in   string
		want int // 0 = not a category
	}{
		{"Category 10", 10},
		{"10", 10},
		{" 18 ", 18},
		{"1", 1},
		{"0", 0},
		{"19", 0},
		{"C1", 1},
		{"C6", 6},
		{"C7.1", 7},
		{"e-science", 14},
		{"C8", 15},
		{"C11. INTERNATIONAL AND REGIONAL COOPERATION", 18},
		{"C7", 0},
		{"ICT applications", 0},
		{"nonsense", 0},
	}
	for _, tt := range tests {
		got, ok := ParsePrizeCategory(tt.in)
		if got != tt.want || ok != (tt.want != 0) {
			t.Errorf("ParsePrizeCategory(%q) = %d, %v, want %d", tt.in, got, ok, tt.want)
		}
	}
}

func TestActionLinesTable(t *testing.T) {
	var codes []string
	for _, al := range ActionLines {
		codes = append(codes, al.Code)
		if al.Name.En == "" || al.Name.Fr == "" || al.Name.Es == "" || al.Name.Ar == "" {
			t.Errorf("%s: missing a label: %+v", al.Code, al.Name)
		}
		if (al.Parent == "C7") != (ParentActionLine(al.Code) == "C7") {
			t.Errorf("%s: Parent %q disagrees with ParentActionLine", al.Code, al.Parent)
		}
		if got, ok := ParseActionLine(al.Code); !ok || got != al.Code {
			t.Errorf("ParseActionLine(%q) = %q, %v", al.Code, got, ok)
		}
		for _, name := range al.Name.all() {
			if got, ok := ParseActionLine(name); !ok || got != al.Code {
				t.Errorf("ParseActionLine(%q) = %q, %v, want %s", name, got, ok, al.Code)
			}
		}
	}
	want := []string{"C1", "C2", "C3", "C4", "C5", "C6", "C7", "C7.1", "C7.2", "C7.3", "C7.4", "C7.5",
		"C7.6", "C7.7", "C7.8", "C8", "C9", "C10", "C11"}
	if len(codes) != len(want) {
		t.Fatalf("ActionLines = %v, want %v", codes, want)
	}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("ActionLines = %v, want %v", codes, want)
		}
	}
	var byCat []string
	for cat := 1; cat <= 18; cat++ {
		code, ok := ActionLineForCategory(cat)
		if !ok {
			t.Fatalf("ActionLineForCategory(%d) failed", cat)
		}
		byCat = append(byCat, code)
	}
	wantCat := append(append([]string{}, want[:6]...), want[7:]...)
	if len(byCat) != len(wantCat) {
		t.Fatalf("categories = %v", byCat)
	}
	for i := range wantCat {
		if byCat[i] != wantCat[i] {
			t.Errorf("ActionLineForCategory(%d) = %s, want %s", i+1, byCat[i], wantCat[i])
		}
	}
	if _, ok := ActionLineForCategory(0); ok {
		t.Error("ActionLineForCategory(0) succeeded")
	}
}
