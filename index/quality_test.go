package index

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/fixtures"
	"github.com/itu-stocktaking/stocktaking/search"
)

var update = flag.Bool("update", false, "rewrite the goldens of testdata/quality")

// qualityCase is one search over the hand-written fixtures and what it must
// return. Top lists the first ids in order; Snippets maps an id to
// fragments its snippet must contain. Feature names what the case tests
// (typo, accent, language, synonym, escaping, suggestion, ranking) and
// Entry the entry it must find through that feature (the first of Top if
// empty; for a suggestion, the entry its DidYouMean finds); the case is
// also checked to depend on the feature (see needsFeature).
type qualityCase struct {
	Name       string              `json:"name"`
	Query      string              `json:"q"`
	Feature    string              `json:"feature"`
	Entry      string              `json:"entry,omitempty"`
	Total      int                 `json:"total"`
	Top        []string            `json:"top"`
	Snippets   map[string][]string `json:"snippets,omitempty"`
	DidYouMean string              `json:"did_you_mean,omitempty"`
}

const qualityTop = 5 // ids kept in a golden's top list

func TestQuality(t *testing.T) {
	ix := mustOpen(t, fixtures.HandWritten())
	files, err := filepath.Glob(filepath.Join("testdata", "quality", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no quality cases: %v", err)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cases []qualityCase
		if err := json.Unmarshal(raw, &cases); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i := range cases {
			c := &cases[i]
			t.Run(strings.TrimSuffix(filepath.Base(file), ".json")+"/"+c.Name, func(t *testing.T) {
				res := qualitySearch(t, ix, c.Query)
				if *update {
					c.refresh(res)
					return
				}
				c.check(t, res)
				if c.Feature != "ranking" {
					needsFeature(t, ix, c, res)
				}
			})
		}
		if *update {
			out, err := json.MarshalIndent(cases, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, append(out, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func qualitySearch(t *testing.T, ix *Index, text string) *search.Result {
	t.Helper()
	res, err := ix.Search(context.Background(), &search.Request{Text: text, Size: 30, Snippets: true, NoFacets: true})
	if err != nil {
		t.Fatalf("Search(%q): %v", text, err)
	}
	return res
}

// refresh rewrites the golden parts of c from res; the fragments of the
// listed snippets become the whole snippets.
func (c *qualityCase) refresh(res *search.Result) {
	c.Total, c.DidYouMean = res.Total, res.DidYouMean
	c.Top = ids(res)[:min(qualityTop, len(res.Hits))]
	for id := range c.Snippets {
		c.Snippets[id] = nil
		for _, h := range res.Hits {
			if h.ID == id {
				c.Snippets[id] = []string{h.Snippet}
			}
		}
	}
}

func (c *qualityCase) check(t *testing.T, res *search.Result) {
	t.Helper()
	got := ids(res)
	if res.Total != c.Total {
		t.Errorf("Search(%q).Total = %d, want %d (ids %v)", c.Query, res.Total, c.Total, got)
	}
	if top := got[:min(len(c.Top), len(got))]; !slices.Equal(top, c.Top) {
		t.Errorf("Search(%q) top = %v, want %v", c.Query, top, c.Top)
	}
	if c.Entry != "" && c.Feature != "suggestion" && !slices.Contains(got, c.Entry) {
		t.Errorf("Search(%q) = %v, want %s among them", c.Query, got, c.Entry)
	}
	if res.DidYouMean != c.DidYouMean {
		t.Errorf("Search(%q).DidYouMean = %q, want %q", c.Query, res.DidYouMean, c.DidYouMean)
	}
	for id, frags := range c.Snippets {
		snip, found := "", false
		for _, h := range res.Hits {
			if h.ID == id {
				snip, found = h.Snippet, true
			}
		}
		if !found {
			t.Errorf("Search(%q) has no hit %s for its snippet", c.Query, id)
		}
		for _, f := range frags {
			if !strings.Contains(snip, f) {
				t.Errorf("Search(%q) snippet of %s = %q, want it to contain %q", c.Query, id, snip, f)
			}
		}
	}
}

// needsFeature checks that the case would fail without its feature: the
// case's first expected hit is not found without it.
func needsFeature(t *testing.T, ix *Index, c *qualityCase, res *search.Result) {
	t.Helper()
	id := c.Entry
	if id == "" && len(c.Top) > 0 {
		id = c.Top[0]
	}
	if id == "" {
		t.Fatalf("case %q expects no hit: nothing shows its feature", c.Name)
	}
	e := handWritten(t, id)
	text := strings.Join([]string{e.Title, e.Organization, e.ShortDescription, e.Description}, " ")
	switch c.Feature {
	case "typo", "synonym":
		// The literal reading has neither spelling correction nor synonyms.
		lit, err := ix.Search(context.Background(), &search.Request{Query: search.ParseQuery(c.Query), Size: 30, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(ids(lit), id) {
			t.Errorf("%s case %q: %s is found without the feature", c.Feature, c.Query, id)
		}
	case "accent":
		// Unfolded words: some query word is in the entry only with other accents or case.
		unfolded := wordSet(analyzeWith(t, "stk_plain_nofold", text))
		missing := false
		for _, w := range analyzeWith(t, "stk_plain_nofold", c.Query) {
			missing = missing || !unfolded[w]
		}
		if !missing {
			t.Errorf("accent case %q: every word of it is in %s as typed", c.Query, id)
		}
	case "language":
		// English analysis alone would not match the entry.
		doc := wordSet(analyzeWith(t, textAnalyzer, text))
		for _, w := range analyzeWith(t, textAnalyzer, c.Query) {
			if doc[w] {
				t.Errorf("language case %q: %q matches %s in English analysis", c.Query, w, id)
			}
		}
	case "suggestion":
		// The query as typed misses the entry; the correction offered finds it.
		if slices.Contains(ids(res), id) {
			t.Errorf("suggestion case %q: %s is found without the correction", c.Query, id)
		}
		if c.DidYouMean == "" {
			t.Errorf("suggestion case %q: no correction expected", c.Query)
		} else if fixed := qualitySearch(t, ix, c.DidYouMean); !slices.Contains(ids(fixed), id) {
			t.Errorf("suggestion case %q: its correction %q does not find %s", c.Query, c.DidYouMean, id)
		}
	case "escaping":
		if !strings.ContainsAny(text, "<>&\"") || !strings.Contains(strings.Join(c.Snippets[id], ""), "&") {
			t.Errorf("escaping case %q: %s has no markup to escape, or no escaped fragment is expected", c.Query, id)
		}
	default:
		t.Errorf("case %q: unknown feature %q", c.Name, c.Feature)
	}
}

func handWritten(t *testing.T, id string) *search.Entry {
	t.Helper()
	for _, e := range fixtures.HandWritten() {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no hand-written entry %s", id)
	return nil
}

// analyzeWith returns the terms of text; "stk_plain_nofold" is the
// language-neutral analyser without accent folding.
func analyzeWith(t *testing.T, name, text string) []string {
	t.Helper()
	var out []string
	if name == "stk_plain_nofold" {
		for _, tok := range snippetTokenizer.Tokenize([]byte(text)) {
			out = append(out, strings.ToLower(string(tok.Term)))
		}
		return out
	}
	for _, tok := range analyzerNamed(name).Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
	}
	return out
}

func wordSet(words []string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}
