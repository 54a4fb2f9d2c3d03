package ui

import (
	"context"
	"errors"
	"html"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
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

// crashingSubmissions refuses, without writing, the update that marks a
// submission approved while crash is set: the state a crash between an
// approval's publication and its status change leaves behind.
type crashingSubmissions struct {
	search.SubmissionStore
	crash atomic.Bool
}

var errCrash = errors.New("simulated crash")

func (c *crashingSubmissions) UpdateSubmission(ref string, fn func(*search.Submission) error) (*search.Submission, error) {
	if c.crash.Load() {
		cur, err := c.Submission(ref)
		if err != nil {
			return nil, err
		}
		if probe := *cur; fn(&probe) == nil && probe.Status == search.SubmissionApproved {
			return nil, errCrash
		}
	}
	return c.SubmissionStore.UpdateSubmission(ref, fn)
}

// TestReapproveAfterCrashPublishesNothingNew approves with a crash after
// the entry is published and before the submission is marked approved,
// then approves again: the second approval must find the entry the first
// one published, not publish a copy under a fresh id.
func TestReapproveAfterCrashPublishesNothingNew(t *testing.T) {
	published := &search.Entry{ID: "1700000000", Title: "Published before", Organization: "O",
		Stakeholder: "other", Country: "FRA", Language: "fr", Year: 2015, ActionLines: []string{"C1"}}
	tests := []struct {
		name string
		// body returns the submission to send; prepare runs on it before
		// the approvals.
		body    func() map[string]any
		prepare func(t *testing.T, env *lcEnv, sub *search.Submission)
	}{
		{"new entry", func() map[string]any { return validEntry("Crash window entry") }, nil},
		{"new entry whose id an import took", func() map[string]any { return validEntry("Crash window entry") },
			func(t *testing.T, env *lcEnv, sub *search.Submission) {
				e := *published
				e.ID = sub.Entry.ID
				if _, _, err := env.store.Put([]*search.Entry{&e}, search.Change{Author: "import", Time: env.now}); err != nil {
					t.Fatal(err)
				}
			}},
		{"update", func() map[string]any {
			b := validEntry("Crash window entry")
			b["update_of"] = published.ID
			return b
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newLCEnv(t, false, published)
			subs := &crashingSubmissions{SubmissionStore: env.store}
			cfg := env.srv.cfg
			cfg.Lifecycle.Submissions = subs
			srv, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			env.srv = srv
			ref := env.submit(tt.body())
			sub, err := env.store.Submission(ref)
			if err != nil {
				t.Fatal(err)
			}
			if tt.prepare != nil {
				tt.prepare(t, env, sub)
			}
			n0, _ := env.store.Count()

			subs.crash.Store(true)
			if code, out, _ := env.do("POST", "/api/v1/submissions/"+ref+"/approve", env.mod, nil); code != http.StatusInternalServerError {
				t.Fatalf("approval with a crash = %d %s, want 500", code, out)
			}
			ids := env.searchIDs("Crash window entry")
			if len(ids) != 1 {
				t.Fatalf("after the crash the index finds %v, want the one published entry", ids)
			}
			if sub, _ := env.store.Submission(ref); sub.Status != search.SubmissionPending {
				t.Fatalf("after the crash the submission is %s, want still pending", sub.Status)
			}
			revs, _ := env.store.Revisions(ids[0])

			subs.crash.Store(false)
			var got search.Submission
			env.mustJSON("POST", "/api/v1/submissions/"+ref+"/approve", env.mod, nil, http.StatusOK, &got)
			want := 1
			if tt.name == "update" {
				want = 0 // an update publishes no new entry either way
			}
			if n1, _ := env.store.Count(); n1 != n0+want {
				t.Errorf("store holds %d entries after the re-approval, want %d (%d before the approvals)", n1, n0+want, n0)
			}
			if got.Status != search.SubmissionApproved || got.Entry.ID != ids[0] {
				t.Errorf("re-approved = %s, entry %s; want approved, entry %s (published by the crashed attempt)", got.Status, got.Entry.ID, ids[0])
			}
			if again := env.searchIDs("Crash window entry"); !reflect.DeepEqual(again, ids) {
				t.Errorf("after the re-approval the index finds %v, want %v", again, ids)
			}
			if revs2, _ := env.store.Revisions(ids[0]); len(revs2) != len(revs) {
				t.Errorf("the re-approval recorded %d revisions of %s, want none", len(revs2)-len(revs), ids[0])
			}
		})
	}
}

// TestReapproveFindsEntryPublishedWithoutReservation covers a crash left by
// a build that did not reserve the id: the submission's entry is already
// published under its own id, with the same content.
func TestReapproveFindsEntryPublishedWithoutReservation(t *testing.T) {
	env := newLCEnv(t, false)
	ref := env.submit(validEntry("Crash window entry"))
	sub, err := env.store.Submission(ref)
	if err != nil {
		t.Fatal(err)
	}
	e := *sub.Entry
	if _, err := env.srv.cfg.Service.Put(context.Background(), []*search.Entry{&e}, search.Change{Author: "mia"}); err != nil {
		t.Fatal(err)
	}
	n0, _ := env.store.Count()
	var got search.Submission
	env.mustJSON("POST", "/api/v1/submissions/"+ref+"/approve", env.mod, nil, http.StatusOK, &got)
	if n1, _ := env.store.Count(); n1 != n0 || got.Entry.ID != e.ID {
		t.Errorf("re-approval: %d entries (%d before), entry %s; want no new entry, %s", n1, n0, got.Entry.ID, e.ID)
	}
}

// TestModerationItemPageShowsUpdateDiff: the HTML page of an update shows,
// for each changed field, the published value and the submitted one, both
// HTML-escaped, and leaves unchanged fields out of the table.
func TestModerationItemPageShowsUpdateDiff(t *testing.T) {
	pub := &search.Entry{ID: "1800000000", Title: "Water <pumps> & wells", Organization: "Ministry of Posts",
		Stakeholder: "government", Country: "KEN", Language: "en", Year: 2015, ActionLines: []string{"C7.4"},
		Description: "Old text with <i>markup</i>."}
	env := newLCEnv(t, false, pub)
	upd := validEntry("Solar <script>alert(1)</script> pumps & wells")
	upd["update_of"] = pub.ID
	upd["description"] = "New text with <b>bold</b> & more."
	ref := env.submit(upd)

	code, out, _ := env.do("GET", "/moderation/"+ref, env.mod, nil, "Accept", "text/html")
	page := string(out)
	if code != http.StatusOK {
		t.Fatalf("GET /moderation/%s = %d:\n%s", ref, code, page)
	}
	start := strings.Index(page, "<table")
	end := strings.Index(page, "</table>")
	if start < 0 || end < start {
		t.Fatalf("no diff table in the page:\n%s", page)
	}
	table := page[start:end]
	for _, f := range []struct{ field, old, new string }{
		{"title", pub.Title, upd["title"].(string)},
		{"description", pub.Description, upd["description"].(string)},
	} {
		o, n := strings.Index(table, html.EscapeString(f.old)), strings.Index(table, html.EscapeString(f.new))
		if o < 0 || n < 0 || n < o {
			t.Errorf("%s: the diff table lacks the escaped published value %q and, after it, the submitted one %q:\n%s",
				f.field, html.EscapeString(f.old), html.EscapeString(f.new), table)
		}
	}
	if strings.Contains(table, "Ministry of Posts") {
		t.Errorf("the unchanged organization is in the diff table:\n%s", table)
	}
	for _, raw := range []string{"<script>", "<pumps>", "<b>", "<i>"} {
		if strings.Contains(page, raw) {
			t.Errorf("the page holds %q unescaped", raw)
		}
	}
	if !strings.Contains(page, `href="/entries/`+pub.ID+`"`) {
		t.Errorf("the page does not link the published entry %s", pub.ID)
	}
}
