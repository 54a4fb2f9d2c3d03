package search

import (
	"strings"
	"time"
	"unicode/utf8"
)

// AnalyticsSink keeps anonymous query statistics: what was searched, with
// which filters, and how many results it found; never who searched. The
// store implements it. Record is called on every API search, so it must not
// block: buffer and write in batches.
type AnalyticsSink interface {
	// Record counts one search. q is already reduced by AnalyticsQuery;
	// filters are "facet:value" strings, sorted.
	Record(q string, filters []string, total int, at time.Time)
	// Report summarises the last weeks (ISO weeks, newest first).
	Report(weeks int) (*AnalyticsReport, error)
}

// AnalyticsReport is the admin view of query statistics.
type AnalyticsReport struct {
	Weeks []AnalyticsWeek `json:"weeks"`
}

// AnalyticsWeek holds the statistics of one week starting on Monday (UTC).
type AnalyticsWeek struct {
	Start       time.Time    `json:"start"`
	Searches    int          `json:"searches"`
	ZeroResults int          `json:"zero_results"`
	TopQueries  []QueryCount `json:"top_queries"`
	// ZeroResultQueries are the most frequent queries that found nothing:
	// the gaps in the collection or in the synonyms.
	ZeroResultQueries []QueryCount `json:"zero_result_queries"`
	TopFilters        []QueryCount `json:"top_filters"`
}

// QueryCount is a query text (or a "facet:value" filter) and how often it occurred.
type QueryCount struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// MaxAnalyticsQuery bounds the length, in runes, of a recorded query.
const MaxAnalyticsQuery = 200

// AnalyticsQuery reduces a query to what may be kept: lower case, single
// spaces, at most MaxAnalyticsQuery runes. It returns ok=false for a query
// that may hold personal data (an e-mail address, 7 or more digits in a
// row, or a "+" followed by 8 or more digits in groups, as phone and identity
// numbers are written), which must not be recorded.
func AnalyticsQuery(q string) (string, bool) {
	q = strings.Join(strings.Fields(strings.ToLower(q)), " ")
	if !utf8.ValidString(q) {
		return "", false
	}
	if longDigitRun(q) {
		return "", false
	}
	for _, w := range strings.Fields(q) {
		if at := strings.IndexByte(w, '@'); at > 0 && strings.Contains(w[at:], ".") {
			return "", false
		}
	}
	if utf8.RuneCountInString(q) > MaxAnalyticsQuery {
		r := []rune(q)
		q = strings.TrimSpace(string(r[:MaxAnalyticsQuery]))
	}
	return q, true
}

// longDigitRun reports 7 digits in a row, or a "+" starting 8 or more digits
// separated only by spaces, dashes, dots or parentheses.
func longDigitRun(q string) bool {
	run, phone, inPhone := 0, 0, false
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			run++
			if inPhone {
				phone++
			}
			if run >= 7 || phone >= 8 {
				return true
			}
		case r == '+':
			run, phone, inPhone = 0, 0, true
		case inPhone && strings.ContainsRune(" -.()", r):
			run = 0
		default:
			run, phone, inPhone = 0, 0, false
		}
	}
	return false
}
