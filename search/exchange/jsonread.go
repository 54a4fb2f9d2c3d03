package exchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/itu-stocktaking/stocktaking/search"
)

// readJSONL reads one entry per line; blank lines are skipped.
func readJSONL(r io.Reader, s *sink) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("read line %d: %w", line, err)
		}
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte(bom))
		}
		if t := bytes.TrimSpace(b); len(t) > 0 {
			s.row()
			if e, reason := decodeEntry(t); e == nil {
				s.reject(line, idOf(t), reason)
			} else if aerr := s.add(line, e); aerr != nil {
				return aerr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// decodeEntry decodes one JSON object into an entry, or says why it cannot.
func decodeEntry(raw []byte) (*search.Entry, string) {
	if !utf8.Valid(raw) {
		return nil, "not valid UTF-8"
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, "not a JSON object"
	}
	var e search.Entry
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, "invalid JSON: " + jsonMessage(err)
	}
	return &e, ""
}

// jsonMessage drops the "json: " prefix of encoding/json errors.
func jsonMessage(err error) string {
	msg := err.Error()
	if len(msg) > 6 && msg[:6] == "json: " {
		return msg[6:]
	}
	return msg
}

// idOf returns the "id" of a JSON object that failed to decode as an entry,
// when the id alone can be read, so that a rejection names the entry.
func idOf(raw []byte) string {
	var v struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	var id string
	if json.Unmarshal(v.ID, &id) != nil || !utf8.ValidString(id) || len(id) > 200 {
		return ""
	}
	return id
}

// lineCounter tells the line of a byte offset of the stream read through
// it. It keeps only the newline offsets that lie ahead of the last query,
// so its memory stays bounded by one object and the decoder's look-ahead.
type lineCounter struct {
	r    io.Reader
	read int64   // bytes read so far
	nl   []int64 // offsets of newlines not yet passed by a query
	line int     // newlines before the offset of the last query
	err  error   // the first read error other than io.EOF
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		c.err = err
	}
	for i, b := range p[:n] {
		if b == '\n' {
			c.nl = append(c.nl, c.read+int64(i))
		}
	}
	c.read += int64(n)
	return n, err
}

// lineAt returns the 1-based line of offset off; offsets must not decrease
// from one call to the next.
func (c *lineCounter) lineAt(off int64) int {
	i := 0
	for i < len(c.nl) && c.nl[i] < off {
		i++
	}
	c.line += i
	c.nl = c.nl[i:]
	return c.line + 1
}

// readJSONArray reads a JSON array of entries, one object at a time. A
// syntax error ends the array: the rest of the file cannot be trusted and is
// reported as one rejected row at the line where the broken value starts.
func readJSONArray(r io.Reader, s *sink) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(len(bom)); string(head) == bom {
		br.Discard(len(bom))
	}
	lc := &lineCounter{r: br}
	dec := json.NewDecoder(lc)
	dec.UseNumber() // a stray number outside the objects must not overflow float64
	fail := func(err error) error {
		switch {
		case lc.err != nil:
			return fmt.Errorf("read json: %w", lc.err)
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			s.reject(lc.lineAt(valueStart(dec)), "", "invalid JSON: unexpected end of file")
		default:
			s.reject(lc.lineAt(valueStart(dec)), "", "invalid JSON: "+jsonMessage(err)+"; the rest of the file was not read")
		}
		return nil
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		s.reject(1, "", "not a JSON array")
		return nil
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(err)
		}
		line := lc.lineAt(dec.InputOffset() - int64(len(raw)))
		s.row()
		e, reason := decodeEntry(raw)
		if e == nil {
			s.reject(line, idOf(raw), reason)
			continue
		}
		if err := s.add(line, e); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if lc.err != nil {
			return fmt.Errorf("read json: %w", lc.err)
		}
		s.reject(lc.lineAt(valueStart(dec)), "", "text after the end of the JSON array")
	}
	return nil
}

// valueStart returns the offset of the next non-space byte the decoder has
// buffered: where the value it is about to read (or failed to read) starts.
func valueStart(dec *json.Decoder) int64 {
	off := dec.InputOffset()
	rest := dec.Buffered()
	var b [1]byte
	for {
		if n, _ := rest.Read(b[:]); n == 0 || (b[0] != ' ' && b[0] != '\t' && b[0] != '\r' && b[0] != '\n') {
			return off
		}
		off++
	}
}
