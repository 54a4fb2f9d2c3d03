package exchange

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/itu-stocktaking/stocktaking/search"
)

// readCSV reads a CSV file with a header row. The header names the columns
// (case-insensitive, with aliases: see headerAliases); unknown columns are
// ignored. A "category" column makes a prize nominee list like the 2015
// one: each row is nominated in that category.
//
// A file that starts with a byte order mark declares itself UTF-8 (our
// export does): its valid UTF-8 text is taken as it is, and only invalid
// text is tried as mojibake. Without the mark, valid text that reads back
// completely as mojibake ("MÃ©xico") is repaired too.
func readCSV(r io.Reader, opts Options, s *sink) error {
	br := bufio.NewReaderSize(r, 64<<10)
	declared := false
	if head, _ := br.Peek(len(bom)); string(head) == bom {
		br.Discard(len(bom))
		declared = true
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return search.Errorf(search.EINVALID, "csv header: %v", pe.Err)
	} else if err != nil {
		return fmt.Errorf("read csv header: %w", err)
	}
	cols, err := mapHeader(header)
	if err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if errors.As(err, &pe) {
			s.row()
			s.reject(pe.StartLine, "", "invalid CSV: "+pe.Err.Error())
			continue
		} else if err != nil {
			return fmt.Errorf("read csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		s.row()
		if len(rec) != len(header) {
			s.reject(line, "", fmt.Sprintf("%d columns, the header has %d", len(rec), len(header)))
			continue
		}
		e, reason := csvEntry(rec, cols, line, opts, declared, s)
		if e == nil {
			s.reject(line, "", reason)
			continue
		}
		if err := s.add(line, e); err != nil {
			return err
		}
	}
}

// mapHeader names the column of each header cell ("" for ignored ones).
func mapHeader(header []string) ([]string, error) {
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		c := headerAliases[headerKey(h)]
		if c != "" && seen[c] {
			return nil, search.Errorf(search.EINVALID, "csv header: column %q appears twice", c)
		}
		cols[i], seen[c] = c, c != ""
	}
	if !seen["title"] {
		return nil, search.Errorf(search.EINVALID, "csv header: no title (or project) column in %q", strings.Join(header, ","))
	}
	return cols, nil
}

// csvEntry builds an entry from one row, or says why it cannot. Encoding
// and split-row repairs are reported to s.
func csvEntry(rec, cols []string, line int, opts Options, utf8Declared bool, s *sink) (*search.Entry, string) {
	v := make(map[string]string, len(cols))
	for i, c := range cols {
		if c == "" {
			continue
		}
		fixed, note, ok := rec[i], textNote{}, true
		if !utf8Declared || !utf8.ValidString(rec[i]) {
			fixed, note, ok = repairText(rec[i])
		}
		if !ok {
			return nil, fmt.Sprintf("%s: not valid UTF-8, and not a repairable mis-encoding", c)
		}
		if fixed != rec[i] {
			s.repair(Repair{Line: line, Field: c, From: macRoman(rec[i]), To: fixed, Reason: note.reason()})
		}
		v[c] = strings.TrimSpace(unneutralize(fixed))
	}
	e := &search.Entry{
		ID: v["id"], Title: v["title"], ShortDescription: v["short_description"], Description: v["description"],
		Organization: v["organization"], Country: v["country"], StartDate: v["start_date"], EndDate: v["end_date"],
		Website: v["website"], Language: term(termParser(search.Languages), v["language"]),
		Stakeholder: term(search.ParseStakeholder, v["stakeholder"]),
		Coverage:    term(termParser(search.Coverages), v["coverage"]),
		Status:      term(termParser(search.Statuses), v["status"]),
		Region:      term(search.ParseRegion, v["region"]),
	}
	if v["country"] != "" {
		if c, ok := readCountry(e, line, s); ok {
			e.Country = c.ISO3
			if e.Region == "" {
				e.Region = c.Region
			}
		}
	}
	e.Year = opts.DefaultYear
	if y := v["year"]; y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			return nil, fmt.Sprintf("year: %q is not a number", y)
		}
		e.Year = n
	}
	for _, a := range splitList(v["action_lines"]) {
		e.ActionLines = append(e.ActionLines, term(search.ParseActionLine, a))
	}
	for _, g := range splitList(v["sdgs"]) {
		n, ok := search.ParseSDG(g)
		if !ok {
			return nil, fmt.Sprintf("sdgs: %q is not an SDG", g)
		}
		e.SDGs = append(e.SDGs, n)
	}
	for _, c := range splitList(v["collections"]) {
		e.Collections = append(e.Collections, term(termParser(search.Collections), c))
	}
	for _, p := range splitList(v["prizes"]) {
		pr, err := parsePrize(p)
		if err != nil {
			return nil, "prizes: " + err.Error()
		}
		e.Prizes = append(e.Prizes, pr)
	}
	if c := v["category"]; c != "" {
		if reason := addCategory(e, c); reason != "" {
			return nil, reason
		}
	}
	var err error
	if e.Created, err = parseTime(v["created"]); err != nil {
		return nil, "created: " + err.Error()
	}
	if e.Updated, err = parseTime(v["updated"]); err != nil {
		return nil, "updated: " + err.Error()
	}
	switch strings.ToLower(v["withdrawn"]) {
	case "", "false", "no", "0":
	case "true", "yes", "1":
		e.Withdrawn = true
	default:
		return nil, fmt.Sprintf("withdrawn: %q is not true or false", v["withdrawn"])
	}
	if e.Stakeholder == "" {
		e.Stakeholder = guessStakeholder(e.Organization)
	}
	// A missing language is detected from the text by search.Normalize,
	// as for every other way in.
	return e, ""
}

// addCategory files a row of a prize nominee list: the category's action
// line joins the entry's lines, and the entry is nominated in that category
// for its year (unless its prizes already say more).
func addCategory(e *search.Entry, label string) string {
	cat, ok := search.ParsePrizeCategory(label)
	if !ok {
		return fmt.Sprintf("category: %q is not a WSIS Prize category", label)
	}
	code, _ := search.ActionLineForCategory(cat)
	if !slices.Contains(e.ActionLines, code) {
		e.ActionLines = append(e.ActionLines, code)
	}
	for _, p := range e.Prizes {
		if p.Year == e.Year && p.Category == cat {
			return ""
		}
	}
	e.Prizes = append(e.Prizes, search.Prize{Year: e.Year, Category: cat, Status: "nominated"})
	return ""
}

// readCountry parses the country of e. When it does not parse but its last
// comma-separated part does, the row was split inside the organisation name
// ("Meditech Solution Co" / "Ltd., THAILAND"): the head goes back to the
// organisation and a Repair is reported.
func readCountry(e *search.Entry, line int, s *sink) (search.Country, bool) {
	if c, ok := search.ParseCountry(e.Country); ok {
		return c, true
	}
	i := strings.LastIndex(e.Country, ",")
	if i < 0 {
		return search.Country{}, false
	}
	head, tail := strings.TrimSpace(e.Country[:i]), strings.TrimSpace(e.Country[i+1:])
	c, ok := search.ParseCountry(tail)
	if !ok || head == "" || e.Organization == "" {
		return search.Country{}, false
	}
	org := e.Organization + ", " + head
	s.repair(Repair{Line: line, Field: "country", From: e.Country, To: tail,
		Reason: fmt.Sprintf("row split inside the organisation name: %q moved back, organization is now %q", head, org)})
	e.Organization = org
	return c, true
}

// term returns the code parse finds for s, or s itself, so that Validate
// names the unknown value.
func term(parse func(string) (string, bool), s string) string {
	if s == "" {
		return ""
	}
	if c, ok := parse(s); ok {
		return c
	}
	return s
}

func termParser(terms []search.Term) func(string) (string, bool) {
	return func(s string) (string, bool) { return search.ParseTerm(terms, s) }
}

// parseTime reads an RFC 3339 time; empty is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", s)
	}
	return t, nil
}
