package search

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends r encoded byte for byte as encoding/json encodes it
// (result_json_test.go compares them), without reflection: a search
// response carries a few hundred facet values, and encoding them was a
// tenth of the cost of serving a search. It fails on a score or time that
// is not a finite number, as encoding/json does.
func (r *Result) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"total":`...)
	b = strconv.AppendInt(b, int64(r.Total), 10)
	b = append(b, `,"took_ms":`...)
	if b, err = appendFloat(b, r.TookMS); err != nil {
		return nil, err
	}
	b = append(b, `,"hits":`...)
	if r.Hits == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Hits {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = r.Hits[i].appendJSON(b); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	if len(r.Facets) > 0 {
		b = append(b, `,"facets":{`...)
		names := make([]string, 0, len(r.Facets))
		for name := range r.Facets {
			names = append(names, name)
		}
		slices.Sort(names) // encoding/json sorts map keys
		for i, name := range names {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, name)
			b = append(b, ':')
			vals := r.Facets[name]
			if vals == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j := range vals {
				if j > 0 {
					b = append(b, ',')
				}
				b = vals[j].appendJSON(b)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	if r.ReadAs != "" {
		b = append(b, `,"read_as":`...)
		b = appendString(b, r.ReadAs)
	}
	if len(r.Warnings) > 0 {
		b = append(b, `,"warnings":[`...)
		for i, w := range r.Warnings {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, w)
		}
		b = append(b, ']')
	}
	if r.DidYouMean != "" {
		b = append(b, `,"did_you_mean":`...)
		b = appendString(b, r.DidYouMean)
	}
	if r.NextCursor != "" {
		b = append(b, `,"next_cursor":`...)
		b = appendString(b, r.NextCursor)
	}
	return append(b, '}'), nil
}

func (h *Hit) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = appendString(b, h.ID)
	b = append(b, `,"score":`...)
	if b, err = appendFloat(b, h.Score); err != nil {
		return nil, err
	}
	b = append(b, `,"title":`...)
	b = appendString(b, h.Title)
	b = append(b, `,"organization":`...)
	b = appendString(b, h.Organization)
	b = append(b, `,"country":`...)
	b = appendString(b, h.Country)
	if h.Region != "" {
		b = append(b, `,"region":`...)
		b = appendString(b, h.Region)
	}
	if h.Stakeholder != "" {
		b = append(b, `,"stakeholder":`...)
		b = appendString(b, h.Stakeholder)
	}
	b = append(b, `,"year":`...)
	b = strconv.AppendInt(b, int64(h.Year), 10)
	b = append(b, `,"action_lines":`...)
	if h.ActionLines == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, a := range h.ActionLines {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, a)
		}
		b = append(b, ']')
	}
	b = append(b, `,"sdgs":`...)
	if h.SDGs == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, g := range h.SDGs {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(g), 10)
		}
		b = append(b, ']')
	}
	if len(h.Prizes) > 0 {
		b = append(b, `,"prizes":[`...)
		for i, p := range h.Prizes {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"year":`...)
			b = strconv.AppendInt(b, int64(p.Year), 10)
			b = append(b, `,"category":`...)
			b = strconv.AppendInt(b, int64(p.Category), 10)
			b = append(b, `,"status":`...)
			b = appendString(b, p.Status)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if h.Snippet != "" {
		b = append(b, `,"snippet":`...)
		b = appendString(b, h.Snippet)
	}
	return append(b, '}'), nil
}

func (v *FacetValue) appendJSON(b []byte) []byte {
	b = append(b, `{"value":`...)
	b = appendString(b, v.Value)
	b = append(b, `,"label":`...)
	b = appendString(b, v.Label)
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, int64(v.Count), 10)
	if v.Selected {
		b = append(b, `,"selected":true`...)
	}
	if v.Color != "" {
		b = append(b, `,"color":`...)
		b = appendString(b, v.Color)
	}
	if v.Parent != "" {
		b = append(b, `,"parent":`...)
		b = appendString(b, v.Parent)
	}
	return append(b, '}')
}

var errNotFinite = errors.New("json: unsupported value: a number that is not finite")

// appendFloat formats f as encoding/json does for a float64.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errNotFinite
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// plainJSON marks the bytes a JSON string holds as they are (encoding/json's
// HTML-safe set: not control characters, quote, backslash, < > &, nor any
// byte of a multi-byte character, which are checked one by one).
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendString quotes s as encoding/json does with HTML escaping on:
// <, > and & as \u003c, \u003e, \u0026; U+2028 and U+2029 escaped;
// invalid UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if plainJSON[c] {
				i++
				for i < len(s) && plainJSON[s[i]] { // the common run of plain ASCII
					i++
				}
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
