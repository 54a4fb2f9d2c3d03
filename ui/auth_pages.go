package ui

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// signInView is the sign-in form.
type signInView struct {
	pageBase
	FormCSRF string
	Next     string
	Error    string
}

// localPath keeps next only when it is a path of this site, so that the
// sign-in form cannot redirect elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/moderation"
	}
	return next
}

func (l *lifecycle) renderSignIn(c *fiber.Ctx, status int, next, errKey string) error {
	v := &signInView{pageBase: pageBase{Lang: pageLang(c)}, FormCSRF: l.formCSRF(c), Next: localPath(next)}
	v.Title = v.T("signin_title")
	if errKey != "" {
		v.Error = v.T(errKey)
	}
	return l.render(c, status, "signin", v)
}

// handleSignInPage answers GET /signin.
func (l *lifecycle) handleSignInPage(c *fiber.Ctx) error {
	return l.renderSignIn(c, fiber.StatusOK, strings.Clone(c.Query("next")), "")
}

// handleSignIn answers POST /signin: a valid moderator or admin token
// starts a session (cookie) and goes to next; any other gets the form again
// with 401. The token is neither logged nor echoed.
func (l *lifecycle) handleSignIn(c *fiber.Ctx) error {
	if err := checkFormCSRF(c); err != nil {
		return err
	}
	next := strings.Clone(c.FormValue("next"))
	if l.cfg.Tokens == nil {
		return search.Errorf(search.EUNAVAILABLE, "access tokens are not configured on this server")
	}
	tok, err := l.cfg.Tokens.Authenticate(strings.TrimSpace(c.FormValue("token")))
	if search.ErrorCode(err) == search.EUNAUTHORIZED || (err == nil && !search.RoleAllows(tok.Role, search.RoleModerator)) {
		l.s.log.Warn().Str("request_id", requestID(c)).Str("ip", c.IP()).Msg("sign-in refused")
		return l.renderSignIn(c, fiber.StatusUnauthorized, next, "bad_token")
	}
	if err != nil {
		return err
	}
	if old := c.Cookies(cookieSession); old != "" {
		l.sessions.delete(old)
	}
	id, _ := l.sessions.create(*tok)
	l.setCookie(c, cookieSession, id, l.cfg.SessionTTL)
	l.s.log.Info().Str("request_id", requestID(c)).Str("moderator", tok.Name).Msg("signed in")
	return c.Redirect(localPath(next), fiber.StatusSeeOther)
}

// handleSignOut answers POST /signout: the session ends and its cookie is
// cleared. It needs the session's CSRF token, so another site cannot sign
// a moderator out.
func (l *lifecycle) handleSignOut(c *fiber.Ctx) error {
	id := c.Cookies(cookieSession)
	if sess := l.sessions.get(id); sess != nil {
		if !sameSecret(c.FormValue(fieldCSRF), sess.csrf) {
			return search.Errorf(search.EFORBIDDEN, "the form has expired or was not sent by this site: reload the page and try again")
		}
		l.sessions.delete(id)
	}
	l.setCookie(c, cookieSession, "", -1)
	return c.Redirect("/signin", fiber.StatusSeeOther)
}
