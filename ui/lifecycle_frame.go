package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// frame is what the lifecycle pages show around their content: the same
// header and footer as the public pages (layout.html), with the links of
// the request's language.
type frame struct {
	Page      string        // the template name, for the stylesheet (body class)
	Home      string        // the home page, in the language the URL chose
	Hidden    []hiddenField // what the header search keeps (lang)
	Langs     []langLink    // the language switcher: this page in each language
	Nav       []navLink     // the main navigation
	Submit    navLink       // "Submit a project"
	Shortlist int           // the reader's shortlist size, for the nav badge
	Version   string
	CSS       string // the URL of lifecycle.css, versioned by its content
}

// base gives lifecycle.render the pageBase embedded in a view.
func (p *pageBase) base() *pageBase { return p }

// UI returns a message of the public pages' locales (site name, menu,
// footer) in the page language.
func (p pageBase) UI(key string, args ...any) string {
	if l := assets.locales[p.Lang]; l != nil {
		return l.T(key, args...)
	}
	return key
}

// lifecycleCSSURL is /lifecycle.css with a version from its content, so a
// new release is not hidden behind the hour of cache of the old one.
var lifecycleCSSURL = sync.OnceValue(func() string {
	sum := sha256.Sum256(lifecycleCSS)
	return "/lifecycle.css?v=" + hex.EncodeToString(sum[:6])
})

// fillFrame sets the header and footer of a lifecycle page for request c.
func (l *lifecycle) fillFrame(c *fiber.Ctx, p *pageBase, page string) {
	lang := p.Lang
	if lang == "" {
		lang = "en"
	}
	explicit := strings.EqualFold(c.Query("lang"), lang)
	arg := ""
	if explicit {
		arg = "?lang=" + lang
	}
	f := frame{Page: page, Home: "/" + arg, Version: l.s.cfg.Version, CSS: lifecycleCSSURL(),
		Shortlist: len(shortlistCookie(c))}
	if explicit {
		f.Hidden = []hiddenField{{"lang", lang}}
	}
	for _, lc := range pageLangs {
		name := lc
		if loc := assets.locales[lc]; loc != nil {
			name = loc.Name
		}
		f.Langs = append(f.Langs, langLink{Code: lc, Name: name, URL: withLang(c, lc), Current: lc == lang})
	}
	for _, np := range navPages {
		f.Nav = append(f.Nav, navLink{Key: np.key, Label: p.UI("menu." + np.key), URL: np.path + arg})
	}
	f.Submit = navLink{Key: "submit", Label: p.T("submit_title"), URL: "/submit" + arg,
		Current: c.Path() == "/submit"}
	p.Frame = f
}
