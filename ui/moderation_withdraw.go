package ui

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// withdrawForm is the "Withdraw an entry" form of the moderation page: what
// the moderator typed, kept when the withdrawal is refused, and why.
type withdrawForm struct {
	ID     string // the entry id or address, as typed
	Reason string
	Error  string // the refusal, in the page language
	Field  string // the field the refusal is about: "id" or "reason"
}

// withdrawnNotice is the confirmation the moderation page shows after a
// withdrawal (?withdrawn=id), only while the entry is indeed withdrawn.
type withdrawnNotice struct {
	ID, Title, EntryURL, HistoryURL string
	TitleLang                       string // the entry's language, for the title's lang attribute
}

// entryIDOf reads an entry id from what a moderator typed: the id itself or
// the address of the entry's page or JSON (…/entries/{id}…).
func entryIDOf(in string) (string, bool) {
	id := strings.TrimSpace(in)
	if strings.Contains(id, "/") {
		u, err := url.Parse(id)
		if err != nil {
			return "", false
		}
		segs := strings.Split(strings.Trim(u.Path, "/"), "/")
		id = ""
		for i := 0; i+1 < len(segs); i++ {
			if segs[i] == "entries" {
				id = segs[i+1]
				break
			}
		}
	}
	return id, id != "" && len(id) <= maxIDLength && isToken(id)
}

// handleWithdrawForm answers POST /moderation/withdraw (fields id and
// reason): the same withdrawal as POST /api/v1/entries/{id}/withdraw, by
// the signed-in moderator with a required reason, then back to the
// moderation page with a confirmation (303), or the page again with the
// reason it was refused: 400 (no id, no reason), 404 (no such entry) or
// 409 (already withdrawn).
func (l *lifecycle) handleWithdrawForm(c *fiber.Ctx) error {
	f := withdrawForm{ID: strings.Clone(c.FormValue("id")), Reason: strings.Clone(c.FormValue("reason"))}
	p := moderationBase(c)
	refuse := func(status int, field, msg string) error {
		f.Field, f.Error = field, msg
		return l.renderQueue(c, status, f)
	}
	id, ok := entryIDOf(f.ID)
	switch {
	case strings.TrimSpace(f.ID) == "":
		return refuse(fiber.StatusBadRequest, "id", p.T("withdraw_no_id"))
	case !ok:
		return refuse(fiber.StatusBadRequest, "id", p.T("withdraw_bad_id"))
	case strings.TrimSpace(f.Reason) == "":
		return refuse(fiber.StatusBadRequest, "reason", p.T("withdraw_no_reason"))
	case utf8.RuneCountInString(strings.TrimSpace(f.Reason)) > maxNote:
		return refuse(fiber.StatusBadRequest, "reason", fmt.Sprintf(p.T("withdraw_long_reason"), maxNote))
	}
	_, already, err := l.withdrawEntry(c.UserContext(), id, f.Reason, tokenOf(c))
	var serr *search.Error
	switch {
	case errors.As(err, &serr) && serr.Code == search.ENOTFOUND:
		return refuse(fiber.StatusNotFound, "id", fmt.Sprintf(p.T("withdraw_unknown"), id))
	case err != nil:
		return err
	case already:
		return refuse(fiber.StatusConflict, "id", fmt.Sprintf(p.T("withdraw_already"), id))
	}
	q := url.Values{"withdrawn": {id}, "lang": {p.Lang}}
	return c.Redirect("/moderation?"+q.Encode(), fiber.StatusSeeOther)
}

// withdrawnNoticeOf returns the confirmation of ?withdrawn=id, or nil when
// the entry is unknown or not withdrawn (a stale or made-up link).
func (l *lifecycle) withdrawnNoticeOf(c *fiber.Ctx) *withdrawnNotice {
	id, ok := entryIDOf(c.Query("withdrawn"))
	if !ok || strings.Contains(c.Query("withdrawn"), "/") {
		return nil
	}
	svc, err := l.service()
	if err != nil {
		return nil
	}
	e, err := svc.Store.Get(id)
	if err != nil || !e.Withdrawn {
		return nil
	}
	id = strings.Clone(id)
	return &withdrawnNotice{ID: id, Title: e.Title, TitleLang: e.Language, EntryURL: "/entries/" + url.PathEscape(id),
		HistoryURL: "/api/v1/entries/" + url.PathEscape(id) + "/revisions"}
}
