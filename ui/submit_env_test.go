package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/index/store"
	"github.com/itu-stocktaking/stocktaking/search"
)

// The lifecycle tests run the real bbolt store (submissions, tokens and
// revisions are its logic) behind a memory index that matches a query as a
// substring of the title: the index is not what they test.

// lcIndex is a memory search.Index.
type lcIndex struct {
	mu   sync.Mutex
	docs map[string]search.Entry
	seq  uint64
}

func (x *lcIndex) Apply(entries []*search.Entry, seq uint64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, e := range entries {
		if e.Withdrawn {
			delete(x.docs, e.ID)
		} else {
			x.docs[e.ID] = *e
		}
	}
	x.seq = seq
	return nil
}

func (x *lcIndex) Search(ctx context.Context, req *search.Request) (*search.Result, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	res := &search.Result{Hits: []search.Hit{}}
	for _, e := range x.docs {
		if strings.Contains(strings.ToLower(e.Title), strings.ToLower(req.Text)) {
			res.Hits = append(res.Hits, search.Hit{ID: e.ID, Title: e.Title, Year: e.Year})
		}
	}
	sort.Slice(res.Hits, func(i, j int) bool { return res.Hits[i].ID < res.Hits[j].ID })
	res.Total = len(res.Hits)
	return res, nil
}

func (x *lcIndex) Seq() uint64 { x.mu.Lock(); defer x.mu.Unlock(); return x.seq }
func (x *lcIndex) Count() (int, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.docs), nil
}
func (x *lcIndex) Close() error { return nil }

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lcEnv is a server with a store, two tokens and a settable clock.
type lcEnv struct {
	t      *testing.T
	srv    *Server
	store  *store.Store
	index  *lcIndex
	path   string
	mod    string // moderator secret
	admin  string // admin secret
	logs   *syncBuffer
	now    time.Time
	nowMu  sync.Mutex
	client *http.Client
	// reindexes counts the reindexes POST /api/v1/admin/reindex started.
	reindexes atomic.Int32
}

// newLCEnv opens a store with a moderator "mia" and an admin "ada", and a
// server over it; readOnly reopens the store read-only first.
func newLCEnv(t *testing.T, readOnly bool, seed ...*search.Entry) *lcEnv {
	t.Helper()
	env := &lcEnv{t: t, index: &lcIndex{docs: map[string]search.Entry{}}, logs: &syncBuffer{},
		now: time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)}
	env.path = filepath.Join(t.TempDir(), "stocktaking.db")
	st, err := store.Open(env.path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if env.mod, err = st.CreateToken("mia", search.RoleModerator, env.now); err != nil {
		t.Fatal(err)
	}
	if env.admin, err = st.CreateToken("ada", search.RoleAdmin, env.now); err != nil {
		t.Fatal(err)
	}
	if len(seed) > 0 {
		if _, _, err := st.Put(seed, search.Change{Author: "import", Time: env.now}); err != nil {
			t.Fatal(err)
		}
		if err := env.index.Apply(seed, 1); err != nil {
			t.Fatal(err)
		}
	}
	if readOnly {
		st.Close()
		if st, err = store.Open(env.path, store.Options{ReadOnly: true}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { st.Close() })
	env.store = st
	env.srv, err = New(Config{
		Service:  &search.Service{Store: st, Index: env.index},
		Logger:   zerolog.New(env.logs),
		ReadOnly: readOnly,
		// app.Test's connections come from 0.0.0.0: a trusted proxy, so
		// that X-Forwarded-Proto: https makes cookies Secure.
		TrustedProxies: []string{"0.0.0.0"},
		// As serve wires them: the admin API routes check the same tokens.
		API:     APIConfig{AdminCheck: BearerCheck(st, search.RoleAdmin)},
		Reindex: func(context.Context) error { env.reindexes.Add(1); return nil },
		Lifecycle: LifecycleConfig{
			Submissions: st,
			Tokens:      st,
			Backup:      st.Backup,
			Edition:     search.Edition{Year: 2025, Deadline: search.EndOfDay(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))},
			Now:         env.clock,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func (env *lcEnv) clock() time.Time {
	env.nowMu.Lock()
	defer env.nowMu.Unlock()
	return env.now
}

func (env *lcEnv) setNow(t time.Time) {
	env.nowMu.Lock()
	env.now = t
	env.nowMu.Unlock()
}

// do sends a request with an optional bearer token and JSON body (a string
// or []byte is sent as is) and returns the status and body.
func (env *lcEnv) do(method, path, token string, body any, header ...string) (int, []byte, http.Header) {
	env.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			env.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := env.srv.App().Test(req, 10_000)
	if err != nil {
		env.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, resp.Header
}

// mustJSON sends a request, wants status want and decodes the body into v.
func (env *lcEnv) mustJSON(method, path, token string, body any, want int, v any) {
	env.t.Helper()
	code, out, _ := env.do(method, path, token, body)
	if code != want {
		env.t.Fatalf("%s %s = %d, want %d: %s", method, path, code, want, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			env.t.Fatalf("%s %s: decode %s: %v", method, path, out, err)
		}
	}
}

// validEntry is a complete submission body.
func validEntry(title string) map[string]any {
	return map[string]any{
		"title":        title,
		"organization": "Ministry of Posts",
		"stakeholder":  "Government",
		"country":      "KEN",
		"language":     "en",
		"action_lines": []string{"C7.4"},
		"sdgs":         []int{3},
		"description":  "A national programme. It trains nurses. It works offline.",
	}
}

// submit posts a valid submission and returns its reference.
func (env *lcEnv) submit(body map[string]any) string {
	env.t.Helper()
	var resp submitResponse
	env.mustJSON("POST", "/api/v1/submissions", "", body, http.StatusCreated, &resp)
	return resp.Ref
}

// searchIDs returns the ids the index finds for q.
func (env *lcEnv) searchIDs(q string) []string {
	res, _ := env.index.Search(context.Background(), &search.Request{Text: q})
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}
