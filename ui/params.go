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
	"year_from": true, "year_to": true, "facets": true, "format": true,
}

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

// parseSearchRequest reads a search.Request from the URL. Every invalid
// parameter is a 400 naming the parameter and what it accepts.
func parseSearchRequest(c *fiber.Ctx) (*search.Request, error) {
	req := &search.Request{}
	for _, kv := range queryArgs(c) {
		name, val := kv[0], strings.TrimSpace(kv[1])
		if !utf8.ValidString(val) || !utf8.ValidString(name) {
			return nil, invalidParam(name, "parameter %q is not valid UTF-8", name)
		}
		if facet, ok := filterParams[name]; ok {
			if val == "" {
				continue
			}
			for _, v := range strings.Split(val, ",") {
				canon, err := canonicalFacetValue(facet, strings.TrimSpace(v))
				if err != nil {
					return nil, invalidParam(name, "%s", err.Error())
				}
				req.Filters.Add(facet, canon)
			}
			continue
		}
		switch name {
		case "q":
			if utf8.RuneCountInString(val) > search.MaxQueryLength {
				return nil, invalidParam("q", "query is longer than %d characters", search.MaxQueryLength)
			}
			req.Text = val
		case "page":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > 10000 {
				return nil, invalidParam("page", "page must be an integer from 1 to 10000")
			}
			req.Page = n
		case "size":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > search.MaxPageSize {
				return nil, invalidParam("size", "size must be an integer from 1 to %d", search.MaxPageSize)
			}
			req.Size = n
		case "sort":
			switch val {
			case "", search.SortRelevance, search.SortNewest, search.SortOldest, search.SortTitle:
				req.Sort = val
			default:
				return nil, invalidParam("sort", "sort must be one of relevance, newest, oldest, title")
			}
		case "year_from", "year_to":
			if val == "" {
				continue
			}
			n, err := strconv.Atoi(val)
			if err != nil || n < 2003 || n > 2100 {
				return nil, invalidParam(name, "%s must be a year from 2003 to 2100", name)
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
				return nil, invalidParam("lang", "lang must be one of en, fr, es, ar")
			}
		case "cursor":
			req.Cursor = val
		case "facets":
			if val == "none" {
				req.NoFacets = true
				continue
			}
			for _, f := range strings.Split(val, ",") {
				if !search.IsFacet(f) {
					return nil, invalidParam("facets", "unknown facet %q; facets are %s", f, strings.Join(search.FacetNames, ", "))
				}
				req.Facets = append(req.Facets, f)
			}
		case "format":
			// used by export
		default:
			return nil, invalidParam(name, "unknown parameter %q", name)
		}
	}
	if f, t := req.Filters.YearFrom, req.Filters.YearTo; f > 0 && t > 0 && f > t {
		return nil, invalidParam("year_from", "year_from (%d) is after year_to (%d)", f, t)
	}
	return req, nil
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
