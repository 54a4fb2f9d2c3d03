package ui

import (
	"fmt"
	"hash/fnv"
	"io/fs"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// pagesVersion is a hash of everything embedded that a page is made from
// (templates, locales, static files), so that a new build whose version
// string did not change ("dev") still changes every page's ETag.
var pagesVersion = sync.OnceValue(func() string {
	h := fnv.New64a()
	for _, fsys := range []fs.FS{templateFS, localeFS, staticFS} {
		_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, path)
			h.Write([]byte(path))
			h.Write(b)
			return err
		})
	}
	return fmt.Sprintf("%016x", h.Sum64())
})

// pageNoETag is the Locals key a page handler sets when it served a
// degraded page (a section left out because the server was busy): such a
// page is not tagged, so the next visit renders it afresh.
const pageNoETag = "page-no-etag"

// pageCache makes a public page revalidate on every visit and answers 304,
// before any search runs, when the reader holds the current version. The
// weak ETag covers everything the page is rendered from: the index
// generation, the program version and its embedded templates, locales and
// static files, the full URL, the chosen language
// (from the URL or Accept-Language), the shortlist cookie, the public
// origin (printed in links to copy) and, for pages that print it, the
// date. The pages it covers read no session and carry no CSRF token.
// Only 200 answers are tagged; error pages are not.
func (s *Server) pageCache(c *fiber.Ctx) error {
	if s.api == nil || s.api.cfg.Generation == nil {
		return c.Next()
	}
	etag := s.pageETag(c)
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
	if pageTagListed(c.Get(fiber.HeaderIfNoneMatch), etag) {
		c.Set(fiber.HeaderETag, etag)
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.SendStatus(fiber.StatusNotModified)
	}
	if err := c.Next(); err != nil {
		return err
	}
	if c.Response().StatusCode() != fiber.StatusOK || c.Locals(pageNoETag) != nil {
		return nil
	}
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return nil
}

// pageETag is W/"p<generation>-<hash of the page's other inputs>".
func (s *Server) pageETag(c *fiber.Ctx) string {
	lang, _ := pickLang(c)
	day := ""
	if c.Path() == "/report" { // the report prints the day it was made
		day = s.now().UTC().Format("2006-01-02")
	}
	h := fnv.New64a()
	for _, part := range []string{
		s.cfg.Version, pagesVersion(), c.OriginalURL(), lang,
		strings.Join(shortlistCookie(c), ","), s.baseURL(c), day,
	} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return fmt.Sprintf(`W/"p%d-%016x"`, s.api.cfg.Generation(), h.Sum64())
}

// pageTagListed reports whether If-None-Match lists etag (weak comparison).
// Unlike etagMatches it ignores "*": a page may not exist (404), and
// telling that apart would take the rendering the 304 is meant to save.
func pageTagListed(header, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}
