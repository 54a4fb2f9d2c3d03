package ui

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/itu-stocktaking/stocktaking/search"
)

// fieldDiff is one field a submission changes.
type fieldDiff struct {
	Field string `json:"field"` // the JSON name
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
	// Lines is a line diff of a long text field, when both sides have one.
	Lines []lineDiff `json:"lines,omitempty"`
}

// lineDiff is one line of a line diff: kept ("="), removed ("-") or added ("+").
type lineDiff struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// Long texts get a line diff; beyond maxDiffLines lines a side, the diff
// shows the two texts whole (the quadratic table would be too big).
const (
	longText     = 200
	maxDiffLines = 1000
)

// ignoredInDiff are fields the server sets, which say nothing about what
// the submitter changed.
var ignoredInDiff = map[string]bool{"created": true, "updated": true}

// diffEntries compares old (nil for a new entry) with new, field by field
// in the order of search.Entry, and returns the fields that differ.
func diffEntries(old, new *search.Entry) []fieldDiff {
	if new == nil {
		return nil
	}
	var ov reflect.Value
	if old != nil {
		ov = reflect.ValueOf(*old)
	}
	nv := reflect.ValueOf(*new)
	t := nv.Type()
	out := []fieldDiff{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || ignoredInDiff[name] {
			continue
		}
		n := showValue(nv.Field(i))
		o := ""
		if old != nil {
			o = showValue(ov.Field(i))
		}
		if o == n {
			continue
		}
		d := fieldDiff{Field: name, Old: o, New: n}
		if o != "" && n != "" && (len(o) > longText || len(n) > longText) {
			d.Lines = diffLines(splitText(o), splitText(n))
		}
		out = append(out, d)
	}
	return out
}

// showValue renders a field value as text: lists joined by ", ", prizes as
// "year category status", false and zero as empty.
func showValue(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Int:
		if v.Int() == 0 {
			return ""
		}
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Bool:
		if v.Bool() {
			return "true"
		}
		return ""
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			if p, ok := v.Index(i).Interface().(search.Prize); ok {
				parts[i] = strconv.Itoa(p.Year) + " " + strconv.Itoa(p.Category) + " " + p.Status
				continue
			}
			parts[i] = showValue(v.Index(i))
		}
		return strings.Join(parts, ", ")
	}
	return ""
}

// splitText cuts a text into lines, or into sentences when it is one long
// line, so that an edited sentence shows as one changed line.
func splitText(s string) []string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	if len(lines) > 1 {
		return lines
	}
	var out []string
	start := 0
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && s[i+1] == ' ' {
			out = append(out, s[start:i+1])
			start = i + 2
		}
	}
	return append(out, s[start:])
}

// diffLines is a longest-common-subsequence line diff.
func diffLines(a, b []string) []lineDiff {
	if len(a) > maxDiffLines || len(b) > maxDiffLines {
		return nil
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []lineDiff
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, lineDiff{"=", a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, lineDiff{"-", a[i]})
			i++
		default:
			out = append(out, lineDiff{"+", b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, lineDiff{"-", a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, lineDiff{"+", b[j]})
	}
	return out
}
