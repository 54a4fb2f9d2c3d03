package ui

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Moderation decisions, as they appear in URLs and forms.
const (
	decisionApprove        = "approve"
	decisionReject         = "reject"
	decisionRequestChanges = "request-changes"
)

// decisions lists the decision routes.
var decisions = []string{decisionApprove, decisionReject, decisionRequestChanges}

// maxNote bounds a decision note, in characters.
const maxNote = 2000

// decisionRequest is the JSON body of a decision; reason is an alias of note.
type decisionRequest struct {
	Note   string `json:"note"`
	Reason string `json:"reason"`
}

// text is the note, or the reason when the note is empty.
func (r decisionRequest) text() string {
	if strings.TrimSpace(r.Note) != "" {
		return r.Note
	}
	return r.Reason
}

// decideSubmission applies a moderator's decision. Approval publishes the
// entry through the service (store, then index) before the submission is
// marked approved, so a crash in between leaves it pending. Approving it
// again then publishes nothing new: the id of a new entry is committed on
// the submission (PublishAs) before the entry is written, and the retry
// finds the entry under it and treats it as an update, which the store
// skips when nothing changed.
func (l *lifecycle) decideSubmission(ctx context.Context, ref, action, note string, tok *search.Token) (*search.Submission, error) {
	subs, err := l.submissions()
	if err != nil {
		return nil, err
	}
	svc, err := l.service()
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxNote {
		return nil, &search.Error{Code: search.EINVALID, Field: "note", Message: "the note is longer than " + strconv.Itoa(maxNote) + " characters"}
	}
	if action != decisionApprove && note == "" {
		return nil, &search.Error{Code: search.EINVALID, Field: "note", Message: "give the submitter a reason"}
	}
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	sub, err := subs.Submission(ref)
	if err != nil {
		return nil, err
	}
	if !sub.Open() {
		return nil, search.Errorf(search.ECONFLICT, "this submission is already %s", sub.Status)
	}
	status := map[string]string{
		decisionApprove:        search.SubmissionApproved,
		decisionReject:         search.SubmissionRejected,
		decisionRequestChanges: search.SubmissionChangesRequested,
	}[action]
	var published *search.Entry
	var publishErr error
	if action == decisionApprove {
		if published, err = l.entryToPublish(sub); err != nil {
			return nil, err
		}
		if sub.UpdateOf == "" && sub.PublishAs != published.ID {
			sub, err = subs.UpdateSubmission(ref, func(s *search.Submission) error {
				if !s.Open() {
					return search.Errorf(search.ECONFLICT, "this submission is already %s", s.Status)
				}
				s.PublishAs = published.ID
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		if note == "" {
			note = "approved submission"
		}
		var changed int
		changed, publishErr = svc.Put(ctx, []*search.Entry{published}, search.Change{Author: tok.Name, Note: note, Time: l.cfg.Now().UTC()})
		if publishErr != nil && changed == 0 {
			return nil, publishErr
		}
		// changed > 0 with an error: the store committed, the index did
		// not; the index catches up at the next start, so the decision stands.
	}
	sub, err = subs.UpdateSubmission(ref, func(s *search.Submission) error {
		if !s.Open() {
			return search.Errorf(search.ECONFLICT, "this submission is already %s", s.Status)
		}
		s.Status, s.Decided, s.Moderator, s.Reason = status, l.cfg.Now().UTC(), tok.Name, note
		if published != nil {
			s.Entry = published
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	l.s.log.Info().Str("request_id", requestIDOf(ctx)).Uint64("submission", sub.Seq).Str("decision", action).Str("moderator", tok.Name).Msg("submission decided")
	return sub, publishErr
}

// entryToPublish builds the entry an approval publishes. An update keeps
// the published entry's prizes and withdrawal, which submitters do not
// control. A new entry is published under the id a previous attempt
// reserved (PublishAs), if any: when that attempt got as far as writing
// the entry, this one updates it like an update would. Otherwise it keeps
// its own id unless that was taken meanwhile (by an import), in which
// case it gets a fresh one.
func (l *lifecycle) entryToPublish(sub *search.Submission) (*search.Entry, error) {
	e := *sub.Entry
	store := l.s.cfg.Service.Store
	id := sub.UpdateOf
	if id == "" {
		id = sub.PublishAs
	}
	if id != "" {
		cur, err := store.Get(id)
		switch {
		case err == nil:
			e.ID, e.Prizes, e.Withdrawn = cur.ID, cur.Prizes, cur.Withdrawn
		case sub.UpdateOf == "" && search.ErrorCode(err) == search.ENOTFOUND:
			e.ID = id // reserved by an attempt that stopped before writing
		default:
			return nil, err
		}
	} else if cur, err := store.Get(e.ID); err == nil {
		// The same content under the submission's own id is this very
		// submission, published by an approval that stopped before marking
		// it approved and before ids were reserved: publish nothing new.
		same := e
		search.Normalize(&same)
		if len(diffEntries(cur, &same)) > 0 {
			e.ID = search.NewEntryID(l.cfg.Now())
		}
	} else if search.ErrorCode(err) != search.ENOTFOUND {
		return nil, err
	}
	e.Created, e.Updated = sub.Entry.Created, sub.Entry.Updated
	search.Normalize(&e)
	if err := search.Validate(&e); err != nil {
		return nil, err
	}
	return &e, nil
}

// handleAPIDecision answers POST /api/v1/submissions/{ref}/{action}.
func (l *lifecycle) handleAPIDecision(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req decisionRequest
		if len(c.Body()) > 0 {
			if err := decodeJSON(c.Body(), &req); err != nil {
				return err
			}
		}
		sub, err := l.decideSubmission(c.UserContext(), param(c, "ref"), action, req.text(), tokenOf(c))
		if err != nil {
			return err
		}
		return c.JSON(sub)
	}
}

// submissionList is the answer of GET /api/v1/submissions.
type submissionList struct {
	Status      string               `json:"status"`
	Submissions []*search.Submission `json:"submissions"`
	// NextAfter is the after= value of the next page; 0 on the last page.
	NextAfter uint64 `json:"next_after,omitempty"`
}

// listSubmissions reads status, after and limit from the URL and lists.
func (l *lifecycle) listSubmissions(c *fiber.Ctx) (*submissionList, error) {
	subs, err := l.submissions()
	if err != nil {
		return nil, err
	}
	status := c.Query("status", search.SubmissionPending)
	if status == "all" {
		status = ""
	}
	limit, err := strconv.Atoi(c.Query("limit", "50"))
	if err != nil || limit < 1 || limit > 500 {
		return nil, &search.Error{Code: search.EINVALID, Field: "limit", Message: "limit must be an integer from 1 to 500"}
	}
	after, err := strconv.ParseUint(c.Query("after", "0"), 10, 64)
	if err != nil {
		return nil, &search.Error{Code: search.EINVALID, Field: "after", Message: "after must be a submission seq"}
	}
	list, err := subs.Submissions(status, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &submissionList{Status: strings.Clone(status), Submissions: list}
	if len(list) > limit {
		out.Submissions = list[:limit]
		out.NextAfter = list[limit-1].Seq
	}
	if out.Submissions == nil {
		out.Submissions = []*search.Submission{}
	}
	return out, nil
}

// handleAPISubmissions answers GET /api/v1/submissions?status=pending.
func (l *lifecycle) handleAPISubmissions(c *fiber.Ctx) error {
	out, err := l.listSubmissions(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

// diffResponse is the answer of GET /api/v1/submissions/{ref}/diff.
type diffResponse struct {
	Ref      string      `json:"ref"`
	UpdateOf string      `json:"update_of,omitempty"`
	Fields   []fieldDiff `json:"fields"`
}

// diffOf compares a submission with the entry it would replace (none for a
// new entry).
func (l *lifecycle) diffOf(sub *search.Submission) ([]fieldDiff, error) {
	var cur *search.Entry
	if sub.UpdateOf != "" {
		svc, err := l.service()
		if err != nil {
			return nil, err
		}
		if cur, err = svc.Store.Get(sub.UpdateOf); err != nil && search.ErrorCode(err) != search.ENOTFOUND {
			return nil, err
		}
	}
	return diffEntries(cur, sub.Entry), nil
}

// handleAPIDiff answers GET /api/v1/submissions/{ref}/diff: the fields the
// submission changes, field by field, with a line diff of long texts.
func (l *lifecycle) handleAPIDiff(c *fiber.Ctx) error {
	subs, err := l.submissions()
	if err != nil {
		return err
	}
	sub, err := subs.Submission(param(c, "ref"))
	if err != nil {
		return err
	}
	fields, err := l.diffOf(sub)
	if err != nil {
		return err
	}
	return c.JSON(diffResponse{Ref: sub.Ref, UpdateOf: sub.UpdateOf, Fields: fields})
}

// withdrawEntry withdraws the entry id: it leaves search (the index drops
// it) but stays in the store, with a revision by tok and note (the
// revision's who, when and why). An empty note records "withdrawn".
// Withdrawing an entry already withdrawn changes nothing and reports
// already; the API answers it as done, the moderation form as a conflict.
// The API and the form both call this, so the two cannot drift.
func (l *lifecycle) withdrawEntry(ctx context.Context, id, note string, tok *search.Token) (e *search.Entry, already bool, err error) {
	svc, err := l.service()
	if err != nil {
		return nil, false, err
	}
	note = strings.TrimSpace(note)
	if note == "" {
		note = "withdrawn"
	}
	if utf8.RuneCountInString(note) > maxNote {
		return nil, false, &search.Error{Code: search.EINVALID, Field: "note", Message: "the note is longer than " + strconv.Itoa(maxNote) + " characters"}
	}
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if e, err = svc.Store.Get(id); err != nil {
		return nil, false, err
	}
	if e.Withdrawn {
		return e, true, nil
	}
	e.Withdrawn = true
	if _, err := svc.Put(ctx, []*search.Entry{e}, search.Change{Author: tok.Name, Note: note, Time: l.cfg.Now().UTC()}); err != nil {
		return nil, false, err
	}
	l.s.log.Info().Str("request_id", requestIDOf(ctx)).Str("entry", id).Str("moderator", tok.Name).Msg("entry withdrawn")
	return e, false, nil
}

// handleAPIWithdraw answers POST /api/v1/entries/{id}/withdraw: the entry
// leaves search but stays in the store with its history.
func (l *lifecycle) handleAPIWithdraw(c *fiber.Ctx) error {
	var req decisionRequest
	if len(c.Body()) > 0 {
		if err := decodeJSON(c.Body(), &req); err != nil {
			return err
		}
	}
	e, _, err := l.withdrawEntry(c.UserContext(), param(c, "id"), req.text(), tokenOf(c))
	if err != nil {
		return err
	}
	return c.JSON(e)
}
