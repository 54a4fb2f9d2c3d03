package ui

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

func TestSubmitRejectsWithFieldMessages(t *testing.T) {
	env := newLCEnv(t, false, &search.Entry{ID: "1300000000", Title: "Published", Organization: "O",
		Stakeholder: "other", Country: "FRA", Language: "fr", Year: 2015, ActionLines: []string{"C1"}})
	with := func(k string, v any) body {
		b := body(validEntry("Clinic link"))
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	tests := []struct {
		name   string
		body   any
		fields []string
	}{
		{"no title", with("title", nil), []string{"title"}},
		{"bad country and sdg", with("country", "Atlantis").withSDG(99), []string{"country", "sdgs"}},
		{"no action line", with("action_lines", []string{}), []string{"action_lines"}},
		{"bad website", with("website", "javascript:alert(1)"), []string{"website"}},
		{"id on a new entry", with("id", "123"), []string{"id"}},
		{"unknown update_of", with("update_of", "404"), []string{"update_of"}},
		{"id differs from update_of", with("update_of", "1300000000").with("id", "1"), []string{"id"}},
		{"unknown field", with("colour", "red"), []string{"colour"}},
		{"wrong type", with("sdgs", "three"), []string{"sdgs"}},
		{"not JSON", "{", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, hdr := env.do("POST", "/api/v1/submissions", "", tt.body)
			var p problem
			if err := json.Unmarshal(out, &p); err != nil || code != http.StatusBadRequest || p.Code != search.EINVALID {
				t.Fatalf("status %d, body %s: want 400 invalid problem+json", code, out)
			}
			if ct := hdr.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q", ct)
			}
			var got []string
			for _, f := range p.Fields {
				got = append(got, f.Field)
			}
			if p.Param != "" {
				got = append(got, p.Param)
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("fields %v, want %v (%s)", got, tt.fields, out)
			}
		})
	}
	if list, _ := env.store.Submissions("", 0, 0); len(list) != 0 {
		t.Errorf("%d submissions stored after only bad requests", len(list))
	}
}

// with and withSDG let the table above read as edits of a valid body.
type body map[string]any

func (b body) with(k string, v any) body { b[k] = v; return b }
func (b body) withSDG(n int) body        { b["sdgs"] = []int{n}; return b }

func TestSubmitQueuesUnsearchable(t *testing.T) {
	env := newLCEnv(t, false)
	var resp submitResponse
	env.mustJSON("POST", "/api/v1/submissions", "", validEntry("  Tele-health   for  nurses "), http.StatusCreated, &resp)
	if len(resp.Ref) != 26 || resp.Status != search.SubmissionPending || resp.StatusURL != "/api/v1/submissions/"+resp.Ref {
		t.Fatalf("response %+v", resp)
	}
	e := resp.Submission.Entry
	if e.Title != "Tele-health for nurses" || e.Stakeholder != "government" || e.Region != "africa" || e.Year != 2025 || len(e.ID) != 17 {
		t.Errorf("queued entry not normalized and completed: %+v", e)
	}
	if ids := env.searchIDs("nurses"); len(ids) != 0 {
		t.Errorf("pending submission is searchable: %v", ids)
	}
	if _, err := env.store.Get(e.ID); search.ErrorCode(err) != search.ENOTFOUND {
		t.Errorf("pending submission is in the entries: %v", err)
	}
	var got search.Submission
	env.mustJSON("GET", "/api/v1/submissions/"+resp.Ref, "", nil, http.StatusOK, &got)
	if got.Ref != resp.Ref || got.Status != search.SubmissionPending || got.Entry.Title != e.Title {
		t.Errorf("status by reference = %+v", got)
	}
	last := "a"
	if resp.Ref[25] == 'a' {
		last = "b"
	}
	code, _, _ := env.do("GET", "/api/v1/submissions/"+resp.Ref[:25]+last, "", nil)
	if code != http.StatusNotFound {
		t.Errorf("a wrong reference answers %d, want 404", code)
	}
}

func TestSubmitYearFollowsDeadline(t *testing.T) {
	env := newLCEnv(t, false)
	tests := []struct {
		at   time.Time
		want int
	}{
		{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 2025},
		{time.Date(2026, 1, 31, 23, 59, 0, 0, time.UTC), 2025},
		{time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 2026},
	}
	for _, tt := range tests {
		env.setNow(tt.at)
		var resp submitResponse
		env.mustJSON("POST", "/api/v1/submissions", "", validEntry("Year test"), http.StatusCreated, &resp)
		if got := resp.Submission.Entry.Year; got != tt.want {
			t.Errorf("submitted at %s: year %d, want %d", tt.at, got, tt.want)
		}
	}
}

func TestResubmitAfterChangesRequested(t *testing.T) {
	env := newLCEnv(t, false)
	ref := env.submit(validEntry("Draft title"))
	code, _, _ := env.do("POST", "/api/v1/submissions/"+ref+"/request-changes", env.mod, map[string]string{"note": "add the end date"})
	if code != http.StatusOK {
		t.Fatalf("request-changes = %d", code)
	}
	fixed := validEntry("Final title")
	fixed["end_date"] = "2026"
	var got search.Submission
	env.mustJSON("PUT", "/api/v1/submissions/"+ref, "", fixed, http.StatusOK, &got)
	if got.Status != search.SubmissionPending || got.Entry.Title != "Final title" || got.Entry.EndDate != "2026" {
		t.Errorf("resubmission = %+v", got)
	}
	env.mustJSON("POST", "/api/v1/submissions/"+ref+"/reject", env.mod, map[string]string{"reason": "duplicate"}, http.StatusOK, nil)
	if code, out, _ := env.do("PUT", "/api/v1/submissions/"+ref, "", fixed); code != http.StatusConflict {
		t.Errorf("resubmitting a rejected submission = %d %s, want 409", code, out)
	}
}

func TestSubmitLimiter(t *testing.T) {
	now := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
	sl := newSubmitLimiter(2, time.Hour, func() time.Time { return now })
	steps := []struct {
		ip      string
		advance time.Duration
		want    bool
	}{
		{"a", 0, true}, {"a", 0, true}, {"a", 0, false}, {"b", 0, true},
		{"a", 59 * time.Minute, false}, {"a", time.Minute, true},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if got, _ := sl.allow(s.ip); got != s.want {
			t.Errorf("step %d: allow(%q) = %v, want %v", i, s.ip, got, s.want)
		}
	}
}

func TestSubmitLimitAndContentType(t *testing.T) {
	env := newLCEnv(t, false)
	if code, _, _ := env.do("POST", "/api/v1/submissions", "", "{}", "Content-Type", "text/plain"); code != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain body = %d, want 415", code)
	}
	for i := 1; i < 60; i++ { // the 415 above counted as the first
		if code, _, _ := env.do("POST", "/api/v1/submissions", "", "{"); code != http.StatusBadRequest {
			t.Fatalf("request %d = %d, want 400", i+1, code)
		}
	}
	code, _, hdr := env.do("POST", "/api/v1/submissions", "", "{")
	if code != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" {
		t.Errorf("61st submission in an hour = %d (Retry-After %q), want 429", code, hdr.Get("Retry-After"))
	}
	if code, _, _ := env.do("POST", "/api/v1/submissions", env.mod, "{"); code != http.StatusBadRequest {
		t.Errorf("with a token = %d, want 400 (tokens are not limited)", code)
	}
}
