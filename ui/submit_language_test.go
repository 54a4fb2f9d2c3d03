package ui

import (
	"net/http"
	"testing"
)

// TestSubmitDetectsLanguage: a submission that does not say its language
// gets the one its text is written in; a declared one is kept.
func TestSubmitDetectsLanguage(t *testing.T) {
	env := newLCEnv(t, false)
	tests := []struct {
		title, desc, lang, want string
	}{
		{"Электронное правительство", "Портал государственных услуг для граждан.", "", "ru"},
		{"بوابة الحكومة الإلكترونية", "", "", "ar"},
		{"远程医疗诊所", "为农村学校提供宽带接入。", "", "zh"},
		{"Cyber Santé", "Un réseau de centres de santé reliés par Internet dans les zones rurales.", "", "fr"},
		{"Электронное правительство", "", "es", "es"},
	}
	for _, tt := range tests {
		body := validEntry(tt.title)
		delete(body, "language")
		if tt.lang != "" {
			body["language"] = tt.lang
		}
		delete(body, "description")
		if tt.desc != "" {
			body["description"] = tt.desc
		}
		var resp submitResponse
		env.mustJSON("POST", "/api/v1/submissions", "", body, http.StatusCreated, &resp)
		if got := resp.Submission.Entry.Language; got != tt.want {
			t.Errorf("submit %q (language %q): stored language %q, want %q", tt.title, tt.lang, got, tt.want)
		}
	}
}
