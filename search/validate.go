package search

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on an entry's fields.
const (
	MinEntryYear        = 2003 // the first stocktaking was prepared for the 2003 Geneva phase
	MaxEntryYear        = 2100
	MinPrizeYear        = 2012 // the first WSIS Prizes
	MaxTitleLen         = 300  // characters
	MaxDescriptionLen   = 20000
	MaxShortDescription = 3000
	MaxOrganizationLen  = 300
	MaxWebsiteLen       = 2000
	MaxIDLen            = 64
)

// Normalize puts an entry in canonical form before validation and storage:
// it trims text, turns labels into codes where it can read them (country to
// ISO3 upper case, language lower case, stakeholder, region, action lines,
// prize statuses…), derives Region from Country and Language from the text
// (DetectLanguage) when empty, and sorts and de-duplicates ActionLines (in
// ActionLines order), SDGs, Collections and Prizes. Values it cannot read
// are kept, trimmed, for Validate to report. Normalize is idempotent.
func Normalize(e *Entry) {
	e.ID = strings.TrimSpace(e.ID)
	e.Title = strings.Join(strings.Fields(e.Title), " ")
	e.Organization = strings.Join(strings.Fields(e.Organization), " ")
	e.ShortDescription = strings.TrimSpace(e.ShortDescription)
	e.Description = strings.TrimSpace(e.Description)
	e.Website = strings.TrimSpace(e.Website)
	e.StartDate = strings.TrimSpace(e.StartDate)
	e.EndDate = strings.TrimSpace(e.EndDate)

	e.Stakeholder = canon(e.Stakeholder, ParseStakeholder)
	e.Country = strings.ToUpper(strings.TrimSpace(e.Country))
	if c, ok := ParseCountry(e.Country); ok {
		e.Country = c.ISO3
	}
	e.Region = canon(e.Region, ParseRegion)
	if e.Region == "" {
		if c, ok := CountryByCode(e.Country); ok && len(e.Country) == 3 {
			e.Region = c.Region
		}
	}
	e.Coverage = canonTerm(Coverages, e.Coverage)
	e.Status = canonTerm(Statuses, e.Status)
	e.Language = canonTerm(Languages, e.Language)
	if e.Language == "" {
		e.Language = DetectLanguage(e.Title, e.ShortDescription, e.Description)
	}

	for i, a := range e.ActionLines {
		e.ActionLines[i] = canon(a, ParseActionLine)
	}
	e.ActionLines = sortActionLines(e.ActionLines)
	e.SDGs = sortInts(e.SDGs)
	for i, c := range e.Collections {
		e.Collections[i] = canonTerm(Collections, c)
	}
	e.Collections = sortStrings(e.Collections)
	for i := range e.Prizes {
		e.Prizes[i].Status = canonTerm(PrizeStatuses, e.Prizes[i].Status)
	}
	e.Prizes = sortPrizes(e.Prizes)
}

// canon returns the code parse reads in s, or s trimmed.
func canon(s string, parse func(string) (string, bool)) string {
	s = strings.TrimSpace(s)
	if code, ok := parse(s); ok {
		return code
	}
	return s
}

// canonTerm returns the term code read in s, or s trimmed and lower-cased.
func canonTerm(terms []Term, s string) string {
	s = strings.TrimSpace(s)
	if code, ok := ParseTerm(terms, s); ok {
		return code
	}
	return strings.ToLower(s)
}

func actionLineRank(code string) int {
	for i, al := range ActionLines {
		if al.Code == code {
			return i
		}
	}
	return len(ActionLines)
}

func sortActionLines(in []string) []string {
	sort.SliceStable(in, func(i, j int) bool {
		ri, rj := actionLineRank(in[i]), actionLineRank(in[j])
		if ri != rj {
			return ri < rj
		}
		return in[i] < in[j]
	})
	return dedupe(in, func(a, b string) bool { return a == b })
}

func sortStrings(in []string) []string {
	sort.Strings(in)
	return dedupe(in, func(a, b string) bool { return a == b })
}

func sortInts(in []int) []int {
	sort.Ints(in)
	return dedupe(in, func(a, b int) bool { return a == b })
}

func sortPrizes(in []Prize) []Prize {
	sort.SliceStable(in, func(i, j int) bool {
		a, b := in[i], in[j]
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		return a.Status < b.Status
	})
	return dedupe(in, func(a, b Prize) bool { return a == b })
}

// dedupe removes adjacent duplicates in place; nil and empty stay as they are.
func dedupe[T any](in []T, eq func(a, b T) bool) []T {
	if len(in) < 2 {
		return in
	}
	out := in[:1]
	for _, v := range in[1:] {
		if !eq(v, out[len(out)-1]) {
			out = append(out, v)
		}
	}
	return out
}

// Validate checks a normalized entry and returns nil or an *Error with code
// EINVALID and one FieldError per bad field (field names are the JSON
// names; prize fields read "prizes[0].category").
func Validate(e *Entry) error {
	var v validation
	v.text("id", e.ID, true, MaxIDLen)
	if strings.ContainsAny(e.ID, " \t\r\n/?#%") {
		v.add("id", "must not contain spaces, '/', '?', '#' or '%'")
	}
	v.text("title", e.Title, true, MaxTitleLen)
	v.text("short_description", e.ShortDescription, false, MaxShortDescription)
	v.text("description", e.Description, false, MaxDescriptionLen)
	v.text("organization", e.Organization, true, MaxOrganizationLen)
	v.term("stakeholder", Stakeholders, e.Stakeholder, true)
	if e.Country == "" {
		v.add("country", "is required")
	} else if c, ok := CountryByCode(e.Country); !ok || c.ISO3 != e.Country {
		v.add("country", fmt.Sprintf("unknown country code %q (want ISO 3166-1 alpha-3 or %s)", e.Country, CountryInternational))
	}
	v.term("region", Regions, e.Region, false)
	v.term("coverage", Coverages, e.Coverage, false)
	v.term("status", Statuses, e.Status, false)
	v.term("language", Languages, e.Language, true)
	v.dates(e.StartDate, e.EndDate)
	if e.Year < MinEntryYear || e.Year > MaxEntryYear {
		v.add("year", fmt.Sprintf("must be between %d and %d", MinEntryYear, MaxEntryYear))
	}
	if len(e.ActionLines) == 0 {
		v.add("action_lines", "at least one action line is required")
	}
	for _, a := range e.ActionLines {
		if _, ok := ActionLineByCode(a); !ok {
			v.add("action_lines", fmt.Sprintf("unknown action line %q", a))
		}
	}
	for _, g := range e.SDGs {
		if g < 1 || g > 17 {
			v.add("sdgs", fmt.Sprintf("SDG %d is not between 1 and 17", g))
		}
	}
	for _, c := range e.Collections {
		v.term("collections", Collections, c, true)
	}
	v.website(e.Website)
	for i, p := range e.Prizes {
		f := "prizes[" + strconv.Itoa(i) + "]"
		if p.Year < MinPrizeYear || p.Year > MaxEntryYear {
			v.add(f+".year", fmt.Sprintf("must be between %d and %d", MinPrizeYear, MaxEntryYear))
		}
		if _, ok := ActionLineForCategory(p.Category); !ok {
			v.add(f+".category", "must be between 1 and 18")
		}
		v.term(f+".status", PrizeStatuses, p.Status, true)
	}
	return v.err()
}

// validation collects field errors.
type validation struct{ fields []FieldError }

func (v *validation) add(field, msg string) {
	v.fields = append(v.fields, FieldError{Field: field, Message: msg})
}

func (v *validation) text(field, s string, required bool, max int) {
	switch n := utf8.RuneCountInString(s); {
	case !utf8.ValidString(s):
		v.add(field, "must be valid UTF-8")
	case required && strings.TrimSpace(s) == "":
		v.add(field, "is required")
	case n > max:
		v.add(field, fmt.Sprintf("must be at most %d characters (has %d)", max, n))
	}
}

func (v *validation) term(field string, terms []Term, code string, required bool) {
	if code == "" {
		if required {
			v.add(field, "is required")
		}
		return
	}
	if _, ok := TermByCode(terms, code); !ok {
		codes := make([]string, len(terms))
		for i, t := range terms {
			codes[i] = t.Code
		}
		v.add(field, fmt.Sprintf("unknown value %q (want one of %s)", code, strings.Join(codes, ", ")))
	}
}

func (v *validation) website(s string) {
	if s == "" {
		return
	}
	if !utf8.ValidString(s) {
		v.add("website", "must be valid UTF-8")
		return
	}
	if len(s) > MaxWebsiteLen {
		v.add("website", fmt.Sprintf("must be at most %d characters", MaxWebsiteLen))
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.add("website", "must be an http:// or https:// address")
	}
}

func (v *validation) dates(start, end string) {
	s0, _, okS := dateRange(start)
	_, e1, okE := dateRange(end)
	if start != "" && !okS {
		v.add("start_date", "must be a date YYYY, YYYY-MM or YYYY-MM-DD")
	}
	if end != "" && !okE {
		v.add("end_date", "must be a date YYYY, YYYY-MM or YYYY-MM-DD")
	}
	if start != "" && end != "" && okS && okE && e1.Before(s0) {
		v.add("end_date", "must not be before the start date")
	}
}

// dateRange reads YYYY, YYYY-MM or YYYY-MM-DD and returns the first and last
// day it covers, so that "2020-06" may start within an end of "2020".
func dateRange(s string) (first, last time.Time, ok bool) {
	for _, f := range []struct {
		layout string
		span   func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, -1) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, -1) }},
	} {
		if len(s) != len(f.layout) {
			continue
		}
		t, err := time.Parse(f.layout, s)
		if err != nil {
			return time.Time{}, time.Time{}, false
		}
		return t, f.span(t), true
	}
	return time.Time{}, time.Time{}, false
}

func (v *validation) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	msgs := make([]string, len(v.fields))
	for i, f := range v.fields {
		msgs[i] = f.Field + ": " + f.Message
	}
	return &Error{Code: EINVALID, Message: "invalid entry: " + strings.Join(msgs, "; "), Fields: v.fields}
}
