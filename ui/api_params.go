package ui

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// Bounds on the small parameters of the API.
const (
	maxPrefixLength = 100 // facet value prefix, suggestion prefix
	maxIDLength     = 64
)

// readParams reads the URL query of a route that takes no search
// parameters: each name in spec is read once by its reader; any other
// name, a repeated one, invalid UTF-8 or a control character is a 400.
func readParams(c *fiber.Ctx, spec map[string]func(string) error) error {
	seen := map[string]bool{}
	for _, kv := range queryArgs(c) {
		name, val := kv[0], strings.TrimSpace(kv[1])
		if err := checkText(name, val); err != nil {
			return err
		}
		read := spec[name]
		if read == nil {
			return invalidParam(name, "unknown parameter %q; this route takes %s", clip(name, 40), paramNames(spec))
		}
		if seen[name] {
			return invalidParam(name, "parameter %q is given more than once", name)
		}
		seen[name] = true
		if err := read(val); err != nil {
			return err
		}
	}
	return nil
}

func paramNames(spec map[string]func(string) error) string {
	if len(spec) == 0 {
		return "no parameters"
	}
	names := make([]string, 0, len(spec))
	for n := range spec {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// intParam reads an integer from min to max into dst.
func intParam(name string, min, max int, dst *int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < min || n > max {
			return invalidParam(name, "%s must be an integer from %d to %d", name, min, max)
		}
		*dst = n
		return nil
	}
}

// textParam reads a text of at most max characters into dst.
func textParam(name string, max int, dst *string) func(string) error {
	return func(v string) error {
		if utf8.RuneCountInString(v) > max {
			return invalidParam(name, "%s is longer than %d characters", name, max)
		}
		*dst = v
		return nil
	}
}

// langParam reads a user-interface language into dst.
func langParam(dst *string) func(string) error {
	return func(v string) error {
		switch v {
		case "", "en", "fr", "es", "ar":
			*dst = v
			return nil
		}
		return invalidParam("lang", "lang must be one of en, fr, es, ar")
	}
}

// entryID reads the :id path parameter: 1 to 64 letters, digits, '-', '_' or '.'.
func entryID(c *fiber.Ctx) (string, error) {
	id := c.Params("id")
	if id == "" || len(id) > maxIDLength || !isToken(id) {
		return "", invalidParam("id", "an entry id is 1 to %d letters, digits, '-', '_' or '.'", maxIDLength)
	}
	return strings.Clone(id), nil
}

func joinFacets() string { return strings.Join(search.FacetNames, ", ") }
