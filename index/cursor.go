package index

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/itu-stocktaking/stocktaking/search"
)

// cursorVersion is the first byte of every cursor. A version 1 cursor (a
// JSON array, made before snapshots were pinned) is still read, as a
// cursor whose snapshot is gone; a cursor of another version is rejected.
const cursorVersion = 2

// cursor is a position in a result list: the sort key and id of the last
// hit shown, and the token of the snapshot pinned for the walk (pin.go).
// For relevance, the key is the hit's score ("" when the query was not
// ranked and the order is by id).
type cursor struct {
	sort  string
	key   string
	id    string
	snap  string // pin token; "" when none
	score float64
}

// cursorSorts numbers the sort orders in a cursor.
var cursorSorts = []string{search.SortRelevance, search.SortNewest, search.SortOldest, search.SortTitle}

// encodeCursor returns the opaque, URL-safe form of a position; snap is
// the pin token of the snapshot it was computed on. It is base64url of
// version, sort, token length and token, key length and key, then the id;
// no field is escaped, so a cursor stays under the API's 512 bytes by
// construction: at most 4/3 × (11 + 2 + 64 (a title key; a score or date
// key is shorter) + 4 × search.MaxIDLen) = 444 bytes.
func encodeCursor(sortName, key, id, snap string) string {
	tok, _ := hex.DecodeString(snap)
	b := make([]byte, 0, 16+len(key)+len(id))
	b = append(b, cursorVersion, byte(slices.Index(cursorSorts, sortName)), byte(len(tok)))
	b = append(b, tok...)
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	b = append(b, id...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// encodeCursorVersion makes a JSON cursor of an older or unknown version,
// for tests.
func encodeCursorVersion(version int, sortName, key, id string) string {
	b, _ := json.Marshal([]any{version, sortName, key, id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made by encodeCursor for the same sort order;
// "" means none.
func decodeCursor(s, sortName string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := func(msg string) error {
		return &search.Error{Code: search.EINVALID, Field: "cursor", Message: msg}
	}
	notOurs := bad("the cursor is not one this server made")
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(b) == 0 {
		return nil, notOurs
	}
	var c *cursor
	switch b[0] {
	case cursorVersion:
		if c = decodeBinaryCursor(b); c == nil {
			return nil, notOurs
		}
	case '[':
		var parts []any
		if err := json.Unmarshal(b, &parts); err != nil || len(parts) == 0 {
			return nil, notOurs
		}
		if v, ok := parts[0].(float64); !ok || v != 1 {
			return nil, bad("the cursor is from another version; start from the first page")
		}
		if c = decodeCursorV1(parts); c == nil {
			return nil, notOurs
		}
	default:
		return nil, notOurs
	}
	if c.sort != sortName {
		return nil, bad("the cursor belongs to another sort order")
	}
	if c.sort == search.SortRelevance && c.key != "" {
		if c.score, err = strconv.ParseFloat(c.key, 64); err != nil {
			return nil, notOurs
		}
	}
	return c, nil
}

// decodeBinaryCursor reads the fields of a version 2 cursor; nil when they
// do not add up.
func decodeBinaryCursor(b []byte) *cursor {
	if len(b) < 3 || int(b[1]) >= len(cursorSorts) {
		return nil
	}
	c := &cursor{sort: cursorSorts[b[1]]}
	n := int(b[2])
	if n != 0 && n != tokenLen/2 || len(b) < 3+n {
		return nil
	}
	c.snap = hex.EncodeToString(b[3 : 3+n])
	rest := b[3+n:]
	k, m := binary.Uvarint(rest)
	if m <= 0 || k > uint64(len(rest)-m) {
		return nil
	}
	c.key = string(rest[m : m+int(k)])
	c.id = string(rest[m+int(k):])
	return c
}

// decodeCursorV1 reads a version 1 cursor: [1, sort, key, id].
func decodeCursorV1(parts []any) *cursor {
	if len(parts) != 4 {
		return nil
	}
	c := &cursor{}
	var ok1, ok2, ok3 bool
	c.sort, ok1 = parts[1].(string)
	c.key, ok2 = parts[2].(string)
	c.id, ok3 = parts[3].(string)
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	return c
}

// ranksBefore reports whether the cursor's hit ranks before a document
// with score and id (best score first, then ascending id).
func (c *cursor) ranksBefore(score float64, id string) bool {
	if c.score != score {
		return c.score > score
	}
	return c.id < id
}
