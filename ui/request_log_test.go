package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestLogLinesCarryTheRequestID sends requests that log while they are
// handled (a refused sign-in is a warning; a sign-in, a submission from the
// API and from the form, a decision from the API and from the form are
// info lines), each with its own X-Request-Id, and checks that every line
// logged meanwhile carries that id as request_id.
func TestLogLinesCarryTheRequestID(t *testing.T) {
	env := newLCEnv(t, false)
	visitor := &browser{env: env, cookies: map[string]*http.Cookie{}}
	_, page, _ := visitor.send("GET", "/signin", "")
	signinCSRF := csrf(t, page)
	_, page, _ = visitor.send("GET", "/submit", "")
	form := url.Values{"csrf": {csrf(t, page)}, "title": {"Submitted in the form"}, "organization": {"Radio Kiswahili"},
		"stakeholder": {"civil-society"}, "country": {"TZA"}, "language": {"en"}, "action_lines": {"C8"}, "sdgs": {"4"}}
	byAPI, inForm := env.submit(validEntry("Decided by the API")), env.submit(validEntry("Decided in the form"))
	mod := signIn(t, env, env.mod)
	_, item, _ := mod.send("GET", "/moderation/"+inForm, "")
	decision := url.Values{"decision": {"approve"}, "note": {"ok"}, "csrf": {csrf(t, item)}}

	tests := []struct {
		id, want string
		send     func(header ...string) int
	}{
		{"refused-sign-in", "warn sign-in refused", func(h ...string) int {
			code, _, _ := visitor.send("POST", "/signin", url.Values{"csrf": {signinCSRF}, "token": {env.mod + "x"}}.Encode(), h...)
			return code
		}},
		{"sign-in", "info signed in", func(h ...string) int {
			code, _, _ := visitor.send("POST", "/signin", url.Values{"csrf": {signinCSRF}, "token": {env.mod}}.Encode(), h...)
			return code
		}},
		{"api-submit", "info submission received", func(h ...string) int {
			code, _, _ := env.do("POST", "/api/v1/submissions", "", validEntry("Submitted by the API"), h...)
			return code
		}},
		{"form-submit", "info submission received", func(h ...string) int {
			code, _, _ := visitor.send("POST", "/submit", form.Encode(), h...)
			return code
		}},
		{"api-decision", "info submission decided", func(h ...string) int {
			code, _, _ := env.do("POST", "/api/v1/submissions/"+byAPI+"/reject", env.mod, map[string]string{"reason": "out of scope"}, h...)
			return code
		}},
		{"form-decision", "info submission decided", func(h ...string) int {
			code, _, _ := mod.send("POST", "/moderation/"+inForm, decision.Encode(), h...)
			return code
		}},
	}
	for _, tt := range tests {
		before := len(env.logs.String())
		code := tt.send("X-Request-Id", tt.id)
		var msgs []string
		for _, line := range strings.Split(strings.TrimSpace(env.logs.String()[before:]), "\n") {
			var l struct {
				Level, Message string
				RequestID      string `json:"request_id"`
			}
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				t.Fatalf("request %s: log line %q: %v", tt.id, line, err)
			}
			if l.RequestID != tt.id {
				t.Errorf("request %s: %s line %q has request_id %q", tt.id, l.Level, l.Message, l.RequestID)
			}
			msgs = append(msgs, l.Level+" "+l.Message)
		}
		if !slices.Contains(msgs, tt.want) {
			t.Errorf("request %s (status %d) logged %q, want a %q line among them", tt.id, code, msgs, tt.want)
		}
	}
}
