package ui

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

// apiFakeStore is an in-memory search.Store.
type apiFakeStore struct {
	mu      sync.Mutex
	entries map[string]*search.Entry
	revs    map[string][]search.Revision
	seq     uint64
}

func newAPIFakeStore(entries []*search.Entry) *apiFakeStore {
	s := &apiFakeStore{entries: map[string]*search.Entry{}, revs: map[string][]search.Revision{}}
	for _, e := range entries {
		s.seq++
		s.entries[e.ID] = e
		s.revs[e.ID] = append(s.revs[e.ID], search.Revision{Seq: s.seq, EntryID: e.ID, Author: "import",
			Time: e.Updated, Changed: []string{"title"}, Entry: e})
	}
	return s
}

func (s *apiFakeStore) Get(id string) (*search.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return nil, search.Errorf(search.ENOTFOUND, "no entry %q", id)
	}
	return e, nil
}

func (s *apiFakeStore) Put(entries []*search.Entry, ch search.Change) (uint64, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range entries {
		s.seq++
		s.entries[e.ID] = e
	}
	return s.seq, len(entries), nil
}

func (s *apiFakeStore) ids() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.entries))
	for id := range s.entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (s *apiFakeStore) ForEach(fn func(e *search.Entry) error) error {
	for _, id := range s.ids() {
		e, _ := s.Get(id)
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s *apiFakeStore) ChangesSince(seq uint64, fn func(uint64, *search.Entry) error) error {
	return s.ForEach(func(e *search.Entry) error { return fn(s.seq, e) })
}

func (s *apiFakeStore) Revisions(id string) ([]search.Revision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.revs[id], nil
}

func (s *apiFakeStore) Seq() (uint64, error) { return s.seq, nil }
func (s *apiFakeStore) Count() (int, error)  { return len(s.ids()), nil }
func (s *apiFakeStore) Close() error         { return nil }

// apiFakeIndex is a brute-force search.Index with every optional capability.
// Its cursor is base64url("<sort key>\x00<id>"), as the contract in
// api_search.go describes.
type apiFakeIndex struct {
	store *apiFakeStore
	seq   uint64
	// block, when set, holds every search until it is closed.
	block chan struct{}
	// started receives a value when a search starts (if set).
	started chan struct{}
}

func (x *apiFakeIndex) Apply(entries []*search.Entry, seq uint64) error { x.seq = seq; return nil }
func (x *apiFakeIndex) Seq() uint64                                     { return x.seq }
func (x *apiFakeIndex) Close() error                                    { return nil }

func (x *apiFakeIndex) Count() (int, error) {
	n := 0
	err := x.store.ForEach(func(e *search.Entry) error {
		if !e.Withdrawn {
			n++
		}
		return nil
	})
	return n, err
}

func apiSortKey(e *search.Entry, order string) string {
	switch order {
	case search.SortNewest:
		return fmt.Sprintf("%04d", 9999-e.Year)
	case search.SortOldest:
		return fmt.Sprintf("%04d", e.Year)
	case search.SortTitle:
		return strings.ToLower(e.Title)
	}
	return "" // relevance: all scores are equal here, ties by id
}

// matches returns the entries of req in order, with their sort keys.
func (x *apiFakeIndex) matches(ctx context.Context, req *search.Request) ([]*search.Entry, []string, error) {
	if x.started != nil {
		x.started <- struct{}{}
	}
	if x.block != nil {
		select {
		case <-x.block:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	terms := req.Query.Terms()
	var out []*search.Entry
	err := x.store.ForEach(func(e *search.Entry) error {
		if e.Withdrawn || !req.Filters.Matches(e, "") {
			return nil
		}
		text := strings.ToLower(e.Title + " " + e.Organization + " " + e.Description)
		for _, t := range terms {
			if !strings.Contains(text, strings.ToLower(t)) {
				return nil
			}
		}
		out = append(out, e)
		return nil
	})
	keys := make(map[string]string, len(out))
	for _, e := range out {
		keys[e.ID] = apiSortKey(e, req.Sort)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := keys[out[i].ID], keys[out[j].ID]
		if a != b {
			return a < b
		}
		return out[i].ID < out[j].ID
	})
	ks := make([]string, len(out))
	for i, e := range out {
		ks[i] = keys[e.ID]
	}
	return out, ks, err
}

func (x *apiFakeIndex) Search(ctx context.Context, req *search.Request) (*search.Result, error) {
	all, keys, err := x.matches(ctx, req)
	if err != nil {
		return nil, err
	}
	start := (req.Page - 1) * req.Size
	if req.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(req.Cursor, "="))
		key, id, ok := strings.Cut(string(raw), "\x00")
		if err != nil || !ok {
			return nil, &search.Error{Code: search.EINVALID, Field: "cursor", Message: "unreadable cursor"}
		}
		start = sort.Search(len(all), func(i int) bool {
			return keys[i] > key || keys[i] == key && all[i].ID > id
		})
	}
	res := &search.Result{Total: len(all), Hits: []search.Hit{}}
	end := min(start+req.Size, len(all))
	for i := start; i < end; i++ {
		e := all[i]
		res.Hits = append(res.Hits, search.Hit{ID: e.ID, Score: 1, Title: e.Title, Organization: e.Organization,
			Country: e.Country, Region: e.Region, Year: e.Year, ActionLines: e.ActionLines, SDGs: e.SDGs,
			Snippet: "<mark>" + e.Title + "</mark>"})
	}
	if end < len(all) && end > start {
		res.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(keys[end-1] + "\x00" + all[end-1].ID))
	}
	if !req.NoFacets {
		res.Facets = map[string][]search.FacetValue{}
		for _, f := range search.FacetNames {
			res.Facets[f] = apiFacetCounts(all, f, "")
		}
	}
	return res, nil
}

func apiFacetCounts(entries []*search.Entry, facet, prefix string) []search.FacetValue {
	counts := map[string]int{}
	for _, e := range entries {
		for _, v := range search.FacetValues(e)[facet] {
			counts[v]++
		}
	}
	out := []search.FacetValue{}
	for v, n := range counts {
		if strings.HasPrefix(strings.ToLower(v), strings.ToLower(prefix)) {
			out = append(out, search.FacetValue{Value: v, Label: search.FacetLabel(facet, v, "en"), Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

func (x *apiFakeIndex) MatchIDs(ctx context.Context, req *search.Request, fn func(id string) error) error {
	all, _, err := x.matches(ctx, req)
	if err != nil {
		return err
	}
	for _, e := range all {
		if err := fn(e.ID); err != nil {
			return err
		}
	}
	return nil
}

func (x *apiFakeIndex) FacetValues(ctx context.Context, req *search.Request, facet, prefix string, limit int) ([]search.FacetValue, error) {
	all, _, err := x.matches(ctx, req)
	if err != nil {
		return nil, err
	}
	vals := apiFacetCounts(all, facet, prefix)
	if len(vals) > limit {
		vals = vals[:limit]
	}
	return vals, nil
}

func (x *apiFakeIndex) Suggest(ctx context.Context, prefix, lang string, limit int) ([]search.Suggestion, error) {
	var out []search.Suggestion
	err := x.store.ForEach(func(e *search.Entry) error {
		if len(out) < limit && strings.HasPrefix(strings.ToLower(e.Title), strings.ToLower(prefix)) {
			out = append(out, search.Suggestion{Kind: "title", Text: e.Title, Value: e.ID})
		}
		return nil
	})
	return out, err
}

func (x *apiFakeIndex) Similar(ctx context.Context, id string, size int, lang string) ([]search.Hit, error) {
	res, err := x.Search(ctx, &search.Request{Query: search.ParseQuery(""), Page: 1, Size: size + 1, NoFacets: true})
	if err != nil {
		return nil, err
	}
	var hits []search.Hit
	for _, h := range res.Hits {
		if h.ID != id && len(hits) < size {
			hits = append(hits, h)
		}
	}
	return hits, nil
}

func (x *apiFakeIndex) Stats(ctx context.Context, req *search.Request) (*search.Stats, error) {
	all, _, err := x.matches(ctx, req)
	if err != nil {
		return nil, err
	}
	st := &search.Stats{Total: len(all), YearStakeholder: map[int]map[string]int{}, Matrix: map[string]map[int]int{}}
	for _, e := range all {
		if st.YearStakeholder[e.Year] == nil {
			st.YearStakeholder[e.Year] = map[string]int{}
		}
		st.YearStakeholder[e.Year][e.Stakeholder]++
		for _, al := range e.ActionLines {
			if st.Matrix[al] == nil {
				st.Matrix[al] = map[int]int{}
			}
			for _, g := range e.SDGs {
				st.Matrix[al][g]++
			}
		}
	}
	st.ActionLines = apiFacetCounts(all, search.FacetActionLine, "")
	st.SDGs = apiFacetCounts(all, search.FacetSDG, "")
	st.Countries = apiFacetCounts(all, search.FacetCountry, "")
	st.Regions = apiFacetCounts(all, search.FacetRegion, "")
	return st, nil
}

// apiFakeAnalytics records searches.
type apiFakeAnalytics struct {
	mu      sync.Mutex
	queries []string
}

func (m *apiFakeAnalytics) Record(q string, filters []string, total int, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queries = append(m.queries, q+"|"+strings.Join(filters, ",")+"|"+strconv.Itoa(total))
}

func (m *apiFakeAnalytics) Report(weeks int) (*search.AnalyticsReport, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w := search.AnalyticsWeek{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Searches: len(m.queries)}
	for _, q := range m.queries {
		w.TopQueries = append(w.TopQueries, search.QueryCount{Text: q, Count: 1})
	}
	return &search.AnalyticsReport{Weeks: []search.AnalyticsWeek{w}}, nil
}

// apiEntries makes n deterministic entries with ids e0001…; every third
// is Kenyan, titles hold "water" on even numbers; e0005 is withdrawn.
func apiEntries(n int) []*search.Entry {
	var out []*search.Entry
	stake := []string{"government", "private-sector", "civil-society", "academia"}
	for i := 1; i <= n; i++ {
		e := &search.Entry{
			ID: fmt.Sprintf("e%04d", i), Title: fmt.Sprintf("Project %d", i), Organization: fmt.Sprintf("Org %d", i%7),
			Stakeholder: stake[i%len(stake)], Country: "FRA", Region: "europe", Year: 2005 + i%17,
			ActionLines: []string{"C" + strconv.Itoa(1+i%6)}, SDGs: []int{1 + i%17}, Language: "en",
			Description: "A project about </script><b>things</b>.",
			Created:     time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), Updated: time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC),
		}
		if i%3 == 0 {
			e.Country, e.Region = "KEN", "africa"
		}
		if i%2 == 0 {
			e.Title += " water"
		}
		if i == 5 {
			e.Withdrawn = true
		}
		if i == 7 {
			e.Title = "=HYPERLINK(\"http://x\") water"
		}
		out = append(out, e)
	}
	return out
}

// apiTestServer is a server over n test entries with every capability.
type apiTestServer struct {
	*Server
	store     *apiFakeStore
	index     *apiFakeIndex
	analytics *apiFakeAnalytics
}

func newAPIServer(t testing.TB, n int, adjust func(*Config)) *apiTestServer {
	t.Helper()
	store := newAPIFakeStore(apiEntries(n))
	index := &apiFakeIndex{store: store, seq: 42}
	an := &apiFakeAnalytics{}
	cfg := Config{
		Service: &search.Service{Store: store, Index: index},
		Facets:  index, Suggester: index, Similar: index, Stats: index, Matcher: index,
		Logger: zerolog.Nop(), Version: "test", SearchBudget: 2 * time.Second, BodyLimit: 64 << 10,
		API: APIConfig{Analytics: an, BaseURL: "https://wsis.example.org", IndexSize: func() int64 { return 12345 },
			LastReindex: func() time.Time { return time.Unix(1700000000, 0) }},
	}
	if adjust != nil {
		adjust(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &apiTestServer{Server: s, store: store, index: index, analytics: an}
}

// do sends one request through the app and returns the response and body.
func (ts *apiTestServer) do(t testing.TB, method, target string, header map[string]string, body string) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := ts.App().Test(req, 10000)
	if err != nil {
		t.Fatalf("%s %.100s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %.100s: read body: %v", method, target, err)
	}
	return resp, b
}

func (ts *apiTestServer) get(t testing.TB, target string) (*http.Response, []byte) {
	return ts.do(t, "GET", target, nil, "")
}
