package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// runEval measures ranking quality on a collection in BEIR layout: it
// indexes the corpus through the same store and index path as real entries,
// runs every query as a user query, writes a TREC run and prints
// nDCG@10, MAP and R@100.
func runEval(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	coll := fs.String("collection", "", "collection directory (corpus.jsonl, queries.jsonl, qrels/test.tsv)")
	runFile := fs.String("run", "", "write the TREC run file here")
	depth := fs.Int("depth", 1000, "documents ranked per query")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *coll == "" {
		return fmt.Errorf("-collection is required")
	}
	var out io.Writer = io.Discard
	if *runFile != "" {
		f, err := os.Create(*runFile)
		if err != nil {
			return err
		}
		defer f.Close()
		bw := bufio.NewWriter(f)
		defer bw.Flush()
		out = bw
	}
	m, err := evalCollection(ctx, *coll, *depth, out)
	if err != nil {
		return err
	}
	fmt.Printf("queries=%d docs=%d\n", m.Asked, m.Docs)
	fmt.Printf("nDCG@10=%.4f MAP=%.4f R@100=%.4f\n", m.NDCG10, m.MAP, m.R100)
	return nil
}

// evalResult is what evalCollection measured: the metrics over the judged
// queries, and how many documents and queries the collection has.
type evalResult struct {
	metrics
	Docs, Asked int
}

// evalCollection indexes the collection in dir in a temporary data
// directory, runs every query to depth, writes the TREC run to out and
// scores it.
func evalCollection(ctx context.Context, dir string, depth int, out io.Writer) (*evalResult, error) {
	corpus, err := readBEIRCorpus(filepath.Join(dir, "corpus.jsonl"))
	if err != nil {
		return nil, err
	}
	queries, err := readBEIRQueries(filepath.Join(dir, "queries.jsonl"))
	if err != nil {
		return nil, err
	}
	qrels, err := readQrels(filepath.Join(dir, "qrels", "test.tsv"))
	if err != nil {
		return nil, err
	}
	data, err := os.MkdirTemp("", "stocktaking-eval-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(data)
	cfg := &Config{Data: data, LogLevel: "warn", NoDefaults: true}
	app, err := openApp(ctx, cfg, newLogger(cfg, os.Stderr))
	if err != nil {
		return nil, err
	}
	defer app.Close()
	start := time.Now()
	for i := 0; i < len(corpus); i += 1000 {
		if _, err := app.Service.Put(ctx, corpus[i:min(i+1000, len(corpus))], search.Change{Author: "eval"}); err != nil {
			return nil, err
		}
	}
	// Queries read a settled index of one segment (see index.Compact;
	// scores no longer depend on the segment layout either way).
	if err := app.Index.Compact(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "indexed %d documents in %s\n", len(corpus), time.Since(start).Round(time.Millisecond))

	run := map[string][]string{}
	for _, q := range queries {
		ids, scores, err := rankAll(ctx, app.Service, q.text, depth)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", q.id, err)
		}
		run[q.id] = ids
		for i, id := range ids {
			fmt.Fprintf(out, "%s Q0 %s %d %.6f stocktaking\n", q.id, id, i+1, scores[i])
		}
	}
	return &evalResult{metrics: evaluate(run, qrels), Docs: len(corpus), Asked: len(queries)}, nil
}

// rankAll pages through the ranked results of a user query.
func rankAll(ctx context.Context, svc *search.Service, text string, depth int) ([]string, []float64, error) {
	var ids []string
	var scores []float64
	for page := 1; len(ids) < depth; page++ {
		req := &search.Request{Text: text, Page: page, Size: search.MaxPageSize, NoFacets: true}
		res, err := svc.Search(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		for _, h := range res.Hits {
			if len(ids) < depth {
				ids = append(ids, h.ID)
				scores = append(scores, h.Score)
			}
		}
		if len(res.Hits) < req.Size || page*req.Size >= res.Total {
			break
		}
	}
	return ids, scores, nil
}

type beirQuery struct{ id, text string }

func readBEIRCorpus(path string) ([]*search.Entry, error) {
	var out []*search.Entry
	err := readJSONLines(path, func(line int, raw []byte) error {
		var d struct {
			ID    string `json:"_id"`
			Title string `json:"title"`
			Text  string `json:"text"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		title := strings.TrimSpace(d.Title)
		if title == "" {
			title = "(untitled " + d.ID + ")"
		}
		e := &search.Entry{
			ID: d.ID, Title: title, Description: d.Text,
			// A test collection has no organisation; "—" satisfies
			// validation without adding a searchable word to every document.
			Organization: "—", Stakeholder: "academia", Country: search.CountryInternational,
			Year: 2026, ActionLines: []string{"C3"}, Language: "en",
		}
		search.Normalize(e)
		if err := search.Validate(e); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

func readBEIRQueries(path string) ([]beirQuery, error) {
	var out []beirQuery
	err := readJSONLines(path, func(line int, raw []byte) error {
		var q struct {
			ID   string `json:"_id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(raw, &q); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, beirQuery{q.ID, q.Text})
		return nil
	})
	return out, err
}

func readJSONLines(path string, fn func(line int, raw []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		if err := fn(n, sc.Bytes()); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return sc.Err()
}

// readQrels reads BEIR qrels: query-id, corpus-id, graded gain, with a header.
func readQrels(path string) (map[string]map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		parts := strings.Split(strings.TrimSpace(sc.Text()), "\t")
		if len(parts) != 3 || (n == 1 && parts[0] == "query-id") {
			continue
		}
		g, err := strconv.Atoi(parts[2])
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		if out[parts[0]] == nil {
			out[parts[0]] = map[string]int{}
		}
		out[parts[0]][parts[1]] = g
	}
	return out, sc.Err()
}

// sortedKeys returns a map's keys in order, for deterministic loops.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
