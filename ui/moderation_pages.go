package ui

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// moderationBase fills the frame of a moderation page.
func moderationBase(c *fiber.Ctx) pageBase {
	p := pageBase{Lang: pageLang(c)}
	if tok := tokenOf(c); tok != nil {
		p.User = tok.Name
	}
	if sess, ok := c.Locals(localSession).(*session); ok {
		p.CSRF = sess.csrf
	}
	return p
}

// queueView is the list of submissions with one status, and the form that
// withdraws a published entry.
type queueView struct {
	pageBase
	Status    string
	Statuses  []option
	List      *submissionList
	NextURL   string
	Withdraw  withdrawForm
	Withdrawn *withdrawnNotice // the confirmation of a withdrawal, or nil
}

// handleModerationPage answers GET /moderation?status=pending.
func (l *lifecycle) handleModerationPage(c *fiber.Ctx) error {
	return l.renderQueue(c, fiber.StatusOK, withdrawForm{})
}

// renderQueue renders the moderation page with the withdrawal form f.
func (l *lifecycle) renderQueue(c *fiber.Ctx, status int, f withdrawForm) error {
	list, err := l.listSubmissions(c)
	if err != nil {
		return err
	}
	v := &queueView{pageBase: moderationBase(c), Status: list.Status, List: list, Withdraw: f}
	v.Title = v.T("moderation")
	for _, st := range search.SubmissionStatuses {
		v.Statuses = append(v.Statuses, option{Value: st, Label: v.T(st), Selected: st == list.Status})
	}
	if list.NextAfter > 0 {
		q := url.Values{"status": {list.Status}, "after": {strconv.FormatUint(list.NextAfter, 10)}, "lang": {v.Lang}}
		v.NextURL = "/moderation?" + q.Encode()
	}
	if status == fiber.StatusOK {
		v.Withdrawn = l.withdrawnNoticeOf(c)
	}
	return l.render(c, status, "queue", v)
}

// itemView is one submission with its diff and the decision form.
type itemView struct {
	pageBase
	Sub    *search.Submission
	Status string
	Diff   []fieldDiff
	Error  string // a refused decision, shown above the form
	Note   string
}

func (l *lifecycle) renderItem(c *fiber.Ctx, status int, sub *search.Submission, errMsg, note string) error {
	diff, err := l.diffOf(sub)
	if err != nil {
		return err
	}
	v := &itemView{pageBase: moderationBase(c), Sub: sub, Diff: diff, Error: errMsg, Note: note}
	v.Title = sub.Entry.Title
	v.Status = v.T(sub.Status)
	return l.render(c, status, "item", v)
}

// handleModerationItemPage answers GET /moderation/{ref}.
func (l *lifecycle) handleModerationItemPage(c *fiber.Ctx) error {
	subs, err := l.submissions()
	if err != nil {
		return err
	}
	sub, err := subs.Submission(param(c, "ref"))
	if err != nil {
		return err
	}
	return l.renderItem(c, fiber.StatusOK, sub, "", "")
}

// handleModerationForm answers POST /moderation/{ref} (fields decision and
// note): back to the queue once decided, or the page again with the reason
// a decision was refused.
func (l *lifecycle) handleModerationForm(c *fiber.Ctx) error {
	ref := param(c, "ref")
	action := strings.Clone(c.FormValue("decision"))
	if !contains(decisions, action) {
		return &search.Error{Code: search.EINVALID, Field: "decision", Message: "decision must be approve, reject or request-changes"}
	}
	note := strings.Clone(c.FormValue("note"))
	_, err := l.decideSubmission(c.UserContext(), ref, action, note, tokenOf(c))
	var serr *search.Error
	if errors.As(err, &serr) && (serr.Code == search.EINVALID || serr.Code == search.ECONFLICT) {
		sub, gerr := l.cfg.Submissions.Submission(ref)
		if gerr != nil {
			return gerr
		}
		status := fiber.StatusBadRequest
		if serr.Code == search.ECONFLICT {
			status = fiber.StatusConflict
		}
		return l.renderItem(c, status, sub, serr.Message, note)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/moderation?lang="+url.QueryEscape(pageLang(c)), fiber.StatusSeeOther)
}
