package ui

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// waitFound polls the index for up to one second until q finds want.
func waitFound(t *testing.T, env *lcEnv, q, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		ids := env.searchIDs(q)
		if len(ids) == 1 && ids[0] == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("search %q = %v one second after approval, want [%s]", q, ids, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSubmitApproveUpdateHistory(t *testing.T) {
	env := newLCEnv(t, false)
	ref := env.submit(validEntry("Mobile clinics for rural nurses"))

	var list submissionList
	env.mustJSON("GET", "/api/v1/submissions?status=pending", env.mod, nil, http.StatusOK, &list)
	if len(list.Submissions) != 1 || list.Submissions[0].Ref != ref {
		t.Fatalf("pending list = %+v, want the one submission", list)
	}

	var approved search.Submission
	env.mustJSON("POST", "/api/v1/submissions/"+ref+"/approve", env.mod, map[string]string{"note": "looks good"}, http.StatusOK, &approved)
	id := approved.Entry.ID
	if approved.Status != search.SubmissionApproved || approved.Moderator != "mia" || id == "" {
		t.Fatalf("approved = %+v", approved)
	}
	waitFound(t, env, "rural nurses", id)
	if code, out, _ := env.do("POST", "/api/v1/submissions/"+ref+"/approve", env.mod, nil); code != http.StatusConflict {
		t.Errorf("second approval = %d %s, want 409", code, out)
	}
	var public search.Submission
	env.mustJSON("GET", "/api/v1/submissions/"+ref, "", nil, http.StatusOK, &public)
	if public.Status != search.SubmissionApproved || public.Moderator != "" || public.Entry.ID != id {
		t.Errorf("submitter sees %+v; want approved, the entry id, no moderator name", public)
	}

	upd := validEntry("Mobile clinics for rural nurses and midwives")
	upd["update_of"] = id
	upd["description"] = "A national programme. It trains nurses and midwives. It works offline."
	ref2 := env.submit(upd)
	var diff diffResponse
	env.mustJSON("GET", "/api/v1/submissions/"+ref2+"/diff", env.mod, nil, http.StatusOK, &diff)
	wantDiff := []fieldDiff{
		{Field: "title", Old: "Mobile clinics for rural nurses", New: "Mobile clinics for rural nurses and midwives"},
		{Field: "description", Old: "A national programme. It trains nurses. It works offline.", New: "A national programme. It trains nurses and midwives. It works offline."},
	}
	if !reflect.DeepEqual(diff.Fields, wantDiff) || diff.UpdateOf != id {
		t.Errorf("diff = %+v, want %+v", diff, wantDiff)
	}
	env.mustJSON("POST", "/api/v1/submissions/"+ref2+"/approve", env.admin, nil, http.StatusOK, nil)
	waitFound(t, env, "midwives", id)

	var revs []search.Revision
	revs, err := env.store.Revisions(id)
	if err != nil || len(revs) != 2 {
		t.Fatalf("Revisions(%s) = %d revisions, %v; want 2", id, len(revs), err)
	}
	if revs[0].Author != "mia" || revs[0].Note != "looks good" || revs[1].Author != "ada" || !reflect.DeepEqual(revs[1].Changed, []string{"title", "description"}) {
		t.Errorf("revisions = %+v / %+v", revs[0], revs[1])
	}

	env.mustJSON("POST", "/api/v1/entries/"+id+"/withdraw", env.mod, map[string]string{"note": "project ended"}, http.StatusOK, nil)
	if ids := env.searchIDs("midwives"); len(ids) != 0 {
		t.Errorf("withdrawn entry still found: %v", ids)
	}
	if e, err := env.store.Get(id); err != nil || !e.Withdrawn {
		t.Errorf("withdrawn entry in store = %+v, %v; want kept, withdrawn", e, err)
	}
	if revs, _ := env.store.Revisions(id); len(revs) != 3 || revs[2].Note != "project ended" {
		t.Errorf("withdrawal revision missing: %+v", revs)
	}
}

func TestDecisionsNeedReasonAndKeepPrizes(t *testing.T) {
	pub := &search.Entry{ID: "1400000000", Title: "Old", Organization: "O", Stakeholder: "other", Country: "FRA",
		Language: "fr", Year: 2015, ActionLines: []string{"C1"}, Prizes: []search.Prize{{Year: 2016, Category: 1, Status: "winner"}}}
	env := newLCEnv(t, false, pub)
	upd := validEntry("New")
	upd["update_of"] = pub.ID
	upd["prizes"] = []map[string]any{{"year": 2020, "category": 2, "status": "winner"}}
	ref := env.submit(upd)
	for _, action := range []string{decisionReject, decisionRequestChanges} {
		if code, _, _ := env.do("POST", "/api/v1/submissions/"+ref+"/"+action, env.mod, map[string]string{"note": "  "}); code != http.StatusBadRequest {
			t.Errorf("%s without a reason = %d, want 400", action, code)
		}
	}
	env.mustJSON("POST", "/api/v1/submissions/"+ref+"/approve", env.mod, nil, http.StatusOK, nil)
	got, err := env.store.Get(pub.ID)
	if err != nil || got.Title != "New" || !reflect.DeepEqual(got.Prizes, pub.Prizes) || got.Year != 2025 {
		t.Errorf("published update = %+v, %v; want new title, the old prizes, edition 2025", got, err)
	}
	if code, _, _ := env.do("POST", "/api/v1/submissions/nosuchref/approve", env.mod, nil); code != http.StatusNotFound {
		t.Errorf("approving an unknown reference = %d, want 404", code)
	}
}

func TestListSubmissionsPages(t *testing.T) {
	env := newLCEnv(t, false)
	var refs []string
	for _, title := range []string{"one", "two", "three"} {
		refs = append(refs, env.submit(validEntry(title)))
	}
	var page1, page2 submissionList
	env.mustJSON("GET", "/api/v1/submissions?limit=2", env.mod, nil, http.StatusOK, &page1)
	if len(page1.Submissions) != 2 || page1.NextAfter == 0 {
		t.Fatalf("page 1 = %+v", page1)
	}
	env.mustJSON("GET", "/api/v1/submissions?limit=2&after="+itoa(page1.NextAfter), env.mod, nil, http.StatusOK, &page2)
	if len(page2.Submissions) != 1 || page2.Submissions[0].Ref != refs[2] || page2.NextAfter != 0 {
		t.Errorf("page 2 = %+v", page2)
	}
	for _, q := range []string{"status=bogus", "limit=0", "after=x"} {
		if code, _, _ := env.do("GET", "/api/v1/submissions?"+q, env.mod, nil); code != http.StatusBadRequest {
			t.Errorf("?%s = %d, want 400", q, code)
		}
	}
}

func itoa(n uint64) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}

func TestDiffLines(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want []lineDiff
	}{
		{"same", []string{"x"}, []string{"x"}, []lineDiff{{"=", "x"}}},
		{"insert", []string{"a", "c"}, []string{"a", "b", "c"}, []lineDiff{{"=", "a"}, {"+", "b"}, {"=", "c"}}},
		{"replace", []string{"a", "b"}, []string{"a", "B"}, []lineDiff{{"=", "a"}, {"-", "b"}, {"+", "B"}}},
		{"from empty", nil, []string{"a"}, []lineDiff{{"+", "a"}}},
	}
	for _, tt := range tests {
		if got := diffLines(tt.a, tt.b); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: diffLines(%q, %q) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDiffEntriesLongText(t *testing.T) {
	long := "First sentence is long enough to matter here. "
	for len(long) < 300 {
		long += "Padding sentence that stays. "
	}
	old := &search.Entry{Title: "T", Description: long + "Old end."}
	new := &search.Entry{Title: "T", Description: long + "New end.", SDGs: []int{4, 5}}
	got := diffEntries(old, new)
	if len(got) != 2 || got[0].Field != "description" || got[1].Field != "sdgs" || got[1].New != "4, 5" {
		t.Fatalf("diffEntries = %+v", got)
	}
	lines := got[0].Lines
	if n := len(lines); n < 3 || lines[n-2] != (lineDiff{"-", "Old end."}) || lines[n-1] != (lineDiff{"+", "New end."}) {
		t.Errorf("line diff ends %v, want - Old end., + New end.", lines)
	}
	if all := diffEntries(nil, new); len(all) != 3 { // title, description, sdgs
		t.Errorf("diff of a new entry = %+v, want its 3 set fields", all)
	}
}
