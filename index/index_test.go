package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/search"
)

func handEntries() []*search.Entry {
	at := func(y int) time.Time { return time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC) }
	return []*search.Entry{
		{ID: "a1", Title: "En TIC Confío", Organization: "MinTIC Colombia", Country: "COL", Region: "americas",
			Stakeholder: "government", Year: 2015, Language: "es", ActionLines: []string{"C5"}, SDGs: []int{16},
			Description: "Programa de confianza digital para niños y familias.", Created: at(2015)},
		{ID: "a2", Title: "Rural broadband for schools", Organization: "Connect Kenya", Country: "KEN", Region: "africa",
			Stakeholder: "civil-society", Year: 2019, Language: "en", ActionLines: []string{"C2", "C7.3"}, SDGs: []int{4, 9},
			Description: "Connecting rural schools to broadband networks; teachers trained in digital skills.", Created: at(2019)},
		{ID: "a3", Title: "Telemedicine clinics", Organization: "Health Net", Country: "IND", Region: "asia-pacific",
			Stakeholder: "private-sector", Year: 2021, Language: "en", ActionLines: []string{"C7.4"}, SDGs: []int{3},
			Description: "Remote clinics connect rural patients with doctors. <script>alert('x')</script> & more.", Created: at(2021)},
		{ID: "a4", Title: "Digital skills for women", Organization: "Women Connect", Country: "KEN", Region: "africa",
			Stakeholder: "civil-society", Year: 2021, Language: "en", ActionLines: []string{"C4"}, SDGs: []int{5},
			Collections: []string{"women-in-tech"}, Prizes: []search.Prize{{Year: 2022, Category: 4, Status: "winner"}},
			Description: "Training women in digital skills and coding.", Created: at(2021).Add(time.Hour)},
	}
}

func ids(res *search.Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchQueries(t *testing.T) {
	ix := mustOpen(t, handEntries())
	term := func(s string) *search.Query { return &search.Query{Kind: search.NodeTerm, Text: s} }
	not := func(q *search.Query) *search.Query {
		return &search.Query{Kind: search.NodeNot, Children: []*search.Query{q}}
	}
	tests := []struct {
		name string
		q    *search.Query
		want []string // sorted
	}{
		{"accent folding", term("confio"), []string{"a1"}},
		{"accented query", term("Confío"), []string{"a1"}},
		{"stemming", term("connected"), []string{"a2", "a3", "a4"}},
		{"phrase", &search.Query{Kind: search.NodePhrase, Text: "digital skills"}, []string{"a2", "a4"}},
		{"phrase order", &search.Query{Kind: search.NodePhrase, Text: "skills digital"}, nil},
		{"prefix", &search.Query{Kind: search.NodePrefix, Text: "telemed"}, []string{"a3"}},
		{"title scope", &search.Query{Kind: search.NodeTerm, Field: "title", Text: "digital"}, []string{"a4"}},
		{"org scope", &search.Query{Kind: search.NodeTerm, Field: "org", Text: "connect"}, []string{"a2", "a4"}},
		{"and not", &search.Query{Kind: search.NodeAnd, Children: []*search.Query{term("rural"), not(term("schools"))}}, []string{"a3"}},
		{"or", &search.Query{Kind: search.NodeOr, Children: []*search.Query{term("telemedicine"), term("confio")}}, []string{"a1", "a3"}},
		{"not alone", not(term("rural")), []string{"a1", "a4"}},
		{"filter node", &search.Query{Kind: search.NodeFilter, Field: "country", Text: "ken"}, []string{"a2", "a4"}},
		{"action line parent", &search.Query{Kind: search.NodeFilter, Field: "action_line", Text: "C7"}, []string{"a2", "a3"}},
		{"year range", &search.Query{Kind: search.NodeYearRange, From: 2019, To: 2020}, []string{"a2"}},
		{"stop word only", term("the"), nil},
		{"match all", &search.Query{Kind: search.NodeMatchAll}, []string{"a1", "a2", "a3", "a4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), &search.Request{Query: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) || res.Total != len(tt.want) {
				t.Errorf("Search(%s) = %v (total %d), want %v", tt.q, got, res.Total, tt.want)
			}
		})
	}
}

func TestRankingTitleFirst(t *testing.T) {
	ix := mustOpen(t, []*search.Entry{
		{ID: "d", Title: "Other", Organization: "Someone", Description: "About solar power and more words here."},
		{ID: "o", Title: "Other", Organization: "Solar Org", Description: "More words here and there."},
		{ID: "t", Title: "Solar villages", Organization: "Someone", Description: "More words here and there."},
	})
	res, err := ix.Search(context.Background(), &search.Request{Text: "solar"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Equal(got, []string{"t", "o", "d"}) {
		t.Errorf("Search(solar) = %v, want [t o d]", got)
	}
	if res.Hits[0].Score <= res.Hits[1].Score {
		t.Errorf("scores %v, %v: title match should score higher", res.Hits[0].Score, res.Hits[1].Score)
	}
}

func TestSortAndPaging(t *testing.T) {
	entries := genEntries(3, 120)
	ix := mustOpen(t, entries)
	byID := map[string]*search.Entry{}
	for _, e := range entries {
		byID[e.ID] = e
	}
	tests := []struct {
		sort string
		less func(a, b *search.Entry) int
	}{
		{search.SortRelevance, func(a, b *search.Entry) int { return strings.Compare(a.ID, b.ID) }},
		{search.SortTitle, func(a, b *search.Entry) int {
			return cmpThen(strings.Compare(titleKey(a.Title), titleKey(b.Title)), a, b)
		}},
		{search.SortOldest, func(a, b *search.Entry) int {
			return cmpThen(strings.Compare(dateKey(a.Year, a.Created), dateKey(b.Year, b.Created)), a, b)
		}},
		{search.SortNewest, func(a, b *search.Entry) int {
			return cmpThen(strings.Compare(dateKey(b.Year, b.Created), dateKey(a.Year, a.Created)), a, b)
		}},
	}
	for _, tt := range tests {
		want := slices.Clone(entries)
		slices.SortFunc(want, tt.less)
		var got []string
		for page := 1; page <= 5; page++ {
			res, err := ix.Search(context.Background(), &search.Request{Sort: tt.sort, Page: page, Size: 25, NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != len(entries) {
				t.Fatalf("sort %s: total %d, want %d", tt.sort, res.Total, len(entries))
			}
			got = append(got, ids(res)...)
		}
		for i, id := range got {
			if id != want[i].ID {
				t.Fatalf("sort %s: position %d = %s, want %s", tt.sort, i, id, want[i].ID)
			}
			if h := byID[id]; i == 0 && h.Title == "" {
				t.Fatalf("empty hit")
			}
		}
		if len(got) != len(entries) {
			t.Fatalf("sort %s: %d hits over 5 pages, want %d", tt.sort, len(got), len(entries))
		}
	}
	// relevance ranking with a text query: scores never increase, ties by id
	res, err := ix.Search(context.Background(), &search.Request{Text: "digital", Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(res.Hits); i++ {
		a, b := res.Hits[i-1], res.Hits[i]
		if a.Score < b.Score || a.Score == b.Score && a.ID > b.ID {
			t.Fatalf("hits %d,%d out of order: %v %s, %v %s", i-1, i, a.Score, a.ID, b.Score, b.ID)
		}
	}
}

func cmpThen(c int, a, b *search.Entry) int {
	if c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func TestHitFieldsAndSnippet(t *testing.T) {
	ix := mustOpen(t, handEntries())
	res, err := ix.Search(context.Background(), &search.Request{Text: "clinics", Snippets: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %v", ids(res))
	}
	h := res.Hits[0]
	if h.Title != "Telemedicine clinics" || h.Organization != "Health Net" || h.Country != "IND" ||
		h.Region != "asia-pacific" || h.Stakeholder != "private-sector" || h.Year != 2021 ||
		!slices.Equal(h.ActionLines, []string{"C7.4"}) || !slices.Equal(h.SDGs, []int{3}) {
		t.Errorf("hit = %+v", h)
	}
	want := "Remote <mark>clinics</mark> connect rural patients with doctors. &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more."
	if h.Snippet != want {
		t.Errorf("snippet = %q, want %q", h.Snippet, want)
	}
	res, err = ix.Search(context.Background(), &search.Request{Text: "skills", Snippets: true, Filters: search.Filters{Values: map[string][]string{"prize_status": {"winner"}}}})
	if err != nil || len(res.Hits) != 1 || len(res.Hits[0].Prizes) != 1 {
		t.Fatalf("prize hit: %v %+v", err, res)
	}
	if s := res.Hits[0].Snippet; !strings.Contains(s, "<mark>skills</mark>") {
		t.Errorf("snippet = %q", s)
	}
}

func TestSnippetWindow(t *testing.T) {
	ix := mustOpen(t, nil)
	h := newHighlighter(search.ParseQuery("broadband"), ix.builder.analyzers[textAnalyzer])
	text := strings.Repeat("filler words ", 40) + "rural broadband <b>now</b>" + strings.Repeat(" tail", 60)
	got := h.snippet([]byte(text))
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "<mark>broadband</mark> &lt;b&gt;now&lt;/b&gt;") {
		t.Errorf("snippet = %q", got)
	}
	if len(got) > snippetLen+40 {
		t.Errorf("snippet is %d bytes", len(got))
	}
}

func TestFacetsSelectedAndLabels(t *testing.T) {
	ix := mustOpen(t, handEntries())
	req := &search.Request{Filters: search.Filters{Values: map[string][]string{
		"country": {"KEN", "ZZZ"}, "action_line": {"C7"}}}}
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != "a2" {
		t.Fatalf("hits = %v", ids(res))
	}
	find := func(f, v string) search.FacetValue {
		for _, fv := range res.Facets[f] {
			if fv.Value == v {
				return fv
			}
		}
		t.Fatalf("facet %s has no %s: %+v", f, v, res.Facets[f])
		return search.FacetValue{}
	}
	if fv := find("country", "ZZZ"); !fv.Selected || fv.Count != 0 {
		t.Errorf("ZZZ = %+v, want selected with 0", fv)
	}
	if fv := find("country", "IND"); fv.Selected || fv.Count != 1 { // disjunctive: C7 holds a2 (KEN) and a3 (IND)
		t.Errorf("IND = %+v", fv)
	}
	if fv := find("action_line", "C7.3"); fv.Parent != "C7" || fv.Label == "" {
		t.Errorf("C7.3 = %+v", fv)
	}
	if fv := find("sdg", "4"); fv.Color == "" {
		t.Errorf("sdg 4 = %+v, want a colour", fv)
	}
	vals, err := ix.FacetValues(context.Background(), &search.Request{}, FacetOrganization, "conn", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 2 || vals[0].Value != "Connect Kenya" || vals[1].Value != "Women Connect" {
		t.Errorf("FacetValues(organization, conn) = %+v", vals)
	}
	vals, err = ix.FacetValues(context.Background(), &search.Request{Text: "digital"}, search.FacetCountry, "ken", 10)
	if err != nil || len(vals) != 1 || vals[0].Count != 2 {
		t.Errorf("FacetValues(country, ken) = %+v, %v", vals, err)
	}
}

func TestReopenRebuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	open := func() (*Index, bool, string) {
		ix, rebuild, reason, err := Open(dir, Options{Logger: zerolog.Nop()})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return ix, rebuild, reason
	}
	ix, rebuild, reason := open()
	if !rebuild || reason != "index missing" {
		t.Fatalf("first Open: rebuild=%v reason=%q", rebuild, reason)
	}
	if err := ix.Apply(handEntries(), 42); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	// Without MarkBuilt, the build counts as cut short.
	ix, rebuild, reason = open()
	if !rebuild || reason != "index build did not finish" || ix.Seq() != 0 {
		t.Fatalf("reopen unfinished: rebuild=%v reason=%q seq=%d", rebuild, reason, ix.Seq())
	}
	if err := ix.Apply(handEntries(), 42); err != nil {
		t.Fatal(err)
	}
	if err := ix.MarkBuilt(); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	ix, rebuild, reason = open()
	if rebuild || ix.Seq() != 42 {
		t.Fatalf("reopen: rebuild=%v (%s) seq=%d, want false 42", rebuild, reason, ix.Seq())
	}
	if n, _ := ix.Count(); n != 4 {
		t.Fatalf("reopen: count %d, want 4", n)
	}
	b := ix.Bleve().NewBatch()
	b.SetInternal(keyMappingVersion, []byte("0"))
	if err := ix.cur.Load().commit(b, true); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	ix, rebuild, reason = open()
	if !rebuild || !strings.Contains(reason, "mapping version 0") {
		t.Fatalf("old version: rebuild=%v reason=%q", rebuild, reason)
	}
	if n, _ := ix.Count(); n != 0 || ix.Seq() != 0 {
		t.Fatalf("rebuilt index: count %d seq %d, want empty", n, ix.Seq())
	}
	if err := ix.MarkBuilt(); err != nil {
		t.Fatal(err)
	}
	gen := ix.cur.Load().dir
	ix.Close()

	if err := os.WriteFile(filepath.Join(gen, "index_meta.json"), []byte("{garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, rebuild, reason = open()
	if !rebuild || !strings.Contains(reason, "unreadable") {
		t.Fatalf("corrupt: rebuild=%v reason=%q", rebuild, reason)
	}
	if _, err := ix.Search(context.Background(), &search.Request{}); err != nil {
		t.Fatalf("search after rebuild: %v", err)
	}
	ix.Close()
}

func TestSearchDeadline(t *testing.T) {
	ix := mustOpen(t, genEntries(5, 3000))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ix.Search(ctx, &search.Request{Text: "digital"})
	if search.ErrorCode(err) != search.EUNAVAILABLE {
		t.Errorf("Search with a cancelled context: %v, want %s", err, search.EUNAVAILABLE)
	}
}
