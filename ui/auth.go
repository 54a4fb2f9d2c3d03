package ui

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Cookie and form names of the access control.
const (
	cookieSession = "stk_session"
	cookieCSRF    = "stk_csrf"
	fieldCSRF     = "csrf"
	localToken    = "lifecycle_token"   // *search.Token of the request
	localSession  = "lifecycle_session" // *session of the request, pages only
)

// randomString returns n random bytes, base64url-encoded.
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported systems
	return base64.RawURLEncoding.EncodeToString(b)
}

// session is a signed-in moderator's browser. Sessions live in memory: a
// restart signs everyone out, which costs a sign-in and keeps no secret on
// disk.
type session struct {
	token   search.Token
	csrf    string // session-bound CSRF token of every moderation form
	expires time.Time
}

// sessions maps a random session id (the cookie) to its session.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	ttl time.Duration
	now func() time.Time
}

func newSessions(ttl time.Duration, now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, ttl: ttl, now: now}
}

// create starts a session for tok and returns its id.
func (ss *sessions) create(tok search.Token) (string, *session) {
	id := randomString(32)
	s := &session{token: tok, csrf: randomString(32), expires: ss.now().Add(ss.ttl)}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, old := range ss.m { // sweep: the map holds a handful of moderators
		if ss.now().After(old.expires) {
			delete(ss.m, k)
		}
	}
	ss.m[id] = s
	return id, s
}

// get returns the live session with id, or nil.
func (ss *sessions) get(id string) *session {
	if id == "" {
		return nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.m[id]
	if s == nil || ss.now().After(s.expires) {
		delete(ss.m, id)
		return nil
	}
	return s
}

func (ss *sessions) delete(id string) {
	ss.mu.Lock()
	delete(ss.m, id)
	ss.mu.Unlock()
}

// revoke ends every session of the token named name.
func (ss *sessions) revoke(name string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, s := range ss.m {
		if s.token.Name == name {
			delete(ss.m, k)
		}
	}
}

// bearer returns the token of an "Authorization: Bearer" header, or "".
func bearer(c *fiber.Ctx) string {
	h := c.Get(fiber.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// authorize checks that tok may act as need: nil, or 403.
func authorize(tok *search.Token, need string) error {
	if !search.RoleAllows(tok.Role, need) {
		return search.Errorf(search.EFORBIDDEN, "this needs the %s role; the token %q has the %s role", need, tok.Name, tok.Role)
	}
	return nil
}

// checkBearer authenticates the bearer token of c and checks its role:
// 401 without a valid token, 403 with the wrong role.
func checkBearer(c *fiber.Ctx, tokens search.TokenStore, need string) (*search.Token, error) {
	if tokens == nil {
		return nil, search.Errorf(search.EUNAVAILABLE, "access tokens are not configured on this server")
	}
	secret := bearer(c)
	if secret == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="stocktaking"`)
		return nil, search.Errorf(search.EUNAUTHORIZED, "this route needs an access token: send Authorization: Bearer <token>")
	}
	tok, err := tokens.Authenticate(secret)
	if err != nil {
		if search.ErrorCode(err) == search.EUNAUTHORIZED {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="stocktaking", error="invalid_token"`)
		}
		return nil, err
	}
	return tok, authorize(tok, need)
}

// BearerCheck returns a check that allows a request carrying a bearer token
// with at least role need, and otherwise returns a 401 or 403 error. It
// fits APIConfig.AdminCheck.
func BearerCheck(tokens search.TokenStore, need string) func(c *fiber.Ctx) error {
	return func(c *fiber.Ctx) error {
		tok, err := checkBearer(c, tokens, need)
		if err == nil {
			c.Locals(localToken, tok)
		}
		return err
	}
}

// requireAPI is the middleware of API routes that need role need.
func (l *lifecycle) requireAPI(need string) fiber.Handler {
	check := BearerCheck(l.cfg.Tokens, need)
	return func(c *fiber.Ctx) error {
		if err := check(c); err != nil {
			return err
		}
		return c.Next()
	}
}

// requirePage is the middleware of HTML moderation pages: a session cookie
// (or a bearer token, for scripts) with role need. Without one, a GET shows
// the sign-in form with status 401; any other method gets 401. A form
// posted with a session must carry the session's CSRF token.
func (l *lifecycle) requirePage(need string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if bearer(c) != "" {
			tok, err := checkBearer(c, l.cfg.Tokens, need)
			if err != nil {
				return err
			}
			c.Locals(localToken, tok)
			return c.Next()
		}
		sess := l.sessions.get(c.Cookies(cookieSession))
		if sess == nil {
			if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
				return l.renderSignIn(c, fiber.StatusUnauthorized, c.OriginalURL(), "")
			}
			return search.Errorf(search.EUNAUTHORIZED, "sign in first")
		}
		tok := sess.token
		if err := authorize(&tok, need); err != nil {
			return err
		}
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead && !sameSecret(c.FormValue(fieldCSRF), sess.csrf) {
			return search.Errorf(search.EFORBIDDEN, "the form has expired or was not sent by this site: reload the page and try again")
		}
		c.Locals(localToken, &tok)
		c.Locals(localSession, sess)
		return c.Next()
	}
}

// sameSecret compares two secrets in constant time; empty never matches.
func sameSecret(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// tokenOf returns the authenticated token of the request.
func tokenOf(c *fiber.Ctx) *search.Token {
	tok, _ := c.Locals(localToken).(*search.Token)
	return tok
}

// secure reports whether cookies must be marked Secure: the request came
// over HTTPS (directly, or per X-Forwarded-Proto from a trusted proxy, as
// fiber's Protocol reads it) or the configuration says so.
func (l *lifecycle) secure(c *fiber.Ctx) bool {
	return l.cfg.SecureCookies || c.Protocol() == "https"
}

// setCookie sets an HttpOnly, SameSite=Strict cookie for the whole site;
// maxAge < 0 deletes it.
func (l *lifecycle) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	ck := &fiber.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		HTTPOnly: true,
		Secure:   l.secure(c),
		SameSite: fiber.CookieSameSiteStrictMode,
	}
	if maxAge < 0 {
		ck.Expires = time.Unix(1, 0)
		ck.MaxAge = -1
	} else {
		ck.MaxAge = int(maxAge / time.Second)
	}
	c.Cookie(ck)
}

// formCSRF returns the double-submit CSRF token of the public forms (submit
// and sign-in): the value of the CSRF cookie, set when missing.
func (l *lifecycle) formCSRF(c *fiber.Ctx) string {
	v := c.Cookies(cookieCSRF)
	if len(v) < 32 || len(v) > 64 {
		v = randomString(32)
		l.setCookie(c, cookieCSRF, v, 0)
	}
	return v
}

// checkFormCSRF checks the double-submit CSRF token of a public form: the
// hidden field must equal the cookie, which another site can neither read
// nor (SameSite=Strict) make the browser send.
func checkFormCSRF(c *fiber.Ctx) error {
	if !sameSecret(c.FormValue(fieldCSRF), c.Cookies(cookieCSRF)) {
		return search.Errorf(search.EFORBIDDEN, "the form has expired or was not sent by this site: reload the page and try again")
	}
	return nil
}

// writable refuses writes on a read replica with read_only (405).
func (l *lifecycle) writable(c *fiber.Ctx) error {
	if l.s.cfg.ReadOnly {
		return search.Errorf(search.EREADONLY, "this server is a read-only replica: %s %s is refused; send writes to the primary server", c.Method(), c.Path())
	}
	return c.Next()
}
