package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// loadConfig is the configuration of the load command.
type loadConfig struct {
	URL         string
	Duration    time.Duration
	Concurrency int
	Clients     int
	Seed        uint64
	Token       string
	Timeout     time.Duration
	// Skip lists kinds of request left out of the mix, for a server that
	// lacks a capability (a 503 route).
	Skip []string
}

// Bounds of the load command: it is a test tool for a local server, not a
// flood.
const (
	maxLoadConcurrency = 64
	maxLoadDuration    = time.Hour
	maxLoadClients     = 250
)

// runLoad drives a realistic, seeded mix of requests against a server on
// this machine and reports throughput and latency per kind of request.
func runLoad(ctx context.Context, args []string) error {
	cfg := &loadConfig{}
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "base URL of the server (loopback only)")
	fs.DurationVar(&cfg.Duration, "duration", time.Minute, "how long to run (at most 1h)")
	fs.IntVar(&cfg.Concurrency, "concurrency", 8, "requests in flight at once (1 to 64)")
	fs.IntVar(&cfg.Clients, "clients", 200, "loopback source addresses to spread requests over, as that many users "+
		"would (the API rate limit is per address); 1 sends from one address")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed of the request mix")
	fs.StringVar(&cfg.Token, "token", "", "bearer token; when set, a trickle of submissions is sent too")
	fs.DurationVar(&cfg.Timeout, "timeout", 10*time.Second, "timeout of one request")
	skip := fs.String("skip", "", "comma-separated kinds of request to leave out (see the report's kinds)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *skip != "" {
		cfg.Skip = strings.Split(*skip, ",")
	}
	rep, err := runLoadTest(ctx, cfg)
	if err != nil {
		return err
	}
	rep.print(os.Stdout)
	if rep.errors > 0 || rep.status5xx > 0 {
		return fmt.Errorf("%d errors, %d 5xx responses", rep.errors, rep.status5xx)
	}
	return nil
}

// loopbackURL parses raw and refuses any host that is not this machine.
func loopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("-url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("-url %q: want http:// or https://", raw)
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		u.Host = net.JoinHostPort("127.0.0.1", u.Port())
		return u, nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("-url %q: load is only sent to this machine (127.0.0.0/8, ::1 or localhost)", raw)
	}
	return u, nil
}

// validate checks the bounds of the configuration.
func (c *loadConfig) validate() error {
	switch {
	case c.Duration <= 0 || c.Duration > maxLoadDuration:
		return fmt.Errorf("-duration must be from 1ns to %s", maxLoadDuration)
	case c.Concurrency < 1 || c.Concurrency > maxLoadConcurrency:
		return fmt.Errorf("-concurrency must be from 1 to %d", maxLoadConcurrency)
	case c.Clients < 1 || c.Clients > maxLoadClients:
		return fmt.Errorf("-clients must be from 1 to %d", maxLoadClients)
	case c.Timeout <= 0:
		return fmt.Errorf("-timeout must be positive")
	}
	left := 0
	for _, k := range loadKinds {
		left += loadWeight(k.name, c.Skip)
	}
	for _, k := range c.Skip {
		if loadWeight(k, nil) < 0 {
			return fmt.Errorf("-skip: unknown kind %q", k)
		}
	}
	if left == 0 {
		return fmt.Errorf("-skip leaves no kind of request")
	}
	return nil
}

// loadReport is what a run measured.
type loadReport struct {
	target    string
	elapsed   time.Duration
	kinds     map[string]*kindStats
	errors    int
	status5xx int
	samples   []string // the first few failures
}

// kindStats is the measurement of one kind of request.
type kindStats struct {
	latencies []time.Duration
	statuses  map[int]int
	errors    int
}

// loadRun is a run in progress.
type loadRun struct {
	cfg     *loadConfig
	base    *url.URL
	clients []*http.Client
	ids     []string
	mu      sync.Mutex
	rep     *loadReport
}

// runLoadTest runs the load until cfg.Duration has passed or ctx ends.
func runLoadTest(ctx context.Context, cfg *loadConfig) (*loadReport, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	base, err := loopbackURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	r := &loadRun{cfg: cfg, base: base, rep: &loadReport{target: base.String(), kinds: map[string]*kindStats{}}}
	r.clients = loadClients(base, cfg)
	defer func() {
		for _, c := range r.clients {
			c.CloseIdleConnections()
		}
	}()
	if err := r.collectIDs(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < cfg.Concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(w)))
			for ctx.Err() == nil {
				r.one(ctx, rng)
			}
		}(w)
	}
	wg.Wait()
	r.rep.elapsed = time.Since(start)
	return r.rep, nil
}

// loadClients makes one HTTP client per simulated user. On IPv4 loopback
// each dials from its own source address 127.0.0.2, 127.0.0.3…, so that the
// server sees that many clients, as it would in production.
func loadClients(base *url.URL, cfg *loadConfig) []*http.Client {
	ip := net.ParseIP(base.Hostname())
	n := cfg.Clients
	if ip == nil || ip.To4() == nil {
		n = 1
	}
	out := make([]*http.Client, n)
	for i := range out {
		d := &net.Dialer{Timeout: cfg.Timeout}
		if n > 1 {
			d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i))}
		}
		out[i] = &http.Client{Timeout: cfg.Timeout, Transport: &http.Transport{
			DialContext:         d.DialContext,
			MaxIdleConnsPerHost: cfg.Concurrency,
			IdleConnTimeout:     30 * time.Second,
		}}
	}
	return out
}

// collectIDs reads entry ids to visit from a few searches.
func (r *loadRun) collectIDs(ctx context.Context) error {
	seen := map[string]bool{}
	for _, q := range []string{"", "health", "education", "digital", "women"} {
		var res struct {
			Hits []struct {
				ID string `json:"id"`
			} `json:"hits"`
		}
		u := r.at("/api/v1/search")
		u.RawQuery = url.Values{"q": {q}, "size": {"100"}, "facets": {"none"}}.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return err
		}
		resp, err := r.clients[0].Do(req)
		if err != nil {
			return fmt.Errorf("collect entry ids: %w", err)
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			return fmt.Errorf("collect entry ids: GET %s = %d %v", u, resp.StatusCode, err)
		}
		for _, h := range res.Hits {
			if !seen[h.ID] {
				seen[h.ID] = true
				r.ids = append(r.ids, h.ID)
			}
		}
	}
	if len(r.ids) == 0 {
		return errors.New("collect entry ids: the server has no entries")
	}
	sort.Strings(r.ids) // the mix depends on the seed only
	return nil
}

// at is the URL of path on the server.
func (r *loadRun) at(path string) *url.URL {
	u := *r.base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawPath, u.RawQuery, u.Fragment = "", "", ""
	return &u
}

// loadWords are common words of WSIS Stocktaking entries.
var loadWords = []string{
	"health", "education", "digital", "women", "rural", "mobile", "government", "agriculture", "broadband",
	"cybersecurity", "youth", "data", "innovation", "school", "climate", "water", "literacy", "access",
	"open", "skills", "e-learning", "connectivity", "community", "online", "services", "africa", "library",
}

// loadFilters are filter parameters and some of their values.
var loadFilters = []struct {
	name   string
	values []string
}{
	{"country", []string{"KEN", "FRA", "IND", "BRA", "EGY", "USA", "XIN", "CHN", "NGA", "MEX"}},
	{"sdg", []string{"1", "3", "4", "5", "8", "9", "10", "16", "17"}},
	{"action_line", []string{"C1", "C2", "C3", "C4", "C5", "C7", "C7.1", "C7.3", "C7.4", "C10"}},
	{"region", []string{"africa", "americas", "arab-states", "asia-pacific", "cis", "europe"}},
	{"stakeholder", []string{"government", "private-sector", "civil-society", "academia"}},
	{"year", []string{"2008", "2012", "2015", "2018", "2020", "2023"}},
}

// loadKinds are the kinds of request and their weights in the mix.
var loadKinds = []struct {
	name   string
	weight int
}{
	{"search_api", 30}, {"search_page", 15}, {"suggest", 15}, {"entry_page", 10},
	{"entry_api", 10}, {"facet_values", 10}, {"export_csv", 2}, {"submit", 1},
}

// loadWeight is the weight of kind in the mix, 0 when skipped, -1 when
// there is no such kind.
func loadWeight(kind string, skip []string) int {
	for _, k := range loadKinds {
		if k.name == kind {
			for _, s := range skip {
				if s == kind {
					return 0
				}
			}
			return k.weight
		}
	}
	return -1
}

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

// searchQuery is q with 1–2 common words and 0–3 filters.
func searchQuery(rng *rand.Rand) url.Values {
	v := url.Values{}
	words := pick(rng, loadWords)
	if rng.IntN(2) == 0 {
		words += " " + pick(rng, loadWords)
	}
	if rng.IntN(10) > 0 {
		v.Set("q", words)
	}
	for _, i := range rng.Perm(len(loadFilters))[:rng.IntN(4)] {
		v.Set(loadFilters[i].name, pick(rng, loadFilters[i].values))
	}
	return v
}

// one sends one request of a kind drawn from the mix and records it.
func (r *loadRun) one(ctx context.Context, rng *rand.Rand) {
	total := 0
	for _, k := range loadKinds {
		total += loadWeight(k.name, r.cfg.Skip)
	}
	if total == 0 {
		return
	}
	n := rng.IntN(total)
	kind := ""
	for _, k := range loadKinds {
		w := loadWeight(k.name, r.cfg.Skip)
		if n < w {
			kind = k.name
			break
		}
		n -= w
	}
	method, path, query, want := http.MethodGet, "", url.Values{}, http.StatusOK
	var body []byte
	switch kind {
	case "search_api", "search_page":
		path, query = "/api/v1/search", searchQuery(rng)
		if kind == "search_page" {
			path = "/search"
		}
		if rng.IntN(4) == 0 {
			query.Set("page", strconv.Itoa(2+rng.IntN(3)))
		}
	case "suggest":
		w := pick(rng, loadWords)
		path, query = "/api/v1/suggest", url.Values{"q": {w[:min(len(w), 2+rng.IntN(4))]}}
	case "entry_page":
		path = "/entries/" + pick(rng, r.ids)
	case "entry_api":
		path = "/api/v1/entries/" + pick(rng, r.ids)
	case "facet_values":
		f := pick(rng, []string{"country", "organization", "sdg", "action_line", "year"})
		path, query = "/api/v1/facets/"+f, searchQuery(rng)
		query.Del(f)
	case "export_csv":
		path = "/api/v1/export"
		query = url.Values{"format": {"csv"}, "country": {pick(rng, loadFilters[0].values)}, "year": {pick(rng, loadFilters[5].values)}}
	case "submit":
		if r.cfg.Token == "" {
			kind, path = "entry_api", "/api/v1/entries/"+pick(rng, r.ids)
			break
		}
		method, path, want = http.MethodPost, "/api/v1/submissions", http.StatusCreated
		body = loadSubmission(rng)
	}
	u := r.at(path)
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		r.record(ctx, kind, u, 0, 0, err)
		return
	}
	if kind == "search_page" || kind == "entry_page" {
		req.Header.Set("Accept", "text/html")
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+r.cfg.Token)
	}
	start := time.Now()
	resp, err := pick(rng, r.clients).Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	if err == nil && status != want {
		err = fmt.Errorf("status %d, want %d", status, want)
	}
	r.record(ctx, kind, u, status, time.Since(start), err)
}

// loadSubmission is a valid new entry to submit.
func loadSubmission(rng *rand.Rand) []byte {
	b, _ := json.Marshal(map[string]any{
		"title":        "Load test " + pick(rng, loadWords) + " project " + strconv.Itoa(rng.IntN(1e6)),
		"organization": "Load Test Foundation", "stakeholder": "civil-society", "country": pick(rng, loadFilters[0].values),
		"year": 2025, "action_lines": []string{pick(rng, loadFilters[2].values)}, "sdgs": []int{1 + rng.IntN(17)},
		"language": "en", "short_description": "A submission sent by stocktaking load.",
	})
	return b
}

// record adds one request to the report; requests cut short by the end of
// the run are not counted.
func (r *loadRun) record(ctx context.Context, kind string, u *url.URL, status int, took time.Duration, err error) {
	if err != nil && ctx.Err() != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ks := r.rep.kinds[kind]
	if ks == nil {
		ks = &kindStats{statuses: map[int]int{}}
		r.rep.kinds[kind] = ks
	}
	if status >= 500 {
		r.rep.status5xx++
	}
	if status > 0 {
		ks.statuses[status]++
	}
	if err != nil {
		ks.errors++
		r.rep.errors++
		if len(r.rep.samples) < 10 {
			r.rep.samples = append(r.rep.samples, fmt.Sprintf("%s %s: %v", kind, u.RequestURI(), err))
		}
		return
	}
	ks.latencies = append(ks.latencies, took)
}

// percentile returns the p-th percentile (0–100) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

// print writes the report as a table, kinds in name order.
func (rep *loadReport) print(w io.Writer) {
	names := make([]string, 0, len(rep.kinds))
	for n := range rep.kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	secs := rep.elapsed.Seconds()
	fmt.Fprintf(w, "load: %s against %s\n", rep.elapsed.Round(time.Millisecond), rep.target)
	fmt.Fprintf(w, "%-13s %8s %8s %9s %9s %9s %9s %6s  %s\n", "kind", "requests", "req/s", "p50", "p90", "p99", "max", "errors", "statuses")
	all := 0
	for _, n := range names {
		ks := rep.kinds[n]
		sort.Slice(ks.latencies, func(i, j int) bool { return ks.latencies[i] < ks.latencies[j] })
		count := len(ks.latencies) + ks.errors
		all += count
		var codes []string
		for code, c := range ks.statuses {
			codes = append(codes, fmt.Sprintf("%d=%d", code, c))
		}
		sort.Strings(codes)
		ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
		fmt.Fprintf(w, "%-13s %8d %8.1f %9s %9s %9s %9s %6d  %s\n", n, count, float64(count)/secs,
			ms(percentile(ks.latencies, 50)), ms(percentile(ks.latencies, 90)), ms(percentile(ks.latencies, 99)),
			ms(percentile(ks.latencies, 100)), ks.errors, strings.Join(codes, " "))
	}
	fmt.Fprintf(w, "total: %d requests, %.1f req/s, %d errors, %d 5xx\n", all, float64(all)/secs, rep.errors, rep.status5xx)
	for _, s := range rep.samples {
		fmt.Fprintf(w, "  error: %s\n", s)
	}
}
