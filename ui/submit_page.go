package ui

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// option is one choice of a select or a group of checkboxes.
type option struct {
	Value, Label string
	Selected     bool
}

// submitView is the submission form.
type submitView struct {
	pageBase
	FormCSRF    string
	ReadOnly    bool
	Edition     string // "counts in the 2026 edition"
	UpdateOf    string
	Entry       search.Entry
	Errors      map[string]string // JSON field name → message
	ErrorList   []fieldMsg        // the messages in the order of the form, for the summary
	Stakeholder []option
	Countries   []option
	Coverages   []option
	Statuses    []option
	Languages   []option
	ActionLines []option
	SDGs        []option
	Collections []option
}

// newSubmitView fills the choices of the form for e in lang.
func (l *lifecycle) newSubmitView(c *fiber.Ctx, e search.Entry, updateOf string, errs []search.FieldError) *submitView {
	lang := pageLang(c)
	v := &submitView{
		pageBase: pageBase{Lang: lang},
		FormCSRF: l.formCSRF(c),
		ReadOnly: l.s.cfg.ReadOnly,
		UpdateOf: updateOf,
		Entry:    e,
		Errors:   map[string]string{},
	}
	v.Title = v.T("submit_title")
	if updateOf != "" {
		v.Title = v.T("update_title")
	}
	v.Edition = fmt.Sprintf(v.T("edition_note"), l.cfg.Edition.YearAt(l.cfg.Now()))
	for _, fe := range errs {
		name, _, _ := strings.Cut(fe.Field, "[") // prizes[0].year → prizes
		if v.Errors[name] != "" {
			v.Errors[name] += "; "
		}
		v.Errors[name] += fieldMessage(lang, fe.Message)
	}
	v.ErrorList = v.errorList()
	if lang == "" {
		lang = "en"
	}
	v.Stakeholder = termOptions(search.Stakeholders, lang, e.Stakeholder)
	v.Coverages = termOptions(search.Coverages, lang, e.Coverage)
	v.Statuses = termOptions(search.Statuses, lang, e.Status)
	v.Languages = termOptions(search.Languages, lang, e.Language)
	v.Collections = termOptions(search.Collections, lang, e.Collections...)
	for _, ct := range search.Countries() {
		v.Countries = append(v.Countries, option{Value: ct.ISO3, Label: ct.Name, Selected: ct.ISO3 == e.Country})
	}
	for _, al := range search.ActionLines {
		v.ActionLines = append(v.ActionLines, option{Value: al.Code, Label: al.Code + " " + al.Name.In(lang), Selected: contains(e.ActionLines, al.Code)})
	}
	for _, g := range search.SDGs {
		v.SDGs = append(v.SDGs, option{Value: strconv.Itoa(g.Number), Label: strconv.Itoa(g.Number) + " " + g.Name.In(lang), Selected: contains(e.SDGs, g.Number)})
	}
	return v
}

// fieldMsg is one line of the summary of errors above the form.
type fieldMsg struct {
	Name, Label, Message string
	Anchor               string // the id of the field in the form, or ""
}

// formFields are the fields of the submission form, in its order.
var formFields = []string{"update_of", "title", "organization", "stakeholder", "country", "short_description", "description",
	"action_lines", "sdgs", "coverage", "status", "start_date", "end_date", "website", "language", "collections"}

// errorList lists v.Errors in the order of the form, then the fields the
// form does not show (which no message beside a field would name).
func (v *submitView) errorList() []fieldMsg {
	var out []fieldMsg
	for _, name := range formFields {
		if msg := v.Errors[name]; msg != "" {
			fm := fieldMsg{Name: name, Label: v.T(name), Message: msg, Anchor: "f-" + name}
			if name == "update_of" {
				fm.Anchor = ""
			}
			out = append(out, fm)
		}
	}
	var rest []string
	for name := range v.Errors {
		if !contains(formFields, name) {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, fieldMsg{Name: name, Label: v.T(name), Message: v.Errors[name]})
	}
	return out
}

// formField is one field of the submission form, as its template sees it.
type formField struct {
	V        *submitView
	Name     string // the JSON name of the entry field
	Label    string
	Value    string
	Error    string
	Required bool
	Options  []option
}

// textField is the template function "field": a text input or textarea.
func textField(v *submitView, name, value string, required bool) formField {
	return formField{V: v, Name: name, Label: v.T(name), Value: value, Error: v.Errors[name], Required: required}
}

// choiceField is the template function "choice": a select or checkboxes.
func choiceField(v *submitView, name string, options []option, required bool) formField {
	return formField{V: v, Name: name, Label: v.T(name), Error: v.Errors[name], Required: required, Options: options}
}

func termOptions(terms []search.Term, lang string, selected ...string) []option {
	out := make([]option, len(terms))
	for i, t := range terms {
		out[i] = option{Value: t.Code, Label: t.Name.In(lang), Selected: contains(selected, t.Code)}
	}
	return out
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// handleSubmitPage answers GET /submit, and GET /submit?update_of=ID with
// the published entry filled in.
func (l *lifecycle) handleSubmitPage(c *fiber.Ctx) error {
	var e search.Entry
	updateOf := strings.TrimSpace(c.Query("update_of"))
	if updateOf != "" {
		svc, err := l.service()
		if err != nil {
			return err
		}
		cur, err := svc.Store.Get(updateOf)
		if err != nil {
			return err
		}
		e = *cur
		updateOf = cur.ID
	}
	return l.render(c, fiber.StatusOK, "submit", l.newSubmitView(c, e, updateOf, nil))
}

// handleSubmitForm answers POST /submit: the form again with a message
// beside each wrong field (400), or a redirect to the status page.
func (l *lifecycle) handleSubmitForm(c *fiber.Ctx) error {
	if err := checkFormCSRF(c); err != nil {
		return err
	}
	e, updateOf, formErrs := entryFromForm(c)
	shown := e // the form shows what was typed, not the normalized entry
	shown.ActionLines = append([]string(nil), e.ActionLines...)
	shown.Collections = append([]string(nil), e.Collections...)
	shown.SDGs = append([]int(nil), e.SDGs...)
	var sub *search.Submission
	var err error
	if len(formErrs) == 0 {
		sub, err = l.submit(c.UserContext(), &e, updateOf)
	}
	var serr *search.Error
	switch {
	case len(formErrs) > 0:
		return l.render(c, fiber.StatusBadRequest, "submit", l.newSubmitView(c, shown, updateOf, formErrs))
	case errors.As(err, &serr) && serr.Code == search.EINVALID:
		return l.render(c, fiber.StatusBadRequest, "submit", l.newSubmitView(c, shown, updateOf, serr.Fields))
	case err != nil:
		return err
	}
	return c.Redirect("/submit/"+sub.Ref+"?lang="+url.QueryEscape(pageLang(c)), fiber.StatusSeeOther)
}

// entryFromForm reads the submission form.
func entryFromForm(c *fiber.Ctx) (search.Entry, string, []search.FieldError) {
	f := func(name string) string { return strings.Clone(c.FormValue(name)) }
	e := search.Entry{
		Title:            f("title"),
		ShortDescription: f("short_description"),
		Description:      f("description"),
		Organization:     f("organization"),
		Stakeholder:      f("stakeholder"),
		Country:          f("country"),
		Coverage:         f("coverage"),
		Status:           f("status"),
		StartDate:        f("start_date"),
		EndDate:          f("end_date"),
		Website:          f("website"),
		Language:         f("language"),
		ActionLines:      formValues(c, "action_lines"),
		Collections:      formValues(c, "collections"),
	}
	var errs []search.FieldError
	for _, s := range formValues(c, "sdgs") {
		n, err := strconv.Atoi(s)
		if err != nil {
			errs = append(errs, search.FieldError{Field: "sdgs", Message: fmt.Sprintf("%q is not an SDG number", s)})
			continue
		}
		e.SDGs = append(e.SDGs, n)
	}
	return e, f("update_of"), errs
}

// formValues returns every value of a repeated form field, copied.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	if out == nil {
		if mf, err := c.MultipartForm(); err == nil {
			out = append(out, mf.Value[name]...)
		}
	}
	return out
}

// statusView is the page of one submission, for its submitter.
type statusView struct {
	pageBase
	Sub    *search.Submission
	Status string // the status label
	URL    string
}

// handleSubmissionPage answers GET /submit/{ref}.
func (l *lifecycle) handleSubmissionPage(c *fiber.Ctx) error {
	subs, err := l.submissions()
	if err != nil {
		return err
	}
	sub, err := subs.Submission(param(c, "ref"))
	if err != nil {
		return err
	}
	v := &statusView{pageBase: pageBase{Lang: pageLang(c)}, Sub: publicSubmission(sub), URL: c.BaseURL() + "/submit/" + sub.Ref}
	v.Title = v.T("your_submission")
	v.Status = v.T(sub.Status)
	return l.render(c, fiber.StatusOK, "status", v)
}
