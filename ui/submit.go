package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// submitRequest is the JSON body of POST /api/v1/submissions and PUT
// /api/v1/submissions/{ref}: an entry, and update_of for an update of a
// published entry. The server sets id (new entries), year (from the
// edition and its deadline), created, updated, prizes and withdrawn, so
// those fields of the body are ignored, except that an id must match
// update_of.
type submitRequest struct {
	search.Entry
	UpdateOf string `json:"update_of"`
}

// submitResponse answers a submission.
type submitResponse struct {
	Ref        string             `json:"ref"`
	Status     string             `json:"status"`
	StatusURL  string             `json:"status_url"`
	PageURL    string             `json:"page_url"`
	Submission *search.Submission `json:"submission"`
}

// requireJSON refuses a body that is not declared JSON: besides clarity,
// it makes a cross-site form post (text/plain) of JSON fail.
func requireJSON(c *fiber.Ctx) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if ct != fiber.MIMEApplicationJSON && !strings.HasPrefix(ct, fiber.MIMEApplicationJSON+";") {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "send the entry as JSON with Content-Type: application/json")
	}
	return nil
}

// decodeJSON reads a JSON body strictly into v: an unknown field or a value
// of the wrong type is a 400 naming the field.
func decodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return search.Errorf(search.EINVALID, "the request needs a JSON body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return search.Errorf(search.EINVALID, "the body holds more than one JSON value")
		}
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := strings.TrimPrefix(typeErr.Field, "Entry.") // the embedded entry of submitRequest
		return &search.Error{Code: search.EINVALID, Field: field,
			Message: fmt.Sprintf("%s: want a JSON %s, got %s", field, typeErr.Type, typeErr.Value)}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return &search.Error{Code: search.EINVALID, Field: name, Message: fmt.Sprintf("unknown field %q", name)}
	}
	return search.Errorf(search.EINVALID, "the body is not valid JSON: %v", err)
}

// prepare turns what a submitter sent into a pending submission: it checks
// update_of, sets the server's fields, normalizes and validates. id is the
// entry id to reuse for a new entry (a resubmission), or "".
func (l *lifecycle) prepare(e *search.Entry, updateOf, id string) (*search.Submission, error) {
	svc, err := l.service()
	if err != nil {
		return nil, err
	}
	now := l.cfg.Now().UTC()
	updateOf = strings.TrimSpace(updateOf)
	e.ID = strings.TrimSpace(e.ID)
	var fields []search.FieldError
	switch {
	case updateOf != "":
		if _, err := svc.Store.Get(updateOf); search.ErrorCode(err) == search.ENOTFOUND {
			fields = append(fields, search.FieldError{Field: "update_of", Message: fmt.Sprintf("no published entry has the id %q", updateOf)})
		} else if err != nil {
			return nil, err
		}
		if e.ID != "" && e.ID != updateOf {
			fields = append(fields, search.FieldError{Field: "id", Message: "must be empty or equal update_of"})
		}
		e.ID = updateOf
	case e.ID != "" && e.ID != id:
		fields = append(fields, search.FieldError{Field: "id", Message: "leave empty: a new entry gets its id when published; to update an entry, send update_of"})
	case id != "":
		e.ID = id
	default:
		e.ID = search.NewEntryID(now)
	}
	e.Year = l.cfg.Edition.YearAt(now)
	e.Prizes, e.Withdrawn = nil, false
	e.Created, e.Updated = time.Time{}, time.Time{} // the store sets them on publication
	search.Normalize(e)
	if err := search.Validate(e); err != nil {
		var serr *search.Error
		if !errors.As(err, &serr) {
			return nil, err
		}
		fields = append(fields, serr.Fields...)
	}
	if len(fields) > 0 {
		msgs := make([]string, len(fields))
		for i, f := range fields {
			msgs[i] = f.Field + ": " + f.Message
		}
		return nil, &search.Error{Code: search.EINVALID, Message: "the submission has errors: " + strings.Join(msgs, "; "), Fields: fields}
	}
	return &search.Submission{Status: search.SubmissionPending, UpdateOf: updateOf, Entry: e, Submitted: now}, nil
}

// submit validates and queues a submission.
func (l *lifecycle) submit(ctx context.Context, e *search.Entry, updateOf string) (*search.Submission, error) {
	subs, err := l.submissions()
	if err != nil {
		return nil, err
	}
	sub, err := l.prepare(e, updateOf, "")
	if err != nil {
		return nil, err
	}
	if err := subs.AddSubmission(sub); err != nil {
		return nil, err
	}
	l.s.log.Info().Str("request_id", requestIDOf(ctx)).Uint64("submission", sub.Seq).Bool("update", sub.UpdateOf != "").Msg("submission received")
	return sub, nil
}

// handleAPISubmit answers POST /api/v1/submissions: 201 with the reference.
func (l *lifecycle) handleAPISubmit(c *fiber.Ctx) error {
	if err := requireJSON(c); err != nil {
		return err
	}
	var req submitRequest
	if err := decodeJSON(c.Body(), &req); err != nil {
		return err
	}
	sub, err := l.submit(c.UserContext(), &req.Entry, req.UpdateOf)
	if err != nil {
		return err
	}
	c.Location("/api/v1/submissions/" + sub.Ref)
	return c.Status(fiber.StatusCreated).JSON(submitResponse{
		Ref: sub.Ref, Status: sub.Status, Submission: sub,
		StatusURL: "/api/v1/submissions/" + sub.Ref, PageURL: "/submit/" + sub.Ref,
	})
}

// handleAPIResubmit answers PUT /api/v1/submissions/{ref}: the submitter
// replaces the entry of an open submission (after a request for changes),
// which goes back to the queue as pending.
func (l *lifecycle) handleAPIResubmit(c *fiber.Ctx) error {
	subs, err := l.submissions()
	if err != nil {
		return err
	}
	ref := param(c, "ref")
	old, err := subs.Submission(ref)
	if err != nil {
		return err
	}
	if err := requireJSON(c); err != nil {
		return err
	}
	var req submitRequest
	if err := decodeJSON(c.Body(), &req); err != nil {
		return err
	}
	if req.UpdateOf != "" && req.UpdateOf != old.UpdateOf {
		return &search.Error{Code: search.EINVALID, Field: "update_of", Message: "a resubmission cannot change update_of; send a new submission"}
	}
	id := ""
	if old.UpdateOf == "" {
		id = old.Entry.ID
	}
	next, err := l.prepare(&req.Entry, old.UpdateOf, id)
	if err != nil {
		return err
	}
	sub, err := subs.UpdateSubmission(ref, func(s *search.Submission) error {
		if !s.Open() {
			return search.Errorf(search.ECONFLICT, "this submission was %s and can no longer change", s.Status)
		}
		s.Entry, s.Status, s.Submitted = next.Entry, search.SubmissionPending, next.Submitted
		return nil
	})
	if err != nil {
		return err
	}
	return c.JSON(publicSubmission(sub))
}

// publicSubmission is what the holder of a reference sees: everything but
// the moderator's token name.
func publicSubmission(sub *search.Submission) *search.Submission {
	out := *sub
	out.Moderator = ""
	return &out
}

// handleAPISubmission answers GET /api/v1/submissions/{ref}: the reference
// is the secret, so no token is needed.
func (l *lifecycle) handleAPISubmission(c *fiber.Ctx) error {
	subs, err := l.submissions()
	if err != nil {
		return err
	}
	sub, err := subs.Submission(param(c, "ref"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(publicSubmission(sub))
}
