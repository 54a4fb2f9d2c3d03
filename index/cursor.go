package index

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/itu-stocktaking/stocktaking/search"
)

// cursorVersion is the first element of every cursor. Version 1 cursors
// (made before snapshots were pinned) are still read, as cursors whose
// snapshot is gone; a cursor of another version is rejected.
const cursorVersion = 2

// cursor is a position in a result list: the sort key and id of the last
// hit shown, and the token of the snapshot pinned for the walk (pin.go).
// For relevance, the key is the hit's score ("" when the query was not
// ranked and the order is by id).
type cursor struct {
	sort  string
	key   string
	id    string
	snap  string // pin token; "" in a version 1 cursor
	score float64
}

// encodeCursor returns the opaque, URL-safe form of a position; snap is
// the pin token of the snapshot it was computed on.
func encodeCursor(sortName, key, id, snap string) string {
	b, _ := json.Marshal([]any{cursorVersion, sortName, key, id, snap})
	return base64.RawURLEncoding.EncodeToString(b)
}

// encodeCursorVersion makes a cursor of another version, for tests.
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
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad("the cursor is not one this server made")
	}
	var parts []any
	if err := json.Unmarshal(b, &parts); err != nil || len(parts) < 4 {
		return nil, bad("the cursor is not one this server made")
	}
	v, ok := parts[0].(float64)
	if !ok || v != cursorVersion && v != 1 {
		return nil, bad("the cursor is from another version; start from the first page")
	}
	if len(parts) != 3+int(v) {
		return nil, bad("the cursor is not one this server made")
	}
	c := &cursor{}
	var ok1, ok2, ok3 bool
	c.sort, ok1 = parts[1].(string)
	c.key, ok2 = parts[2].(string)
	c.id, ok3 = parts[3].(string)
	if !ok1 || !ok2 || !ok3 {
		return nil, bad("the cursor is not one this server made")
	}
	if v == cursorVersion {
		if c.snap, ok = parts[4].(string); !ok || c.snap != "" && !validToken(c.snap) {
			return nil, bad("the cursor is not one this server made")
		}
	}
	if c.sort != sortName {
		return nil, bad("the cursor belongs to another sort order")
	}
	if c.sort == search.SortRelevance && c.key != "" {
		if c.score, err = strconv.ParseFloat(c.key, 64); err != nil {
			return nil, bad("the cursor is not one this server made")
		}
	}
	return c, nil
}

// ranksBefore reports whether the cursor's hit ranks before a document
// with score and id (best score first, then ascending id).
func (c *cursor) ranksBefore(score float64, id string) bool {
	if c.score != score {
		return c.score > score
	}
	return c.id < id
}
