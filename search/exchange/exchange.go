// Package exchange reads and writes files of WSIS Stocktaking entries: JSON
// Lines, a JSON array and CSV, both our own export shape and the WSIS Prizes
// 2015 nominee list as ITU published it (mis-encoded bytes and all).
//
// Read never stops at a bad row: it reports the row with its line number and
// reason, and keeps every good one. Repairs it makes to the data (encoding,
// a split row) are reported too, so that an import can be reviewed.
package exchange

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Format is a file format of entries.
type Format string

// The formats Read and NewWriter know.
const (
	FormatJSONL Format = "jsonl"
	FormatJSON  Format = "json"
	FormatCSV   Format = "csv"
)

// ParseFormat reads a format name ("jsonl", "ndjson", "json", "csv").
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "jsonl", "ndjson":
		return FormatJSONL, true
	case "json":
		return FormatJSON, true
	case "csv":
		return FormatCSV, true
	}
	return "", false
}

// DetectFormat guesses the format of a file from its name and its first
// bytes: ".jsonl"/".ndjson" and ".csv" by name; otherwise a file whose first
// non-space byte is "{" is JSON Lines, "[" a JSON array, and anything else
// a JSON array when named ".json", CSV when not.
func DetectFormat(name string, head []byte) Format {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".csv":
		return FormatCSV
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte(bom)), " \t\r\n")
	switch {
	case len(head) > 0 && head[0] == '{':
		return FormatJSONL
	case len(head) > 0 && head[0] == '[', ext == ".json":
		return FormatJSON
	}
	return FormatCSV
}

// Options tune Read.
type Options struct {
	// DefaultYear is the stocktaking edition of rows that carry no year. When
	// 0, a year 2003…2099 in Source ("wsis-prizes-2015-nominated.csv") is used.
	DefaultYear int
	// Source names the file in messages.
	Source string
}

// Rejected is a row that was not imported.
type Rejected struct {
	Line   int    `json:"line"` // 1-based physical line where the row starts
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason"`
}

// Repair is a change Read made to a row to make it readable.
type Repair struct {
	Line   int    `json:"line"`
	Field  string `json:"field"` // a CSVHeader column name
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// Report tells what Read did with a file.
type Report struct {
	Source   string     `json:"source,omitempty"`
	Read     int        `json:"read"` // rows seen, blank lines excluded
	Accepted int        `json:"accepted"`
	Rejected []Rejected `json:"rejected,omitempty"`
	Repairs  []Repair   `json:"repairs,omitempty"`
}

// DefaultBatchSize is the batch size Read uses when given none.
const DefaultBatchSize = 500

// Read parses a whole file of format f, normalises and validates every
// record, and calls fn with batches of at most batchSize (0: 500) valid
// entries, which fn may keep; a nil fn only checks the file. Bad rows are
// reported and skipped; a row whose id was already seen in the file is
// rejected; a row without an id gets one from derivedID. The error is an
// I/O error, an error from fn (both stop the read), or a *search.Error when
// the file as a whole cannot be read (a CSV without a usable header, an
// unknown format). Read never panics and reads each byte once.
func Read(r io.Reader, f Format, opts Options, batchSize int, fn func([]*search.Entry) error) (*Report, error) {
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	if opts.DefaultYear == 0 {
		opts.DefaultYear = yearInName(opts.Source)
	}
	s := &sink{rep: &Report{Source: opts.Source}, size: batchSize, fn: fn, seen: map[string]int{}}
	if opts.DefaultYear == 0 && f == FormatCSV {
		// A CSV row without a year takes the file's: say how to give one.
		s.noYear = fmt.Sprintf("no year in the row, and no year in the file name %q: pass the edition year (-year, or year= in the API) or add a year column", path.Base(opts.Source))
	}
	var err error
	switch f {
	case FormatJSONL:
		err = readJSONL(r, s)
	case FormatJSON:
		err = readJSONArray(r, s)
	case FormatCSV:
		err = readCSV(r, opts, s)
	default:
		err = search.Errorf(search.EINVALID, "unknown import format %q (want jsonl, json or csv)", f)
	}
	if err == nil {
		err = s.flush()
	}
	return s.rep, err
}

var yearRE = regexp.MustCompile(`(?:^|[^0-9])(20[0-9][0-9])(?:[^0-9]|$)`)

// yearInName finds a stocktaking year in a file name, 0 when there is none.
func yearInName(name string) int {
	m := yearRE.FindStringSubmatch(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	if y < 2003 {
		return 0
	}
	return y
}

// sink collects the entries of one Read: it normalises, validates, rejects
// duplicates and hands batches to fn.
type sink struct {
	rep   *Report
	size  int
	fn    func([]*search.Entry) error
	batch []*search.Entry
	seen  map[string]int // id → line of its first row
	// noYear replaces the year message of a row left without a year.
	noYear string
}

// row counts a row seen in the file.
func (s *sink) row() { s.rep.Read++ }

func (s *sink) reject(line int, id, reason string) {
	s.rep.Rejected = append(s.rep.Rejected, Rejected{Line: line, ID: id, Reason: reason})
}

func (s *sink) repair(r Repair) { s.rep.Repairs = append(s.rep.Repairs, r) }

// add normalises, completes and validates e; a valid e joins the batch.
func (s *sink) add(line int, e *search.Entry) error {
	if e.ID == "" {
		e.ID = derivedID(e)
	}
	search.Normalize(e)
	if err := search.Validate(e); err != nil {
		reason := validationReason(err)
		if e.Year == 0 && s.noYear != "" {
			reason = replaceFieldMessage(err, "year", s.noYear)
		}
		s.reject(line, e.ID, reason)
		return nil
	}
	if first, dup := s.seen[e.ID]; dup {
		s.reject(line, e.ID, fmt.Sprintf("duplicate id %s (first on line %d)", e.ID, first))
		return nil
	}
	s.seen[e.ID] = line
	s.rep.Accepted++
	s.batch = append(s.batch, e)
	if len(s.batch) >= s.size {
		return s.flush()
	}
	return nil
}

func (s *sink) flush() error {
	if len(s.batch) == 0 || s.fn == nil {
		s.batch = nil
		return nil
	}
	b := s.batch
	s.batch = nil
	return s.fn(b)
}

// validationReason turns a Validate error into one line: every field
// problem, separated by "; ".
func validationReason(err error) string {
	var se *search.Error
	if errors.As(err, &se) && len(se.Fields) > 0 {
		parts := make([]string, len(se.Fields))
		for i, f := range se.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

// replaceFieldMessage is validationReason with the message of field
// replaced.
func replaceFieldMessage(err error, field, msg string) string {
	var se *search.Error
	if !errors.As(err, &se) || len(se.Fields) == 0 {
		return field + ": " + msg
	}
	parts := make([]string, len(se.Fields))
	for i, f := range se.Fields {
		if f.Field == field {
			parts[i] = f.Field + ": " + msg
		} else {
			parts[i] = f.Field + ": " + f.Message
		}
	}
	return strings.Join(parts, "; ")
}

// derivedID gives a row without an id a stable one: "wsis" + year + "-" +
// the first 10 hex digits of SHA-1 over the folded title, organisation and
// first action line, joined with "|". The same row always gets the same id,
// so importing a file twice updates rather than duplicates.
func derivedID(e *search.Entry) string {
	al := ""
	if len(e.ActionLines) > 0 {
		al = e.ActionLines[0]
	}
	sum := sha1.Sum([]byte(foldSpace(e.Title) + "|" + foldSpace(e.Organization) + "|" + al))
	return fmt.Sprintf("wsis%d-%s", e.Year, hex.EncodeToString(sum[:])[:10])
}

// foldSpace lower-cases s and collapses its white space.
func foldSpace(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
