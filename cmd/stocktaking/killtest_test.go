package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/index/store"
)

// killRounds is how many times the kill test SIGKILLs the server.
const killRounds = 21

// TestKillAtRandomMoments builds the real binary, serves a temporary data
// directory, writes submissions, approvals and small imports through the
// API, and SIGKILLs the server at random moments, killRounds times. After
// each kill, every acknowledged write must be in the store: approved and
// imported entries, and every submission answered 201 (one in three is left
// pending); after each restart, the entries must be in the index, the
// search totals must equal the store count, and a sample of the pending
// submissions must answer their status by reference.
func TestKillAtRandomMoments(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test: builds the binary and restarts it 21 times; skipped with -short")
	}
	bin := testBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	out, err := exec.Command(bin, "token", "create", "-data", data, "-role", "admin", "-name", "killer").Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	admin := strings.TrimSpace(string(out))
	rng := rand.New(rand.NewSource(20250131))
	acked := map[string]string{}     // entry id → title of every acknowledged write
	submitted := map[string]string{} // submission ref → title of every 201
	var logs bytes.Buffer
	count := 0 // entries in the store at the last kill
	for round := 0; round < killRounds; round++ {
		srv := startBinary(t, bin, data, &logs)
		checkIndex(t, srv.base, acked, count)
		checkSubmissions(t, srv.base, submitted)
		ctx, stop := context.WithCancel(context.Background())
		got := make(chan map[string]string, 2)
		refs := make(chan map[string]string, 1)
		go func() {
			entries, subs := approveLoop(ctx, srv.base, admin, round)
			refs <- subs
			got <- entries
		}()
		go func() { got <- importLoop(ctx, srv.base, admin, round) }()
		time.Sleep(time.Duration(50+rng.Intn(400)) * time.Millisecond)
		srv.kill(t)
		stop()
		for i := 0; i < 2; i++ {
			for id, title := range <-got {
				acked[id] = title
			}
		}
		for ref, title := range <-refs {
			submitted[ref] = title
		}
		count = checkStore(t, data, acked, submitted)
	}
	if len(acked) < killRounds || len(submitted) < killRounds {
		t.Fatalf("only %d writes and %d submissions were acknowledged in %d rounds: the test exercised too little", len(acked), len(submitted), killRounds)
	}
	srv := startBinary(t, bin, data, &logs)
	checkIndex(t, srv.base, acked, count)
	checkSubmissions(t, srv.base, submitted)
	srv.kill(t)
	raw, err := os.ReadFile(storePath(data))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(admin)) || strings.Contains(logs.String(), admin) {
		t.Error("the admin token is in the database file or the logs in clear")
	}
	t.Logf("%d acknowledged writes and %d acknowledged submissions survived %d kills", len(acked), len(submitted), killRounds)
}

// binary is a running server process.
type binary struct {
	cmd  *exec.Cmd
	base string
	done chan struct{} // closed when its stderr is drained
}

var servingRE = regexp.MustCompile(`serving \d+ entries at (http://[0-9.:]+)/`)

// testBinary builds the command once for the tests that run it.
func testBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "stocktaking-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "stocktaking")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// startBinary starts the server on a free port and waits until it serves;
// its stderr (the logs) is appended to logs. args are serve's flags after
// the address, data and log level (default -no-defaults).
func startBinary(t *testing.T, bin, data string, logs *bytes.Buffer, args ...string) *binary {
	t.Helper()
	if args == nil {
		args = []string{"-no-defaults"}
	}
	args = append([]string{"serve", "-addr", "127.0.0.1:0", "-data", data, "-log-level", "info"}, args...)
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &binary{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	var mu sync.Mutex
	go func() {
		defer close(b.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			logs.WriteString(line + "\n")
			mu.Unlock()
			if m := servingRE.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case b.base = <-addr:
		return b
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-b.done
		_ = cmd.Wait()
		t.Fatalf("the server did not start in 60 s; logs:\n%s", logs.String())
	}
	return nil
}

// kill sends SIGKILL and waits for the process to be gone.
func (b *binary) kill(t *testing.T) { t.Helper(); b.end(t, syscall.SIGKILL) }

// stop asks the server to shut down (SIGTERM) and waits for it.
func (b *binary) stop(t *testing.T) { t.Helper(); b.end(t, syscall.SIGTERM) }

// end sends sig and waits for the process to be gone.
func (b *binary) end(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := b.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
	<-b.done
	_ = b.cmd.Wait()
}

// approveLoop submits entries and approves two in three of them until the
// server dies or ctx ends. It returns the acknowledged entries (approvals
// answered 200) and the acknowledged submissions (answered 201: ref →
// title), approved or not.
func approveLoop(ctx context.Context, base, admin string, round int) (acked, submitted map[string]string) {
	acked, submitted = map[string]string{}, map[string]string{}
	for i := 0; ctx.Err() == nil; i++ {
		word := fmt.Sprintf("r%ds%d", round, i)
		body := submission(word)
		var sub struct{ Ref string }
		if code, out := send("POST", base+"/api/v1/submissions", admin, body); code != http.StatusCreated || jsonInto(out, &sub) != nil {
			if code == 0 {
				return acked, submitted
			}
			continue
		}
		submitted[sub.Ref] = body["title"].(string)
		if i%3 == 2 {
			continue // left pending
		}
		var approved struct{ Entry struct{ ID, Title string } }
		code, out := send("POST", base+"/api/v1/submissions/"+sub.Ref+"/approve", admin, nil)
		if code == 0 {
			return acked, submitted
		}
		if code == http.StatusOK && jsonInto(out, &approved) == nil {
			acked[approved.Entry.ID] = approved.Entry.Title
		}
	}
	return acked, submitted
}

// importLoop imports batches of three entries until the server dies or
// ctx ends, and returns the acknowledged ones.
func importLoop(ctx context.Context, base, admin string, round int) map[string]string {
	acked := map[string]string{}
	for i := 0; ctx.Err() == nil; i++ {
		var body strings.Builder
		batch := map[string]string{}
		for k := 0; k < 3; k++ {
			id := fmt.Sprintf("kt-r%d-i%d-%d", round, i, k)
			title := "Killtest import " + strings.ReplaceAll(id, "-", "")
			batch[id] = title
			fmt.Fprintf(&body, `{"id":%q,"title":%q,"organization":"Kill Test Org","stakeholder":"academia","country":"CHE","language":"en","year":2025,"action_lines":["C4"]}`+"\n", id, title)
		}
		var rep struct{ Accepted int }
		code, out := send("POST", base+"/api/v1/admin/import?format=jsonl", admin, body.String())
		if code == 0 {
			return acked
		}
		if code == http.StatusOK && jsonInto(out, &rep) == nil && rep.Accepted == 3 {
			for id, title := range batch {
				acked[id] = title
			}
		}
	}
	return acked
}

// checkStore opens the store of the killed server and checks that it is
// consistent and holds every acknowledged write and submission; it returns
// the number of entries (no test write withdraws one).
func checkStore(t *testing.T, data string, acked, submitted map[string]string) int {
	t.Helper()
	st, err := store.Open(storePath(data), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the store after a kill: %v", err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("store Check after a kill: %v", err)
	}
	for _, id := range sortedKeys(acked) {
		e, err := st.Get(id)
		if err != nil || e.Title != acked[id] {
			t.Fatalf("acknowledged write %s lost after a kill: %v", id, err)
		}
	}
	for _, ref := range sortedKeys(submitted) {
		sub, err := st.Submission(ref)
		if err != nil || sub.Entry == nil || sub.Entry.Title != submitted[ref] {
			t.Fatalf("acknowledged submission %s (%q) lost after a kill: %v", ref, submitted[ref], err)
		}
	}
	n, err := st.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkIndex checks, on a restarted server, that the search totals equal
// the store count, storeCount, taken while the server was down. The index
// only holds entries of the store, so equal counts mean that it holds all
// of them; a sample of acknowledged writes is also searched by its unique
// word, as a check of the check.
func checkIndex(t *testing.T, base string, acked map[string]string, storeCount int) {
	t.Helper()
	all := searchTotal(t, base, "")
	killtest := searchTotal(t, base, "killtest")
	if all != storeCount || killtest != storeCount {
		t.Fatalf("search totals %d (all) and %d (killtest) after restart, want the store count %d", all, killtest, storeCount)
	}
	ids := sortedKeys(acked)
	rand.New(rand.NewSource(int64(len(ids)))).Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	for _, id := range ids[:min(len(ids), 20)] {
		words := strings.Fields(acked[id])
		if n := searchTotal(t, base, words[len(words)-1]); n < 1 {
			t.Fatalf("acknowledged write %s (%q) not found after restart", id, acked[id])
		}
	}
}

// checkSubmissions checks, on a restarted server, that a sample of the
// acknowledged submissions answer their status by reference.
func checkSubmissions(t *testing.T, base string, submitted map[string]string) {
	t.Helper()
	refs := sortedKeys(submitted)
	rand.New(rand.NewSource(int64(len(refs)))).Shuffle(len(refs), func(i, j int) { refs[i], refs[j] = refs[j], refs[i] })
	for _, ref := range refs[:min(len(refs), 10)] {
		var sub struct {
			Status string
			Entry  struct{ Title string }
		}
		call(t, "GET", base+"/api/v1/submissions/"+ref, "", nil, http.StatusOK, &sub)
		if sub.Entry.Title != submitted[ref] || sub.Status == "" {
			t.Fatalf("submission %s after restart = %+v, want %q with a status", ref, sub, submitted[ref])
		}
	}
}

// jsonInto decodes a response body.
func jsonInto(body []byte, v any) error { return json.Unmarshal(body, v) }
