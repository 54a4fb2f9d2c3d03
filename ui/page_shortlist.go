package ui

import (
	"bytes"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/search/exchange"
)

// A shortlist is a list of entry ids kept by the reader's browser, with no
// account: shortlist.js keeps it in localStorage and mirrors it into a
// cookie, so that the server-rendered links work without JavaScript too.
// The page's URL (/shortlist?ids=a,b,c) holds the ids, so a list is shared
// by sharing the URL.
const (
	maxShortlist        = 200
	shortlistCookieName = "shortlist"
	shortlistCookieAge  = 365 * 24 * time.Hour
	// shortlistSep separates the ids in the cookie: url.PathEscape escapes
	// it inside an id, and cookie values may carry it (commas they may not).
	shortlistSep = "|"
)

// shortlistView is the shortlist page.
type shortlistView struct {
	Page
	Entries  []hitView
	Count    string // "3 entries"
	Missing  int    // ids whose entry is gone or withdrawn
	Dropped  int    // ids beyond maxShortlist
	Mine     bool   // the list shown is the reader's own
	Shared   bool   // the list shown came from a URL and differs from the reader's
	ShareURL string
	CSVURL   string
	SaveURL  string
	ClearURL string
	Balance  []figureView
}

// parseIDList reads a comma-separated list of entry ids: trimmed, without
// duplicates or empty items, at most maxShortlist (dropped says how many
// more were given). An id that no entry could have is a 400.
func parseIDList(name, s string) (ids []string, dropped int, err error) {
	seen := map[string]bool{}
	for _, id := range strings.Split(s, ",") {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		if len(id) > search.MaxIDLen || strings.ContainsAny(id, " \t\r\n/?#%") {
			return nil, 0, invalidParam(name, "%q is not an entry id", clip(id, 40))
		}
		if len(ids) == maxShortlist {
			dropped++
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	return ids, dropped, nil
}

// shortlistCookie reads the reader's shortlist from its cookie; anything
// unreadable in it is skipped, never an error.
func shortlistCookie(c *fiber.Ctx) []string {
	raw := c.Cookies(shortlistCookieName)
	if raw == "" {
		return nil
	}
	var ids []string
	for _, p := range strings.Split(raw, shortlistSep) {
		id, err := url.PathUnescape(p)
		if err != nil || checkText("id", id) != nil || strings.Contains(id, ",") {
			continue
		}
		if one, _, err := parseIDList("", id); err == nil && len(one) == 1 {
			ids = appendID(ids, one[0])
		}
	}
	return ids
}

// setShortlistCookie stores ids as the reader's shortlist; an empty list
// removes the cookie. JavaScript reads it, so it is not HttpOnly.
func setShortlistCookie(c *fiber.Ctx, ids []string) {
	ck := &fiber.Cookie{
		Name: shortlistCookieName, Path: "/", SameSite: fiber.CookieSameSiteLaxMode,
		Secure: c.Protocol() == "https",
	}
	if len(ids) == 0 {
		ck.Expires = time.Unix(1, 0)
		ck.MaxAge = -1
	} else {
		esc := make([]string, len(ids))
		for i, id := range ids {
			esc[i] = url.PathEscape(id)
		}
		ck.Value = strings.Join(esc, shortlistSep)
		ck.MaxAge = int(shortlistCookieAge / time.Second)
	}
	c.Cookie(ck)
}

// shortlistURL is the shareable URL of a list of ids.
func shortlistURL(ids []string, lang string) string {
	u := "/shortlist"
	sep := "?"
	if len(ids) > 0 {
		esc := make([]string, len(ids))
		for i, id := range ids {
			esc[i] = queryEscape(id)
		}
		u += "?ids=" + strings.Join(esc, ",")
		sep = "&"
	}
	if lang != "" {
		u += sep + "lang=" + lang
	}
	return u
}

// shortlistAddURL is the link of an "add to shortlist" button: the server
// adds the id to the cookie's list and redirects to the whole list.
func shortlistAddURL(id, lang string) string {
	u := "/shortlist?add=" + queryEscape(id)
	if lang != "" {
		u += "&lang=" + lang
	}
	return u
}

// shortlistRequest is what the shortlist URL asks for.
type shortlistRequest struct {
	ids                 []string
	hasIDs              bool
	dropped             int
	add, remove         string
	clear, save, export bool
}

// readShortlistRequest reads and checks the parameters of /shortlist.
func readShortlistRequest(c *fiber.Ctx) (shortlistRequest, error) {
	var r shortlistRequest
	seen := map[string]bool{}
	for _, kv := range queryArgs(c) {
		name, val := kv[0], strings.TrimSpace(kv[1])
		if err := checkText(name, val); err != nil {
			return r, err
		}
		if seen[name] {
			return r, invalidParam(name, "parameter %q is given more than once", name)
		}
		seen[name] = true
		var err error
		switch name {
		case "ids":
			r.hasIDs = true
			r.ids, r.dropped, err = parseIDList(name, val)
		case "add", "remove":
			var one []string
			if one, _, err = parseIDList(name, val); err == nil && len(one) != 1 {
				err = invalidParam(name, "%s takes one entry id", name)
			}
			if err == nil && name == "add" {
				r.add = one[0]
			} else if err == nil {
				r.remove = one[0]
			}
		case "clear", "save":
			if val != "" && val != "1" {
				err = invalidParam(name, "%s takes the value 1", name)
			}
			r.clear = r.clear || name == "clear"
			r.save = r.save || name == "save"
		case "lang":
			err = readSearchParam(&search.Request{}, name, val)
		default:
			err = invalidParam(name, "unknown parameter %q; the shortlist takes ids, add, remove, save, clear and lang", clip(name, 40))
		}
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

// handleShortlistPage renders /shortlist. add, remove, clear and save
// change the reader's own list (its cookie) and redirect (303) to the
// list's shareable URL; ids shows any list, the reader's or a shared one.
func (s *Server) handleShortlistPage(c *fiber.Ctx) error {
	r, err := readShortlistRequest(c)
	if err != nil {
		return err
	}
	lang, explicit := pickLang(c)
	if !explicit {
		lang = ""
	}
	mine := shortlistCookie(c)
	if r.add != "" || r.remove != "" || r.clear || r.save {
		next := mine
		switch {
		case r.clear:
			next = nil
		case r.save:
			next = r.ids
		case r.add != "":
			next = appendID(mine, r.add)
		default:
			next = removeID(mine, r.remove)
		}
		setShortlistCookie(c, next)
		return c.Redirect(shortlistURL(next, lang), fiber.StatusSeeOther)
	}
	if !r.hasIDs && len(mine) > 0 {
		return c.Redirect(shortlistURL(mine, lang), fiber.StatusSeeOther)
	}
	p := s.newPage(c, "")
	p.Title = p.T("shortlist.title")
	p.BodyClass = "page-shortlist"
	v, err := s.shortlistView(c, p, r, mine, lang)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "shortlist", v)
}

// appendID adds id at the end of ids unless it is there or the list is full.
func appendID(ids []string, id string) []string {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	if len(ids) >= maxShortlist {
		return ids
	}
	return append(append([]string(nil), ids...), id)
}

// removeID returns ids without id.
func removeID(ids []string, id string) []string {
	out := make([]string, 0, len(ids))
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// sameIDs reports whether a and b hold the same ids, in any order.
func sameIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := make(map[string]bool, len(a))
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			return false
		}
	}
	return true
}

// loadEntries reads the entries of ids from the store, in order; gone and
// withdrawn ones are counted, not shown.
func (s *Server) loadEntries(ids []string) (entries []*search.Entry, missing int, err error) {
	for _, id := range ids {
		e, err := s.cfg.Service.Store.Get(id)
		if search.ErrorCode(err) == search.ENOTFOUND || err == nil && e.Withdrawn {
			missing++
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		entries = append(entries, e)
	}
	return entries, missing, nil
}

// shortlistView builds the shortlist page's view.
func (s *Server) shortlistView(c *fiber.Ctx, p Page, r shortlistRequest, mine []string, lang string) (*shortlistView, error) {
	entries, missing, err := s.loadEntries(r.ids)
	if err != nil {
		return nil, err
	}
	l := p.L
	v := &shortlistView{
		Page:     p,
		Count:    l.Plural("search.results", len(entries)),
		Missing:  missing,
		Dropped:  r.dropped,
		Mine:     len(r.ids) > 0 && sameIDs(r.ids, mine),
		ClearURL: "/shortlist?clear=1" + langArg(lang, "&"),
	}
	v.Shared = len(r.ids) > 0 && !v.Mine
	if len(r.ids) > 0 {
		v.ShareURL = s.baseURL(c) + shortlistURL(r.ids, "")
		v.CSVURL = "/shortlist.csv?ids=" + strings.TrimPrefix(shortlistURL(r.ids, ""), "/shortlist?ids=")
		v.SaveURL = shortlistURL(r.ids, lang) + "&save=1"
	}
	for _, e := range entries {
		hv := hitViewOfEntry(e, &p)
		if v.Mine {
			hv.RemoveURL = "/shortlist?remove=" + queryEscape(e.ID) + langArg(lang, "&")
		}
		v.Entries = append(v.Entries, hv)
	}
	v.Balance = balanceFigures(l, entries, searchState{Lang: lang})
	return v, nil
}

// langArg is "lang=<lang>" after sep, or "" when the URL did not choose it.
func langArg(lang, sep string) string {
	if lang == "" {
		return ""
	}
	return sep + "lang=" + lang
}

// baseURL is the public origin of the site, for URLs shown to be copied.
func (s *Server) baseURL(c *fiber.Ctx) string {
	if s.api != nil {
		return s.api.baseURL(c)
	}
	return c.BaseURL()
}

// handleShortlistCSV answers /shortlist.csv?ids=…: the entries of a
// shortlist (the reader's own without ids) in the export's CSV format.
// The export API selects by search, not by id, so the page renders it.
func (s *Server) handleShortlistCSV(c *fiber.Ctx) error {
	r, err := readShortlistRequest(c)
	if err != nil {
		return err
	}
	if r.add != "" || r.remove != "" || r.clear || r.save {
		return invalidParam("ids", "the CSV of a shortlist takes ids and nothing else")
	}
	ids := r.ids
	if !r.hasIDs {
		ids = shortlistCookie(c)
	}
	entries, _, err := s.loadEntries(ids)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w, err := exchange.NewWriter(&buf, exchange.FormatCSV)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := w.Write(e); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	name := "stocktaking-shortlist-" + time.Now().UTC().Format("2006-01-02") + ".csv"
	c.Set(fiber.HeaderContentType, exportTypes[exchange.FormatCSV])
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(buf.Bytes())
}
