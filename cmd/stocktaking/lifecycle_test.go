package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// startStoppable starts the real program on a free port over dir, with no
// default data set; stop shuts it down once (App.Close is not idempotent).
func startStoppable(t *testing.T, dir string) (stop func(), app *App, base string) {
	t.Helper()
	cfg := &Config{Addr: "127.0.0.1:0", Data: dir, LogLevel: "warn", SearchBudget: 5 * time.Second, NoDefaults: true}
	srv, app, err := startServer(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			_ = srv.Shutdown(5 * time.Second)
			_ = app.Close()
		})
	}
	t.Cleanup(stop)
	return stop, app, "http://" + srv.Addr().String()
}

// call sends a JSON request to the running server and decodes the answer
// into v when the status is want.
func call(t testing.TB, method, u, token string, body any, want int, v any) {
	t.Helper()
	code, out := send(method, u, token, body)
	if code != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, u, code, want, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			t.Fatalf("%s %s: decode: %v\n%s", method, u, err, out)
		}
	}
}

// send is call without the checks: status 0 is a transport error.
func send(method, u, token string, body any) (int, []byte) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return 0, []byte(err.Error())
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// submission is a valid submission body whose title holds word.
func submission(word string) map[string]any {
	return map[string]any{
		"title": "Killtest entry " + word, "organization": "Kill Test Org", "stakeholder": "academia",
		"country": "CHE", "language": "en", "action_lines": []string{"C4"}, "sdgs": []int{4},
	}
}

// searchTotal is the total of a search for q (all entries when empty).
func searchTotal(t testing.TB, base, q string) int {
	t.Helper()
	var res search.Result
	call(t, "GET", base+"/api/v1/search?size=1&q="+url.QueryEscape(q), "", nil, http.StatusOK, &res)
	return res.Total
}

func TestLifecycleEndToEnd(t *testing.T) {
	_, app, base := startStoppable(t, t.TempDir())
	mod, err := app.Store.CreateToken("mia", search.RoleModerator, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	var sub struct{ Ref string }
	call(t, "POST", base+"/api/v1/submissions", "", submission("zanzibarcoding"), http.StatusCreated, &sub)
	var list struct{ Submissions []search.Submission }
	call(t, "GET", base+"/api/v1/submissions?status=pending", mod, nil, http.StatusOK, &list)
	if len(list.Submissions) != 1 || list.Submissions[0].Ref != sub.Ref {
		t.Fatalf("pending = %+v, want the submission", list.Submissions)
	}
	if n := searchTotal(t, base, "zanzibarcoding"); n != 0 {
		t.Fatalf("pending submission found by search: %d", n)
	}
	var approved search.Submission
	call(t, "POST", base+"/api/v1/submissions/"+sub.Ref+"/approve", mod, map[string]string{"note": "first"}, http.StatusOK, &approved)
	waitTotal(t, base, "zanzibarcoding", 1)

	upd := submission("zanzibarcoding pembarobotics")
	upd["update_of"] = approved.Entry.ID
	call(t, "POST", base+"/api/v1/submissions", "", upd, http.StatusCreated, &sub)
	var diff struct {
		Fields []struct{ Field, Old, New string }
	}
	call(t, "GET", base+"/api/v1/submissions/"+sub.Ref+"/diff", mod, nil, http.StatusOK, &diff)
	if len(diff.Fields) != 1 || diff.Fields[0].Field != "title" || !strings.HasSuffix(diff.Fields[0].New, "pembarobotics") {
		t.Fatalf("diff = %+v, want the title only", diff.Fields)
	}
	call(t, "POST", base+"/api/v1/submissions/"+sub.Ref+"/approve", mod, map[string]string{"note": "second"}, http.StatusOK, nil)
	waitTotal(t, base, "pembarobotics", 1)

	var revs struct{ Revisions []search.Revision }
	call(t, "GET", base+"/api/v1/entries/"+approved.Entry.ID+"/revisions", "", nil, http.StatusOK, &revs)
	if len(revs.Revisions) != 2 || revs.Revisions[0].Note != "first" || revs.Revisions[1].Note != "second" || revs.Revisions[1].Author != "mia" {
		t.Fatalf("revisions = %+v, want two by mia", revs.Revisions)
	}
}

// waitTotal polls the search API for up to one second until q has want hits.
func waitTotal(t testing.TB, base, q string, want int) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		n := searchTotal(t, base, q)
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("search %q total = %d one second after approval, want %d", q, n, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestBackupUnderWriteLoadRestores(t *testing.T) {
	dir := t.TempDir()
	stopServer, app, base := startStoppable(t, dir)
	admin, err := app.Store.CreateToken("ada", search.RoleAdmin, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var written atomic.Int64
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				code, out := send("POST", base+"/api/v1/submissions", admin, submission(fmt.Sprintf("w%dn%d", w, i)))
				var s struct{ Ref string }
				if code != http.StatusCreated || json.Unmarshal(out, &s) != nil {
					continue
				}
				if code, _ := send("POST", base+"/api/v1/submissions/"+s.Ref+"/approve", admin, nil); code == http.StatusOK {
					written.Add(1)
				}
			}
		}()
	}
	remote := &remoteFlags{url: base, urlSet: true, token: admin}
	file := filepath.Join(t.TempDir(), "backup.db")
	for i := 0; i < 3; i++ {
		time.Sleep(50 * time.Millisecond)
		if _, _, err := backupTo(context.Background(), file, dir, remote); err != nil {
			t.Fatalf("backup %d under load: %v", i, err)
		}
	}
	stop()
	wg.Wait()
	if written.Load() == 0 {
		t.Fatal("no write succeeded during the backups: the load proved nothing")
	}
	if _, err := restoreFrom(file, dir); err == nil {
		t.Fatal("restore into the data dir of a running server succeeded")
	}
	stopServer()

	// Without a server, backup opens the file itself.
	direct := filepath.Join(t.TempDir(), "direct.db")
	if _, n, err := backupTo(context.Background(), direct, dir, &remoteFlags{}); err != nil || n != int(written.Load()) {
		t.Fatalf("direct backup = %d entries, %v; want %d", n, err, written.Load())
	}

	restored := t.TempDir()
	entries, err := restoreFrom(file, restored)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if entries == 0 {
		t.Fatal("the restored backup holds no entry")
	}
	_, app2, base2 := startStoppable(t, restored)
	if err := app2.Store.Check(); err != nil {
		t.Errorf("restored store Check: %v", err)
	}
	if n := searchTotal(t, base2, ""); n != entries || app2.Loaded != "rebuild" && app2.Loaded != "catch-up" {
		t.Errorf("restored server finds %d (loaded %q), want the backup's %d entries", n, app2.Loaded, entries)
	}
	if _, err := app2.Store.Authenticate(admin); err != nil {
		t.Errorf("the admin token does not survive backup and restore: %v", err)
	}
}

func TestTokenCommandDirect(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var out, info bytes.Buffer
	if err := tokenCommand(ctx, []string{"create", "-data", dir, "-role", "admin", "-name", "ops"}, &out, &info); err != nil {
		t.Fatalf("token create: %v", err)
	}
	secret := strings.TrimSpace(out.String())
	if !strings.HasPrefix(secret, "stk_") || strings.Contains(info.String(), secret) {
		t.Fatalf("create printed %q / %q", out.String(), info.String())
	}
	out.Reset()
	if err := tokenCommand(ctx, []string{"list", "-data", dir}, &out, &info); err != nil || !strings.Contains(out.String(), "ops") || strings.Contains(out.String(), secret) {
		t.Fatalf("token list = %q, %v", out.String(), err)
	}
	if err := tokenCommand(ctx, []string{"create", "-data", dir, "-role", "root", "-name", "x"}, &out, &info); err == nil {
		t.Error("token create with role root succeeded")
	}
	if err := tokenCommand(ctx, []string{"revoke", "-data", dir, "-name", "ops"}, &out, &info); err != nil {
		t.Fatalf("token revoke: %v", err)
	}
	raw, err := os.ReadFile(storePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(secret)) {
		t.Error("the database file holds the token in clear")
	}
	if err := tokenCommand(ctx, []string{"revoke", "-data", dir, "-name", "ops"}, &out, &info); err == nil {
		t.Error("revoking twice succeeded")
	}
}

func TestRestoreRefusesDamagedFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad.db")
	if err := os.WriteFile(bad, bytes.Repeat([]byte("not a store "), 2000), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := restoreFrom(bad, dir); err == nil {
		t.Fatal("restore of a damaged file succeeded")
	}
	if _, err := os.Stat(storePath(dir)); !os.IsNotExist(err) {
		t.Errorf("a refused restore left a store file: %v", err)
	}
}

func TestLifecycleConfigEdition(t *testing.T) {
	end := func(y int, m time.Month, d int) time.Time {
		return search.EndOfDay(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	this := time.Now().UTC().Year()
	tests := []struct {
		edition  int
		deadline string
		want     search.Edition
		wantErr  bool
	}{
		{0, "", search.Edition{Year: this, Deadline: end(this+1, time.January, 31)}, false},
		{2026, "", search.Edition{Year: 2026, Deadline: end(2027, time.January, 31)}, false},
		{2026, "2027-02-15", search.Edition{Year: 2026, Deadline: end(2027, time.February, 15)}, false},
		{2026, "15/02/2027", search.Edition{}, true},
		{1900, "", search.Edition{}, true},
	}
	for _, tt := range tests {
		lc, err := lifecycleConfig(&Config{Edition: tt.edition, Deadline: tt.deadline}, &App{})
		if (err != nil) != tt.wantErr || !tt.wantErr && (lc.Edition.Year != tt.want.Year || !lc.Edition.Deadline.Equal(tt.want.Deadline)) {
			t.Errorf("lifecycleConfig(-edition %d -deadline %q) = %+v, %v; want %+v (error %v)", tt.edition, tt.deadline, lc.Edition, err, tt.want, tt.wantErr)
		}
	}
}
