package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// The entry encoding is a small hand-written binary format rather than JSON
// or gob: ForEach decodes every entry at start-up and on rebuild, and a
// reflection-based decoder spends most of its time parsing field names. Here a
// value is
//
//	[1] format version   (entryFormat)
//	[8] change seq       (big-endian; the key of the entry's row in changes)
//	[12] created         (8-byte big-endian Unix seconds + 4-byte nanoseconds)
//	[12] updated
//	body                 (the fields of entryFields, in order)
//
// Strings are a uvarint length and bytes, ints are zig-zag varints, lists a
// uvarint count and their items. The header has a fixed size, so Put compares
// bodies byte for byte (timestamps excluded) without decoding. Decoding copies
// the value once into a string and slices every string field from it, so an
// entry costs one allocation for its text. A new field means a new format
// version; the decoder keeps reading the old ones.
const (
	entryFormat  = 1
	timeSize     = 12
	headerSize   = 1 + 8 + 2*timeSize
	createdAt    = 1 + 8
	updatedAt    = createdAt + timeSize
	maxListItems = 1 << 20 // sanity bound against corrupt counts
)

// errCorrupt reports a value that cannot be decoded.
var errCorrupt = errors.New("corrupt value")

// field is one encoded Entry field: its JSON name (used in Revision.Changed)
// and how it is written and read.
type field struct {
	name string
	enc  func(b []byte, e *search.Entry) []byte
	dec  func(d *decoder, e *search.Entry)
}

// entryFields lists every Entry field except Created and Updated, which live
// in the header. Appending a field requires a new entryFormat.
var entryFields = []field{
	{"id", func(b []byte, e *search.Entry) []byte { return putString(b, e.ID) }, func(d *decoder, e *search.Entry) { e.ID = d.string() }},
	{"title", func(b []byte, e *search.Entry) []byte { return putString(b, e.Title) }, func(d *decoder, e *search.Entry) { e.Title = d.string() }},
	{"short_description", func(b []byte, e *search.Entry) []byte { return putString(b, e.ShortDescription) }, func(d *decoder, e *search.Entry) { e.ShortDescription = d.string() }},
	{"description", func(b []byte, e *search.Entry) []byte { return putString(b, e.Description) }, func(d *decoder, e *search.Entry) { e.Description = d.string() }},
	{"organization", func(b []byte, e *search.Entry) []byte { return putString(b, e.Organization) }, func(d *decoder, e *search.Entry) { e.Organization = d.string() }},
	{"stakeholder", func(b []byte, e *search.Entry) []byte { return putString(b, e.Stakeholder) }, func(d *decoder, e *search.Entry) { e.Stakeholder = d.string() }},
	{"country", func(b []byte, e *search.Entry) []byte { return putString(b, e.Country) }, func(d *decoder, e *search.Entry) { e.Country = d.string() }},
	{"region", func(b []byte, e *search.Entry) []byte { return putString(b, e.Region) }, func(d *decoder, e *search.Entry) { e.Region = d.string() }},
	{"coverage", func(b []byte, e *search.Entry) []byte { return putString(b, e.Coverage) }, func(d *decoder, e *search.Entry) { e.Coverage = d.string() }},
	{"status", func(b []byte, e *search.Entry) []byte { return putString(b, e.Status) }, func(d *decoder, e *search.Entry) { e.Status = d.string() }},
	{"start_date", func(b []byte, e *search.Entry) []byte { return putString(b, e.StartDate) }, func(d *decoder, e *search.Entry) { e.StartDate = d.string() }},
	{"end_date", func(b []byte, e *search.Entry) []byte { return putString(b, e.EndDate) }, func(d *decoder, e *search.Entry) { e.EndDate = d.string() }},
	{"year", func(b []byte, e *search.Entry) []byte { return binary.AppendVarint(b, int64(e.Year)) }, func(d *decoder, e *search.Entry) { e.Year = d.int() }},
	{"action_lines", func(b []byte, e *search.Entry) []byte { return putStrings(b, e.ActionLines) }, func(d *decoder, e *search.Entry) { e.ActionLines = d.strings() }},
	{"sdgs", putSDGs, func(d *decoder, e *search.Entry) { e.SDGs = d.ints() }},
	{"website", func(b []byte, e *search.Entry) []byte { return putString(b, e.Website) }, func(d *decoder, e *search.Entry) { e.Website = d.string() }},
	{"language", func(b []byte, e *search.Entry) []byte { return putString(b, e.Language) }, func(d *decoder, e *search.Entry) { e.Language = d.string() }},
	{"collections", func(b []byte, e *search.Entry) []byte { return putStrings(b, e.Collections) }, func(d *decoder, e *search.Entry) { e.Collections = d.strings() }},
	{"prizes", putPrizes, decPrizes},
	{"withdrawn", putWithdrawn, func(d *decoder, e *search.Entry) { e.Withdrawn = d.byte() == 1 }},
}

func putSDGs(b []byte, e *search.Entry) []byte {
	b = binary.AppendUvarint(b, uint64(len(e.SDGs)))
	for _, g := range e.SDGs {
		b = binary.AppendVarint(b, int64(g))
	}
	return b
}

func putPrizes(b []byte, e *search.Entry) []byte {
	b = binary.AppendUvarint(b, uint64(len(e.Prizes)))
	for _, p := range e.Prizes {
		b = binary.AppendVarint(b, int64(p.Year))
		b = binary.AppendVarint(b, int64(p.Category))
		b = putString(b, p.Status)
	}
	return b
}

func decPrizes(d *decoder, e *search.Entry) {
	n := d.count()
	if n == 0 {
		return
	}
	e.Prizes = make([]search.Prize, n)
	for i := range e.Prizes {
		e.Prizes[i] = search.Prize{Year: d.int(), Category: d.int(), Status: d.string()}
	}
}

func putWithdrawn(b []byte, e *search.Entry) []byte {
	if e.Withdrawn {
		return append(b, 1)
	}
	return append(b, 0)
}

// encodeBody appends the fields of e (timestamps excluded) to b.
func encodeBody(b []byte, e *search.Entry) []byte {
	for _, f := range entryFields {
		b = f.enc(b, e)
	}
	return b
}

// encodeEntry returns a complete stored value: header and body.
func encodeEntry(seq uint64, created, updated time.Time, body []byte) []byte {
	v := make([]byte, headerSize, headerSize+len(body))
	v[0] = entryFormat
	binary.BigEndian.PutUint64(v[1:], seq)
	putTime(v[createdAt:], created)
	putTime(v[updatedAt:], updated)
	return append(v, body...)
}

// decodeEntry decodes a stored value; the result shares nothing with v.
func decodeEntry(v []byte) (*search.Entry, error) {
	if len(v) < headerSize {
		return nil, fmt.Errorf("entry value of %d bytes: %w", len(v), errCorrupt)
	}
	if v[0] != entryFormat {
		return nil, fmt.Errorf("entry format version %d is not supported", v[0])
	}
	e := &search.Entry{Created: getTime(v[createdAt:]), Updated: getTime(v[updatedAt:])}
	d := decoder{s: string(v[headerSize:])}
	for _, f := range entryFields {
		f.dec(&d, e)
	}
	if d.err != nil {
		return nil, d.err
	}
	if d.off != len(d.s) {
		return nil, fmt.Errorf("entry %q has %d trailing bytes: %w", e.ID, len(d.s)-d.off, errCorrupt)
	}
	return e, nil
}

// entrySeq returns the change sequence number stored in an entry's header.
func entrySeq(v []byte) uint64 { return binary.BigEndian.Uint64(v[1:]) }

// entryCreated returns the creation time stored in an entry's header.
func entryCreated(v []byte) time.Time { return getTime(v[createdAt:]) }

// entryUpdated returns the update time stored in an entry's header.
func entryUpdated(v []byte) time.Time { return getTime(v[updatedAt:]) }

// changedFields returns the JSON names of the fields that differ between old
// and e, timestamps excluded; old may be nil for a new entry.
func changedFields(old, e *search.Entry) []string {
	if old == nil {
		old = &search.Entry{}
	}
	var names []string
	var a, b []byte
	for _, f := range entryFields {
		a, b = f.enc(a[:0], old), f.enc(b[:0], e)
		if string(a) != string(b) {
			names = append(names, f.name)
		}
	}
	return names
}

// normTime is t as it reads back from the store: UTC, without a monotonic
// clock reading. The zero time stays zero.
func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Round(0)
}

// unixToYearOne shifts Unix seconds to seconds since 0001-01-01 UTC, the
// origin of time.Time, so that the zero time is stored as zero bytes and
// 1970-01-01 is an ordinary instant.
const unixToYearOne = 62135596800

// putTime writes t as seconds since year 1 and nanoseconds.
func putTime(b []byte, t time.Time) {
	binary.BigEndian.PutUint64(b, uint64(t.Unix()+unixToYearOne))
	binary.BigEndian.PutUint32(b[8:], uint32(t.Nanosecond()))
}

func getTime(b []byte) time.Time {
	sec := int64(binary.BigEndian.Uint64(b))
	nsec := binary.BigEndian.Uint32(b[8:])
	if sec == 0 && nsec == 0 {
		return time.Time{}
	}
	return time.Unix(sec-unixToYearOne, int64(nsec)).UTC()
}

func putString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func putStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = putString(b, s)
	}
	return b
}

// decoder reads a body; the first error sticks and later reads return zero
// values, so field decoders need no error checks of their own.
type decoder struct {
	s   string
	off int
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = fmt.Errorf("at byte %d: %w", d.off, errCorrupt)
	}
	d.off = len(d.s)
}

func (d *decoder) uvarint() uint64 {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if d.off >= len(d.s) {
			d.fail()
			return 0
		}
		c := d.s[d.off]
		d.off++
		if c < 0x80 {
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
	}
	d.fail()
	return 0
}

func (d *decoder) int() int {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return int(x)
}

func (d *decoder) byte() byte {
	if d.off >= len(d.s) {
		d.fail()
		return 0
	}
	c := d.s[d.off]
	d.off++
	return c
}

func (d *decoder) count() int {
	n := d.uvarint()
	if n > maxListItems || n > uint64(len(d.s)-d.off) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.s)-d.off) {
		d.fail()
		return ""
	}
	s := d.s[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

func (d *decoder) strings() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.string()
	}
	return ss
}

func (d *decoder) ints() []int {
	n := d.count()
	if n == 0 {
		return nil
	}
	xs := make([]int, n)
	for i := range xs {
		xs[i] = d.int()
	}
	return xs
}
