package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/*
var staticFS embed.FS

// pageTemplates are the page templates; each is parsed together with
// layout.html and partials.html and rendered through "layout".
var pageTemplates = []string{"search", "entry", "error", "explore", "showcase", "shortlist", "report", "analytics"}

// contentSecurityPolicy allows nothing but this origin, and no inline
// script or style: the pages need neither.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// staticFile is one embedded asset, served under /static/<hash>/<name>.
type staticFile struct {
	body  []byte
	hash  string
	ctype string
}

// assets hold what every Server renders with. They come from embedded
// files only, so they are built once per process and shared read-only.
var assets struct {
	once      sync.Once
	err       error
	pages     map[string]*template.Template
	static    map[string]*staticFile
	locales   map[string]*locale
	countries countryNames
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// loadTemplates parses every embedded template, reads the locales and
// hashes the static files; a broken template fails the start.
func (s *Server) loadTemplates() error {
	assets.once.Do(func() { assets.err = loadAssets() })
	return assets.err
}

func loadAssets() error {
	static, err := loadStatic()
	if err != nil {
		return err
	}
	assets.static = static
	if assets.locales, err = loadLocales(); err != nil {
		return err
	}
	assets.countries = buildCountryNames()
	funcs := template.FuncMap{"static": staticURL}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return fmt.Errorf("parse layout: %w", err)
	}
	assets.pages = make(map[string]*template.Template, len(pageTemplates))
	for _, name := range pageTemplates {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("parse template %s: %w", name, err)
		}
		assets.pages[name] = t
	}
	return nil
}

// loadStatic reads the embedded static files, appends the generated SDG
// colour classes to app.css, and hashes each file.
func loadStatic() (map[string]*staticFile, error) {
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("read static: %w", err)
	}
	out := make(map[string]*staticFile, len(entries))
	for _, e := range entries {
		body, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("read static %s: %w", e.Name(), err)
		}
		if e.Name() == "app.css" {
			body = append(append([]byte(nil), body...), sdgCSS()...)
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(e.Name()))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		out[e.Name()] = &staticFile{body: body, hash: hex.EncodeToString(sum[:6]), ctype: ctype}
	}
	return out, nil
}

// sdgCSS is one class per SDG with its official colour and the text colour
// that keeps WCAG AA contrast.
func sdgCSS() string {
	var b strings.Builder
	b.WriteString("\n/* generated: official SDG colours */\n")
	for _, g := range search.SDGs {
		fmt.Fprintf(&b, ".sdg-%d{background:%s;color:%s;border-color:%s}\n", g.Number, g.Color, search.TextColor(g.Color), g.Color)
	}
	return b.String()
}

// staticURL is the content-addressed URL of an embedded static file.
func staticURL(name string) string {
	f, ok := assets.static[name]
	if !ok {
		return "/static/missing/" + name
	}
	return "/static/" + f.hash + "/" + name
}

// pageRoutes registers the routes of the pages' own assets.
func (s *Server) pageRoutes() {
	s.app.Get("/static/:hash/:name", s.handleStatic)
	// Browsers and feed readers ask for /favicon.ico whatever the page
	// says; they get the logo.
	s.app.Get("/favicon.ico", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
		return c.Redirect(staticURL("logo.svg"), fiber.StatusMovedPermanently)
	})
}

// handleStatic serves an embedded asset; the URL's hash makes it immutable.
// A stale hash still gets the current file, but without the long cache.
// Either way the ETag is the content hash (strong), so a revalidation
// gets 304 while the file is unchanged.
func (s *Server) handleStatic(c *fiber.Ctx) error {
	f, ok := assets.static[c.Params("name")]
	if !ok {
		return search.Errorf(search.ENOTFOUND, "no static file %q", c.Params("name"))
	}
	c.Set(fiber.HeaderContentType, f.ctype)
	c.Set("X-Content-Type-Options", "nosniff")
	if c.Params("hash") == f.hash {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	etag := `"` + f.hash + `"`
	c.Set(fiber.HeaderETag, etag)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(f.body)
}

// render executes a page template into a buffer and only then writes it,
// so that a template error never sends half a page.
func (s *Server) render(c *fiber.Ctx, status int, name string, view any) error {
	t, ok := assets.pages[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", view); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Response().SetBody(buf.Bytes()) // copies: the buffer goes back to the pool
	return nil
}

// Page is what every page's view carries: the language, the header's
// search box and the language switcher.
type Page struct {
	L     *locale
	Lang  string
	Dir   string
	Title string
	// MetaDescription is the page's meta description; the site's by default.
	MetaDescription string
	Q               string        // the header search box
	Hidden          []hiddenField // state the header search keeps (filters, sort, lang)
	Langs           []langLink
	Version         string
	// ExplicitLang is set when the URL chose the language: links carry it on.
	ExplicitLang bool
	// Nav is the main navigation between the pages.
	Nav []navLink
	// SubmitURL is the navigation's link to the submission form.
	SubmitURL string
	// Shortlist holds the ids of the reader's shortlist (from its cookie).
	Shortlist []string
	// BodyClass names the page for the stylesheets (print layout).
	BodyClass string
	// JSONLD is the page's schema.org description, rendered as a
	// <script type="application/ld+json"> data block (never executed).
	JSONLD template.JS
	// NoIndex asks search engines not to index the page (admin pages).
	NoIndex bool
}

// navLink is one item of the main navigation.
type navLink struct {
	Key, Label, URL string
	Current         bool
}

// navPages are the main navigation's pages, in order.
var navPages = []struct{ key, path string }{
	{"search", "/search"},
	{"explore", "/explore"},
	{"showcase", "/showcase"},
	{"shortlist", "/shortlist"},
}

// buildNav lists the main navigation, marking the current page; the search
// and explore links carry st (the query and filters) when it is not nil.
func (p *Page) buildNav(current string, st *searchState) {
	p.Nav = p.Nav[:0]
	for _, np := range navPages {
		u := np.path
		switch {
		case st != nil && (np.key == "search" || np.key == "explore"):
			u = st.withPage(0).urlAt(np.path)
		case p.ExplicitLang:
			u += "?lang=" + p.Lang
		}
		p.Nav = append(p.Nav, navLink{Key: np.key, Label: p.L.T("menu." + np.key), URL: u, Current: np.key == current})
	}
	p.SubmitURL = "/submit"
	if p.ExplicitLang {
		p.SubmitURL += "?lang=" + p.Lang
	}
}

// InShortlist reports whether the entry id is in the reader's shortlist.
func (p *Page) InShortlist(id string) bool {
	for _, x := range p.Shortlist {
		if x == id {
			return true
		}
	}
	return false
}

// urlLang is the language links carry on: the page's when the URL chose
// it, else "".
func (p *Page) urlLang() string {
	if p.ExplicitLang {
		return p.Lang
	}
	return ""
}

// entryURL is the link to an entry's page, in the language the URL chose.
func (p *Page) entryURL(id string) string {
	return "/entries/" + pathEscape(id) + langArg(p.urlLang(), "?")
}

// T translates a message key in the page's language.
func (p *Page) T(key string, args ...any) string { return p.L.T(key, args...) }

// hiddenField is one name=value pair a form carries on.
type hiddenField struct{ Name, Value string }

// langLink is one entry of the language switcher.
type langLink struct {
	Code, Name, URL string
	Current         bool
}

// newPage prepares the common part of a view in the request's language.
func (s *Server) newPage(c *fiber.Ctx, title string) Page {
	code, explicit := pickLang(c)
	if !explicit {
		c.Vary(fiber.HeaderAcceptLanguage)
	}
	c.Set(fiber.HeaderContentLanguage, code)
	l := assets.locales[code]
	p := Page{L: l, Lang: l.Code, Dir: l.Dir, Title: title, Version: s.cfg.Version, ExplicitLang: explicit}
	if explicit {
		p.Hidden = []hiddenField{{"lang", code}}
	}
	p.Shortlist = shortlistCookie(c)
	current := ""
	switch path := c.Path(); {
	case path == "/" || path == "/search":
		current = "search"
	case path == "/explore" || path == "/showcase" || path == "/shortlist":
		current = path[1:]
	}
	p.buildNav(current, nil)
	for _, lc := range pageLangs {
		p.Langs = append(p.Langs, langLink{
			Code:    lc,
			Name:    assets.locales[lc].Name,
			URL:     withLang(c, lc),
			Current: lc == code,
		})
	}
	return p
}

// withLang is the current URL with lang set to code, other parameters kept.
func withLang(c *fiber.Ctx, code string) string {
	var b strings.Builder
	b.WriteString(c.Path())
	sep := byte('?')
	for _, kv := range queryArgs(c) {
		if kv[0] == "lang" {
			continue
		}
		b.WriteByte(sep)
		b.WriteString(queryEscape(kv[0]) + "=" + queryEscape(kv[1]))
		sep = '&'
	}
	b.WriteByte(sep)
	b.WriteString("lang=" + code)
	return b.String()
}
