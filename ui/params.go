package ui

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// filterParams maps URL parameter names to facets; "facet" names are
// accepted as well as the shorter aliases.
var filterParams = map[string]string{
	"action_line":    search.FacetActionLine,
	"al":             search.FacetActionLine,
	"sdg":            search.FacetSDG,
	"country":        search.FacetCountry,
	"region":         search.FacetRegion,
	"year":           search.FacetYear,
	"stakeholder":    search.FacetStakeholder,
	"collection":     search.FacetCollection,
	"prize_status":   search.FacetPrizeStatus,
	"prize_year":     search.FacetPrizeYear,
	"prize_category": search.FacetPrizeCat,
	"language":       search.FacetLanguage,
	"lang_filter":    search.FacetLanguage,
	"status":         search.FacetStatus,
}

// knownParams are the other parameters search accepts.
var knownParams = map[string]bool{
	"q": true, "page": true, "size": true, "sort": true, "cursor": true, "lang": true,
	"year_from": true, "year_to": true, "facets": true,
}

// maxCursorLength bounds the opaque cursor; real ones are far shorter.
const maxCursorLength = 512

func invalidParam(name, format string, args ...any) error {
	return &search.Error{Code: search.EINVALID, Field: name, Message: fmt.Sprintf(format, args...)}
}

// queryArgs returns the URL query parameters in order, copied out of fiber's
// reused buffers.
func queryArgs(c *fiber.Ctx) [][2]string {
	var out [][2]string
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		out = append(out, [2]string{string(k), string(v)})
	})
	return out
}

// checkText rejects what no parameter may hold: invalid UTF-8 and control
// characters (a NUL or an escape sequence in a query is never a search).
func checkText(name, val string) error {
	if !utf8.ValidString(name) {
		return invalidParam("", "a parameter name is not valid UTF-8")
	}
	if !utf8.ValidString(val) {
		return invalidParam(name, "parameter %q is not valid UTF-8", name)
	}
	for _, r := range val {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return invalidParam(name, "parameter %q contains a control character", name)
		}
	}
	return nil
}

// parseSearchRequest reads a search.Request from the URL. Every invalid
// parameter is a 400 naming the parameter and what it accepts.
func parseSearchRequest(c *fiber.Ctx) (*search.Request, error) {
	return parseSearchRequestWith(c, nil)
}

// parseSearchRequestWith is parseSearchRequest for routes that take more
// parameters than search: extra maps each of them to its reader.
func parseSearchRequestWith(c *fiber.Ctx, extra map[string]func(string) error) (*search.Request, error) {
	req := &search.Request{}
	seen := map[string]bool{}
	for _, kv := range queryArgs(c) {
		name, val := kv[0], strings.TrimSpace(kv[1])
		if err := checkText(name, val); err != nil {
			return nil, err
		}
		if facet, ok := filterParams[name]; ok {
			if val == "" {
				continue
			}
			for _, v := range strings.Split(val, ",") {
				if len(v) > maxFilterValueLength {
					return nil, invalidParam(name, "a %s value is longer than %d bytes", name, maxFilterValueLength)
				}
				canon, err := canonicalFacetValue(facet, strings.TrimSpace(v))
				if err != nil {
					return nil, invalidParam(name, "%s", err.Error())
				}
				req.Filters.Add(facet, canon)
			}
			if n := len(req.Filters.Values[facet]); n > maxFilterValues {
				return nil, invalidParam(name, "at most %d values of one filter may be selected", maxFilterValues)
			}
			continue
		}
		if knownParams[name] || extra[name] != nil {
			if seen[name] {
				return nil, invalidParam(name, "parameter %q is given more than once", name)
			}
			seen[name] = true
		}
		if read := extra[name]; read != nil {
			if err := read(val); err != nil {
				return nil, err
			}
			continue
		}
		if err := readSearchParam(req, name, val); err != nil {
			return nil, err
		}
	}
	if f, t := req.Filters.YearFrom, req.Filters.YearTo; f > 0 && t > 0 && f > t {
		return nil, invalidParam("year_from", "year_from (%d) is after year_to (%d)", f, t)
	}
	if req.Cursor != "" && req.Page > 1 {
		return nil, invalidParam("cursor", "use either page or cursor, not both")
	}
	return req, nil
}

// Bounds on filters: values selected in one facet, and the length of one.
const (
	maxFilterValues      = 50
	maxFilterValueLength = 100
)

// readSearchParam reads one non-filter parameter into req.
func readSearchParam(req *search.Request, name, val string) error {
	if val == "" && knownParams[name] {
		return nil // an empty form field means "not set"
	}
	switch name {
	case "q":
		if utf8.RuneCountInString(val) > search.MaxQueryLength {
			return invalidParam("q", "query is longer than %d characters", search.MaxQueryLength)
		}
		req.Text = val
	case "page":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 || n > 10000 {
			return invalidParam("page", "page must be an integer from 1 to 10000")
		}
		req.Page = n
	case "size":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 || n > search.MaxPageSize {
			return invalidParam("size", "size must be an integer from 1 to %d", search.MaxPageSize)
		}
		req.Size = n
	case "sort":
		switch val {
		case "", search.SortRelevance, search.SortNewest, search.SortOldest, search.SortTitle:
			req.Sort = val
		default:
			return invalidParam("sort", "sort must be one of relevance, newest, oldest, title")
		}
	case "year_from", "year_to":
		if val == "" {
			return nil
		}
		n, err := strconv.Atoi(val)
		if err != nil || n < 2003 || n > 2100 {
			return invalidParam(name, "%s must be a year from 2003 to 2100", name)
		}
		if name == "year_from" {
			req.Filters.YearFrom = n
		} else {
			req.Filters.YearTo = n
		}
	case "lang":
		switch val {
		case "", "en", "fr", "es", "ar":
			req.Lang = val
		default:
			return invalidParam("lang", "lang must be one of en, fr, es, ar")
		}
	case "cursor":
		if len(val) > maxCursorLength || strings.Trim(val, cursorAlphabet) != "" {
			return invalidParam("cursor", "cursor must be a next_cursor value returned by a previous search")
		}
		req.Cursor = val
	case "facets":
		if val == "none" {
			req.NoFacets = true
			return nil
		}
		req.Facets = req.Facets[:0]
		for _, f := range strings.Split(val, ",") {
			if !search.IsFacet(f) {
				return invalidParam("facets", "unknown facet %q; facets are %s, or none", clip(f, 40), strings.Join(search.FacetNames, ", "))
			}
			req.Facets = append(req.Facets, f)
		}
	default:
		return invalidParam(name, "unknown parameter %q", clip(name, 40))
	}
	return nil
}

// canonicalFacetValue turns a URL value into the facet keyword the index
// stores, or explains what the facet accepts.
func canonicalFacetValue(facet, v string) (string, error) {
	switch facet {
	case search.FacetActionLine:
		if code, ok := search.ParseActionLine(v); ok {
			return code, nil
		}
		return "", fmt.Errorf("unknown action line %q; use C1…C11 or C7.1…C7.8", v)
	case search.FacetSDG:
		if n, ok := search.ParseSDG(v); ok {
			return strconv.Itoa(n), nil
		}
		return "", fmt.Errorf("unknown SDG %q; use 1…17", v)
	case search.FacetCountry:
		if ct, ok := search.ParseCountry(v); ok {
			return ct.ISO3, nil
		}
		return "", fmt.Errorf("unknown country %q; use an ISO 3166-1 code such as KEN", v)
	case search.FacetRegion:
		if r, ok := search.ParseRegion(v); ok {
			return r, nil
		}
		return "", fmt.Errorf("unknown region %q; use %s", v, termCodes(search.Regions))
	case search.FacetStakeholder:
		if r, ok := search.ParseStakeholder(v); ok {
			return r, nil
		}
		return "", fmt.Errorf("unknown stakeholder type %q; use %s", v, termCodes(search.Stakeholders))
	case search.FacetYear, search.FacetPrizeYear:
		n, err := strconv.Atoi(v)
		if err != nil || n < 2003 || n > 2100 {
			return "", fmt.Errorf("%q is not a year from 2003 to 2100", v)
		}
		return strconv.Itoa(n), nil
	case search.FacetPrizeCat:
		if n, ok := search.ParsePrizeCategory(v); ok {
			return strconv.Itoa(n), nil
		}
		return "", fmt.Errorf("unknown prize category %q; use 1…18", v)
	case search.FacetCollection:
		return termValue(search.Collections, v, "collection")
	case search.FacetPrizeStatus:
		return termValue(search.PrizeStatuses, v, "prize status")
	case search.FacetLanguage:
		return termValue(search.Languages, v, "language")
	case search.FacetStatus:
		return termValue(search.Statuses, v, "status")
	}
	return "", fmt.Errorf("unknown facet %q", facet)
}

func termValue(terms []search.Term, v, what string) (string, error) {
	for _, t := range terms {
		if strings.EqualFold(t.Code, v) {
			return t.Code, nil
		}
	}
	return "", fmt.Errorf("unknown %s %q; use %s", what, v, termCodes(terms))
}

func termCodes(terms []search.Term) string {
	codes := make([]string, len(terms))
	for i, t := range terms {
		codes[i] = t.Code
	}
	return strings.Join(codes, ", ")
}
