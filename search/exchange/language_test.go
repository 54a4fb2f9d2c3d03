package exchange

import (
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// TestReadDetectsLanguage: a row without a language gets the one its title
// and description are written in, in every format; a declared one is kept.
func TestReadDetectsLanguage(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		input  string
		want   map[string]string // id → language
	}{
		{
			name:   "jsonl",
			format: FormatJSONL,
			input: `{"id":"r1","title":"Электронное правительство","organization":"O","stakeholder":"government","country":"KAZ","year":2020,"action_lines":["C7.1"]}
{"id":"a1","title":"بوابة الحكومة الإلكترونية","organization":"O","stakeholder":"government","country":"EGY","year":2020,"action_lines":["C7.1"]}
{"id":"z1","title":"远程医疗诊所","organization":"O","stakeholder":"government","country":"CHN","year":2020,"action_lines":["C7.4"]}
{"id":"s1","title":"Portal","description":"Un portal para los trámites del comercio exterior.","organization":"O","stakeholder":"government","country":"COL","year":2020,"action_lines":["C7.1"]}
{"id":"d1","title":"Электронное правительство","organization":"O","stakeholder":"government","country":"KAZ","year":2020,"action_lines":["C7.1"],"language":"en"}`,
			want: map[string]string{"r1": "ru", "a1": "ar", "z1": "zh", "s1": "es", "d1": "en"},
		},
		{
			name:   "csv",
			format: FormatCSV,
			input: "ID,Title,Organization,Stakeholder,Country,Year,Action Lines,Description\r\n" +
				"r1,Портал ИКТ,O,government,RUS,2020,C3,\r\n" +
				"f1,Cyber Santé,O,government,SEN,2020,C7.4,Un réseau de centres de santé reliés par Internet dans les zones rurales.\r\n" +
				"e1,Cyber Santé,O,government,SEN,2020,C7.4,\r\n",
			want: map[string]string{"r1": "ru", "f1": "fr", "e1": "en"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]string{}
			rep, err := Read(strings.NewReader(tt.input), tt.format, Options{}, 100, func(b []*search.Entry) error {
				for _, e := range b {
					got[e.ID] = e.Language
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Rejected) > 0 {
				t.Fatalf("rejected %+v", rep.Rejected)
			}
			for id, want := range tt.want {
				if got[id] != want {
					t.Errorf("%s: language %q, want %q", id, got[id], want)
				}
			}
		})
	}
}
