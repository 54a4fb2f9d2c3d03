package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// lifecycle holds the state of the data lifecycle routes: submissions,
// moderation, withdrawals, access tokens, imports and backups.
type lifecycle struct {
	s        *Server
	cfg      LifecycleConfig
	sessions *sessions
	limiter  *submitLimiter
	pages    *template.Template
	// writeMu serialises the writes of this process (approvals, withdrawals,
	// imports). search.Service.Put commits to the store, then applies to the
	// index, which records the store sequence it reached: two concurrent Puts
	// could reach the index in the other order than they committed, and a
	// crash between them would leave the index past an entry it never got,
	// which catch-up would then skip. It also keeps one approval's publish
	// and status change together; the status change is checked again inside
	// its transaction.
	writeMu sync.Mutex
}

// lifecycleRoutes registers the lifecycle routes. routes() must call it
// after the request middleware and before any catch-all of /api/v1, and
// before a middleware that refuses request bodies under /api.
//
// Write routes answer 405 with code read_only on a read replica (-read-only):
// the method is not allowed on this server, though it is on the primary.
func (s *Server) lifecycleRoutes() {
	l := &lifecycle{s: s, cfg: s.cfg.Lifecycle.withDefaults()}
	s.app.Get("/lifecycle.css", handleLifecycleCSS)
	l.sessions = newSessions(l.cfg.SessionTTL, l.cfg.Now)
	l.limiter = newSubmitLimiter(l.cfg.SubmitLimit, time.Hour, l.cfg.Now)
	l.pages = mustParseAdminTemplates()
	mod, admin := search.RoleModerator, search.RoleAdmin
	w, limit := l.writable, l.limitSubmissions
	app := s.app

	app.Post("/api/v1/submissions", w, limit, l.handleAPISubmit)
	app.Get("/api/v1/submissions", l.requireAPI(mod), l.handleAPISubmissions)
	app.Get("/api/v1/submissions/:ref", l.handleAPISubmission)
	app.Put("/api/v1/submissions/:ref", w, limit, l.handleAPIResubmit)
	app.Get("/api/v1/submissions/:ref/diff", l.requireAPI(mod), l.handleAPIDiff)
	for _, action := range decisions {
		app.Post("/api/v1/submissions/:ref/"+action, w, l.requireAPI(mod), l.handleAPIDecision(action))
	}
	app.Post("/api/v1/entries/:id/withdraw", w, l.requireAPI(mod), l.handleAPIWithdraw)
	app.Post("/api/v1/admin/backup", l.requireAPI(admin), l.handleAPIBackup)
	app.Post("/api/v1/admin/import", w, l.requireAPI(admin), l.handleAPIImport)
	app.Get("/api/v1/admin/tokens", l.requireAPI(admin), l.handleAPITokens)
	app.Post("/api/v1/admin/tokens", w, l.requireAPI(admin), l.handleAPICreateToken)
	app.Delete("/api/v1/admin/tokens/:name", w, l.requireAPI(admin), l.handleAPIRevokeToken)
	for path, allow := range map[string]string{
		"/api/v1/submissions":           "GET, HEAD, POST",
		"/api/v1/submissions/:ref":      "GET, HEAD, PUT",
		"/api/v1/submissions/:ref/diff": "GET, HEAD",
		"/api/v1/entries/:id/withdraw":  "POST",
		"/api/v1/admin/backup":          "POST",
		"/api/v1/admin/import":          "POST",
		"/api/v1/admin/tokens":          "GET, HEAD, POST",
		"/api/v1/admin/tokens/:name":    "DELETE",
	} {
		methodsRoute(app, path, allow)
	}
	for _, action := range decisions {
		methodsRoute(app, "/api/v1/submissions/:ref/"+action, "POST")
	}

	app.Get("/submit", l.handleSubmitPage)
	app.Post("/submit", w, limit, l.handleSubmitForm)
	app.Get("/submit/:ref", l.handleSubmissionPage)
	app.Get("/signin", l.handleSignInPage)
	app.Post("/signin", l.handleSignIn)
	app.Post("/signout", l.handleSignOut)
	app.Get("/moderation", l.requirePage(mod), l.handleModerationPage)
	// before /moderation/:ref, which would take it (refs are 26 letters)
	app.Post("/moderation/withdraw", w, l.requirePage(mod), l.handleWithdrawForm)
	app.Get("/moderation/:ref", l.requirePage(mod), l.handleModerationItemPage)
	app.Post("/moderation/:ref", w, l.requirePage(mod), l.handleModerationForm)
	app.Get("/admin/analytics", l.requirePage(admin), s.handleAnalyticsPage)
}

// submissions returns the submission store, or 503 when there is none.
func (l *lifecycle) submissions() (search.SubmissionStore, error) {
	if l.cfg.Submissions == nil {
		return nil, search.Errorf(search.EUNAVAILABLE, "submissions are not enabled on this server")
	}
	return l.cfg.Submissions, nil
}

// service returns the search service, or 503 when there is none.
func (l *lifecycle) service() (*search.Service, error) {
	if l.s.cfg.Service == nil || l.s.cfg.Service.Store == nil || l.s.cfg.Service.Index == nil {
		return nil, search.Errorf(search.EUNAVAILABLE, "the search service is not available")
	}
	return l.s.cfg.Service, nil
}

// param returns a copy of the route parameter name: fiber reuses the buffer.
func param(c *fiber.Ctx, name string) string {
	return string(append([]byte(nil), c.Params(name)...))
}

//go:embed admin_templates/*.html
var adminTemplateFS embed.FS

//go:embed admin_templates/lifecycle.css
var lifecycleCSS []byte

// handleLifecycleCSS serves the stylesheet of the lifecycle pages (a file,
// not an inline <style>, so the CSP needs no 'unsafe-inline').
func handleLifecycleCSS(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(lifecycleCSS)
}

// mustParseAdminTemplates parses the lifecycle pages at start-up; a broken
// template is a programming error caught by every test that builds a Server.
func mustParseAdminTemplates() *template.Template {
	funcs := template.FuncMap{"field": textField, "choice": choiceField, "static": staticURL}
	return template.Must(template.New("").Funcs(funcs).ParseFS(adminTemplateFS, "admin_templates/*.html"))
}

// render executes the page template name into a buffer, then sends it, so a
// template error never sends half a page. Lifecycle pages are private to
// their reader (a reference, a session): never cached, never framed, and
// never leaking their URL to linked sites.
func (l *lifecycle) render(c *fiber.Ctx, status int, name string, view any) error {
	if v, ok := view.(interface{ base() *pageBase }); ok {
		l.fillFrame(c, v.base(), name)
	}
	var buf bytes.Buffer
	if err := l.pages.ExecuteTemplate(&buf, name, view); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	return c.Status(status).Send(buf.Bytes())
}
