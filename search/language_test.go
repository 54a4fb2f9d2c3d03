package search

import (
	"strings"
	"testing"
)

func TestDetectLanguage(t *testing.T) {
	tests := []struct {
		title, desc, want string
	}{
		// Latin script: French and Spanish by their function words.
		{"Droits des Consommateurs dans les télécommunications en Afrique", "", "fr"},
		{"En TIC Confío", "", "es"},
		{"Equipo de Respuesta a Incidentes de Seguridad en Chihuahua", "", "es"},
		{"Red de bibliotecas para la inclusión", "", "es"},
		{"Egypt’s ICT Indicators Portal", "", "en"},
		{"Plan of Action for the Information Society in Latin America and the Caribbean", "", "en"},
		{"Ventanilla Única de Comercio Exterior", "", "es"},
		{"Portal de Comercio Exterior", "", "en"}, // one shared word: not clear enough
		{"Mada – Qatar Assistive Technology Center", "", "en"},
		{"Biblioteca de la Habana", "", "en"}, // es and fr tie
		{"", "", "en"},
		{"2030", "", "en"},
		// The description decides what a title leaves open.
		{"Portal de Comercio Exterior", "Un portal único para los trámites del comercio exterior y la logística.", "es"},
		{"Cyber Santé", "Un réseau de centres de santé reliés par Internet dans les zones rurales.", "fr"},
		{"eLearning Africa", "A conference on technology-supported learning, held every year.", "en"},
		// Other scripts.
		{"مدرسة رقمية لكل قرية", "", "ar"},
		{"Mada: مركز قطر للتكنولوجيا المساعدة", "", "ar"},
		{"Электронное правительство Республики Казахстан", "", "ru"},
		{"Портал ИКТ", "ИКТ для школ в сельских районах.", "ru"},
		{"远程医疗诊所", "", "zh"},
		{"ICT 远程医疗", "", "zh"},
		{"WSIS", "为农村学校提供宽带接入和数字技能培训。", "zh"},
		// A word or two of another script does not outvote the text.
		{"Digital skills for schools", "Teachers trained across the country (программа ИКТ).", "en"},
		{"Telemedicine network", "Clinics linked to 远程医疗 hospitals across the rural provinces of the country.", "en"},
		// Scripts of no entry language count for none.
		{"디지털 학교", "", "en"},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.title, tt.desc); got != tt.want {
			t.Errorf("DetectLanguage(%q, %q) = %q, want %q", tt.title, tt.desc, got, tt.want)
		}
	}
}

func TestDetectLanguageReadsAHead(t *testing.T) {
	// Only the first detectBytes of a text count, cut on a character.
	long := strings.Repeat("ж", detectBytes) + strings.Repeat(" the", detectBytes)
	if got := DetectLanguage("", long); got != "ru" {
		t.Errorf("DetectLanguage(long Russian then English) = %q, want ru", got)
	}
	if got := head(strings.Repeat("ж", detectBytes)); len(got) != detectBytes {
		t.Errorf("head cut %d bytes of 2-byte letters, want %d", len(got), detectBytes)
	}
	if got := head("x" + strings.Repeat("ж", detectBytes)); len(got) != detectBytes-1 {
		t.Errorf("head cut inside a letter: %d bytes", len(got))
	}
}

func TestNormalizeDetectsLanguage(t *testing.T) {
	tests := []struct {
		in   Entry
		want string
	}{
		{Entry{Title: "Электронное правительство", Language: ""}, "ru"},
		{Entry{Title: "Portal", ShortDescription: "Un portal para los trámites del comercio exterior."}, "es"},
		{Entry{Title: "بوابة الحكومة", Language: ""}, "ar"},
		{Entry{Title: "Электронное правительство", Language: "English"}, "en"}, // declared wins
		{Entry{Title: "Электронное правительство", Language: "fr"}, "fr"},
	}
	for _, tt := range tests {
		e := tt.in
		Normalize(&e)
		if e.Language != tt.want {
			t.Errorf("Normalize(%q, language %q).Language = %q, want %q", tt.in.Title, tt.in.Language, e.Language, tt.want)
		}
	}
}
