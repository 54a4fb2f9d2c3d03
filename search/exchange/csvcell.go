package exchange

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/itu-stocktaking/stocktaking/search"
)

// CSVHeader is the header of the CSV export, in column order. Multi-valued
// columns hold their values joined with ListSep; prizes are written
// "year:category:status" ("2015:7:winner; 2016:3:champion"); created and
// updated are RFC 3339; withdrawn is "true" or empty.
var CSVHeader = []string{
	"id", "title", "short_description", "description", "organization", "stakeholder",
	"country", "region", "coverage", "status", "start_date", "end_date", "year",
	"action_lines", "sdgs", "website", "language", "collections", "prizes",
	"created", "updated", "withdrawn",
}

// ListSep joins the values of a multi-valued CSV cell.
const ListSep = "; "

// headerAliases maps a folded header name (see headerKey) to its column in
// CSVHeader, or to "category" for a WSIS Prize category label.
var headerAliases = func() map[string]string {
	m := map[string]string{}
	for _, h := range CSVHeader {
		m[h] = h
	}
	for col, names := range map[string][]string{
		"id":                {"entry_id"},
		"title":             {"project", "project_title", "project_name", "name"},
		"short_description": {"summary", "short"},
		"organization":      {"organisation", "organization_name", "organisation_name", "entity"},
		"stakeholder":       {"stakeholder_type", "stakeholders"},
		"start_date":        {"start"},
		"end_date":          {"end"},
		"action_lines":      {"action_line", "wsis_action_lines", "wsis_action_line"},
		"sdgs":              {"sdg"},
		"website":           {"url", "link", "links", "web", "web_site"},
		"collections":       {"collection"},
		"prizes":            {"prize", "wsis_prizes"},
		"category":          {"category", "prize_category"},
	} {
		for _, n := range names {
			m[n] = col
		}
	}
	return m
}()

// headerKey folds a header cell: case, surrounding space and the separators
// " ", "-" and "_" do not matter ("Short Description" = "short_description").
func headerKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, bom)))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

const bom = "\uFEFF"

// isFormulaStart reports whether a cell starting with c would be taken for a
// formula by a spreadsheet (OWASP CSV injection).
func isFormulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// neutralize prefixes an apostrophe to a cell that a spreadsheet would run as
// a formula. Cells that are already apostrophes followed by such a character
// get one more apostrophe, so that unneutralize gives back the exact text.
func neutralize(s string) string {
	t := strings.TrimLeft(s, "'")
	if t != "" && isFormulaStart(t[0]) {
		return "'" + s
	}
	return s
}

// unneutralize removes the apostrophe that neutralize added: one leading
// apostrophe is dropped when the apostrophes are followed by a formula
// character. Any other leading apostrophe is text and kept.
func unneutralize(s string) string {
	if !strings.HasPrefix(s, "'") {
		return s
	}
	t := strings.TrimLeft(s, "'")
	if t != "" && isFormulaStart(t[0]) {
		return s[1:]
	}
	return s
}

// splitList splits a multi-valued cell on ";" and drops empty values.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ListSep)
}

func formatPrizes(ps []search.Prize) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%d:%d:%s", p.Year, p.Category, p.Status)
	}
	return strings.Join(parts, ListSep)
}

// parsePrize reads "2015:7:winner"; the category may also be an action line
// code or a category label, the status a status name in any case.
func parsePrize(s string) (search.Prize, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 3 {
		return search.Prize{}, fmt.Errorf("prize %q is not year:category:status", s)
	}
	// A category label may itself hold a colon ("C7. ICT APPLICATIONS: E-HEALTH").
	year, status := parts[0], parts[len(parts)-1]
	cat := strings.Join(parts[1:len(parts)-1], ":")
	y, err := strconv.Atoi(strings.TrimSpace(year))
	if err != nil {
		return search.Prize{}, fmt.Errorf("prize %q: year %q is not a number", s, year)
	}
	c, ok := search.ParsePrizeCategory(cat)
	if !ok {
		return search.Prize{}, fmt.Errorf("prize %q: unknown category %q", s, cat)
	}
	st, ok := search.ParseTerm(search.PrizeStatuses, status)
	if !ok {
		return search.Prize{}, fmt.Errorf("prize %q: unknown status %q", s, status)
	}
	return search.Prize{Year: y, Category: c, Status: st}, nil
}
