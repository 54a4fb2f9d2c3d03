package ui

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// cachePages are the public pages pageCache covers.
var cachePages = []string{
	"/", "/search?q=health", "/entries/e2", "/explore", "/showcase",
	"/report?q=health", "/shortlist", "/shortlist?ids=e2,e4",
}

// countingIndex counts the searches and statistics that reach the index.
type countingIndex struct {
	*pageFakeIndex
	calls int
}

func (x *countingIndex) Search(ctx context.Context, req *search.Request) (*search.Result, error) {
	x.calls++
	return x.pageFakeIndex.Search(ctx, req)
}

func (x *countingIndex) Stats(ctx context.Context, req *search.Request) (*search.Stats, error) {
	x.calls++
	return x.pageFakeIndex.Stats(ctx, req)
}

// newCacheServer is a page server whose index counts its calls and whose
// report clock is fixed.
func newCacheServer(t *testing.T) (*Server, *countingIndex) {
	t.Helper()
	var ci *countingIndex
	s, _, _ := newPageServerWith(t, pageEntries(), func(c *Config) {
		ci = &countingIndex{pageFakeIndex: c.Service.Index.(*pageFakeIndex)}
		c.Service.Index, c.Stats = ci, ci
	})
	s.now = func() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }
	return s, ci
}

// doPage sends method target with header pairs and reads the answer.
func doPage(t *testing.T, s *Server, method, target string, header ...string) pageResp {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, target, err)
	}
	return pageResp{status: resp.StatusCode, body: string(body), header: resp.Header}
}

// TestPageCacheTags: every page is tagged, revalidates, answers 304 to its
// own tag without searching, and HEAD gives the same headers and no body.
func TestPageCacheTags(t *testing.T) {
	s, ci := newCacheServer(t)
	for _, target := range cachePages {
		r := doPage(t, s, http.MethodGet, target)
		etag := r.header.Get("ETag")
		if r.status != 200 || !strings.HasPrefix(etag, `W/"p0-`) {
			t.Errorf("GET %s: %d, ETag %q; want 200 and W/\"p0-…", target, r.status, etag)
			continue
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", target, cc)
		}
		vary := strings.Join(r.header.Values("Vary"), ",")
		if !strings.Contains(vary, "Accept-Language") || !strings.Contains(vary, "Cookie") {
			t.Errorf("GET %s: Vary %q, want Accept-Language and Cookie", target, vary)
		}

		if again := doPage(t, s, http.MethodGet, target).header.Get("ETag"); again != etag {
			t.Errorf("GET %s twice: ETag %q then %q", target, etag, again)
		}
		before := ci.calls
		nm := doPage(t, s, http.MethodGet, target, "If-None-Match", `"x", `+etag)
		if nm.status != 304 || nm.body != "" || nm.header.Get("ETag") != etag || nm.header.Get("Cache-Control") != "no-cache" {
			t.Errorf("GET %s If-None-Match: %d, %d bytes, ETag %q, Cache-Control %q; want 304, none, %q, no-cache",
				target, nm.status, len(nm.body), nm.header.Get("ETag"), nm.header.Get("Cache-Control"), etag)
		}
		if ci.calls != before {
			t.Errorf("GET %s If-None-Match: the index was asked %d times, want 0", target, ci.calls-before)
		}
		if strong := doPage(t, s, http.MethodGet, target, "If-None-Match", strings.TrimPrefix(etag, "W/")); strong.status != 304 {
			t.Errorf("GET %s If-None-Match without W/: %d, want 304 (weak comparison)", target, strong.status)
		}

		h := doPage(t, s, http.MethodHead, target)
		if h.status != 200 || h.body != "" || h.header.Get("ETag") != etag ||
			h.header.Get("Content-Type") != r.header.Get("Content-Type") || h.header.Get("Cache-Control") != "no-cache" {
			t.Errorf("HEAD %s: %d, %d bytes, ETag %q, Content-Type %q; want 200, none, %q, %q",
				target, h.status, len(h.body), h.header.Get("ETag"), h.header.Get("Content-Type"), etag, r.header.Get("Content-Type"))
		}
		if h := doPage(t, s, http.MethodHead, target, "If-None-Match", etag); h.status != 304 || h.body != "" {
			t.Errorf("HEAD %s If-None-Match: %d, %d bytes; want 304, none", target, h.status, len(h.body))
		}
	}
}

// TestPageCacheChanges: the tag changes with the index, the language, the
// shortlist cookie and the report's day, and an old tag then gets the page.
func TestPageCacheChanges(t *testing.T) {
	s, _ := newCacheServer(t)
	tag := func(target string, header ...string) string {
		t.Helper()
		r := doPage(t, s, http.MethodGet, target, header...)
		if r.status != 200 || r.header.Get("ETag") == "" {
			t.Fatalf("GET %s %v: %d, ETag %q", target, header, r.status, r.header.Get("ETag"))
		}
		return r.header.Get("ETag")
	}
	mustDiffer := func(what, target, old, now string, header ...string) {
		t.Helper()
		if now == old {
			t.Errorf("%s: GET %s keeps ETag %q", what, target, old)
		}
		if r := doPage(t, s, http.MethodGet, target, append(header, "If-None-Match", old)...); r.status != 200 {
			t.Errorf("%s: GET %s with the old tag: %d, want 200", what, target, r.status)
		}
	}

	// an index change: an entry written through the service
	olds := map[string]string{}
	for _, target := range cachePages {
		olds[target] = tag(target)
	}
	e := *pageEntries()[1]
	e.Title = "Digital health records for rural clinics, second edition"
	if _, err := s.cfg.Service.Put(context.Background(), []*search.Entry{&e}, search.Change{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, target := range cachePages {
		now := tag(target)
		mustDiffer("index change", target, olds[target], now)
		if !strings.HasPrefix(now, `W/"p1-`) {
			t.Errorf("after the write: GET %s ETag %q, want generation 1", target, now)
		}
	}

	// the language: Accept-Language picks it, the URL overrides it
	en := tag("/search?q=health", "Accept-Language", "en-GB")
	fr := tag("/search?q=health", "Accept-Language", "fr-FR,fr;q=0.9")
	mustDiffer("language", "/search?q=health", en, fr, "Accept-Language", "fr-FR,fr;q=0.9")
	if other := tag("/search?q=health", "Accept-Language", "fr"); other != fr {
		t.Errorf("Accept-Language fr and fr-FR choose the same page: ETag %q and %q", other, fr)
	}
	// the URL's language rules: the header no longer changes the tag
	ar := tag("/search?q=health&lang=ar", "Accept-Language", "fr")
	if ar == fr || ar != tag("/search?q=health&lang=ar") {
		t.Errorf("lang=ar: ETag %q with Accept-Language fr, %q without", ar, tag("/search?q=health&lang=ar"))
	}

	// the shortlist cookie: the nav's count and the "in shortlist" buttons
	none := tag("/search?q=health")
	mine := tag("/search?q=health", "Cookie", shortlistCookieName+"=e2")
	mustDiffer("shortlist cookie", "/search?q=health", none, mine, "Cookie", shortlistCookieName+"=e2")
	more := tag("/search?q=health", "Cookie", shortlistCookieName+"=e2"+shortlistSep+"e5")
	mustDiffer("shortlist cookie", "/search?q=health", mine, more, "Cookie", shortlistCookieName+"=e2"+shortlistSep+"e5")
	if other := tag("/search?q=health", "Cookie", shortlistCookieName+"=e2; theme=dark"); other != mine {
		t.Errorf("another cookie changed the tag: %q, want %q", other, mine)
	}

	// the report prints its day
	day := tag("/report?q=health")
	s.now = func() time.Time { return time.Date(2025, 3, 2, 0, 0, 1, 0, time.UTC) }
	mustDiffer("next day", "/report?q=health", day, tag("/report?q=health"))
	if got := tag("/search?q=health"); got != none {
		t.Errorf("the search page changed with the day: %q, want %q", got, none)
	}
}

// TestPageCacheNoTag: error pages and degraded pages are not tagged.
func TestPageCacheNoTag(t *testing.T) {
	s, _ := newCacheServer(t)
	for _, tt := range []struct {
		target string
		status int
	}{
		{"/entries/nope", 404},
		{"/search?sort=sideways", 400},
		{"/showcase?year=1900", 400},
		{"/shortlist?add=e2", 303},
	} {
		for _, inm := range []string{"", "*"} {
			r := doPage(t, s, http.MethodGet, tt.target, "If-None-Match", inm)
			if r.status != tt.status || r.header.Get("ETag") != "" {
				t.Errorf("GET %s (If-None-Match %q): %d, ETag %q; want %d and none", tt.target, inm, r.status, r.header.Get("ETag"), tt.status)
			}
		}
	}

	// similar entries left out (the server busy): served, but not tagged
	s2, _, idx := newPageServer(t, pageEntries())
	idx.similarErr = search.Errorf(search.EUNAVAILABLE, "busy")
	r := doPage(t, s2, http.MethodGet, "/entries/e2")
	if r.status != 200 || r.header.Get("ETag") != "" {
		t.Errorf("entry without its similar entries: %d, ETag %q; want 200 and none", r.status, r.header.Get("ETag"))
	}
	idx.similarErr = nil
	if r := doPage(t, s2, http.MethodGet, "/entries/e2"); r.header.Get("ETag") == "" {
		t.Errorf("entry with its similar entries: no ETag")
	}
}

// TestStaticCache: a static file's ETag is its content hash, under its
// current URL and a stale one, and a revalidation gets 304.
func TestStaticCache(t *testing.T) {
	s, _ := newCacheServer(t)
	cur := staticURL("app.css")
	hash := assets.static["app.css"].hash
	for _, tt := range []struct {
		target, cacheControl string
	}{
		{cur, "public, max-age=31536000, immutable"},
		{"/static/0123456789ab/app.css", "no-cache"},
	} {
		r := doPage(t, s, http.MethodGet, tt.target)
		if r.status != 200 || r.header.Get("ETag") != `"`+hash+`"` || r.header.Get("Cache-Control") != tt.cacheControl || r.body == "" {
			t.Errorf("GET %s: %d, ETag %q, Cache-Control %q; want 200, %q, %q", tt.target, r.status,
				r.header.Get("ETag"), r.header.Get("Cache-Control"), `"`+hash+`"`, tt.cacheControl)
		}
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			nm := doPage(t, s, method, tt.target, "If-None-Match", `"`+hash+`"`)
			if nm.status != 304 || nm.body != "" || nm.header.Get("ETag") != `"`+hash+`"` || nm.header.Get("Cache-Control") != tt.cacheControl {
				t.Errorf("%s %s If-None-Match: %d, %d bytes, ETag %q, Cache-Control %q; want 304", method, tt.target,
					nm.status, len(nm.body), nm.header.Get("ETag"), nm.header.Get("Cache-Control"))
			}
		}
		if other := doPage(t, s, http.MethodGet, tt.target, "If-None-Match", `"ffffffffffff"`); other.status != 200 {
			t.Errorf("GET %s with another file's tag: %d, want 200", tt.target, other.status)
		}
	}
	if r := doPage(t, s, http.MethodGet, "/static/"+hash+"/nope.css", "If-None-Match", `"`+hash+`"`); r.status != 404 || r.header.Get("ETag") != "" {
		t.Errorf("missing static file: %d, ETag %q; want 404 and none", r.status, r.header.Get("ETag"))
	}
}
