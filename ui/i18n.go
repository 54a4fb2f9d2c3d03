package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.json
var localeFS embed.FS

// pageLangs are the interface languages, English first (the fallback).
var pageLangs = []string{"en", "fr", "es", "ar"}

// langMatcher picks a UI language from Accept-Language.
var langMatcher = language.NewMatcher([]language.Tag{
	language.English, language.French, language.Spanish, language.Arabic,
})

// locale is one interface language: its messages, its text direction and
// its number format.
type locale struct {
	Code   string
	Dir    string // "ltr" or "rtl"
	Name   string // the language's own name, for the switcher
	msgs   map[string]string
	parent *locale // English, for missing messages
	numTag language.Tag
}

// T returns the message for key, formatted with args (fmt verbs), falling
// back to English and then to the key itself.
func (l *locale) T(key string, args ...any) string {
	msg, ok := l.msgs[key]
	if !ok && l.parent != nil {
		msg, ok = l.parent.msgs[key]
	}
	if !ok {
		msg = key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// has reports whether the language or English defines key.
func (l *locale) has(key string) bool {
	if _, ok := l.msgs[key]; ok {
		return true
	}
	return l.parent != nil && l.parent.has(key)
}

// Plural picks key+".one" for n == 1 and key+".other" otherwise, and formats
// the number into it.
func (l *locale) Plural(key string, n int) string {
	form := ".other"
	if n == 1 {
		form = ".one"
	}
	return l.T(key+form, l.Number(n))
}

// Number formats n with the language's digit grouping. Latin digits are
// used everywhere so that counts and years read alike.
func (l *locale) Number(n int) string {
	return message.NewPrinter(l.numTag).Sprint(n)
}

// loadLocales reads every locales/*.json file. Each must hold the same keys
// as en.json, so that a missing translation is caught at start.
func loadLocales() (map[string]*locale, error) {
	out := make(map[string]*locale, len(pageLangs))
	for _, code := range pageLangs {
		raw, err := fs.ReadFile(localeFS, "locales/"+code+".json")
		if err != nil {
			return nil, fmt.Errorf("read locale %s: %w", code, err)
		}
		var msgs map[string]string
		if err := json.Unmarshal(raw, &msgs); err != nil {
			return nil, fmt.Errorf("parse locale %s: %w", code, err)
		}
		tag := language.MustParse(code)
		if code == "ar" {
			tag = language.MustParse("ar-u-nu-latn")
		}
		l := &locale{Code: code, Dir: "ltr", Name: msgs["lang.name"], msgs: msgs, numTag: tag}
		if code == "ar" {
			l.Dir = "rtl"
		}
		out[code] = l
	}
	en := out["en"]
	for _, code := range pageLangs[1:] {
		l := out[code]
		l.parent = en
		if missing := missingKeys(en.msgs, l.msgs); len(missing) > 0 {
			return nil, fmt.Errorf("locale %s lacks %s", code, strings.Join(missing, ", "))
		}
	}
	return out, nil
}

// missingKeys lists the keys of want absent from have, sorted.
func missingKeys(want, have map[string]string) []string {
	var out []string
	for k := range want {
		if _, ok := have[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// pickLang chooses the page language: a valid ?lang= first, then
// Accept-Language, then English. explicit says whether the URL chose it, in
// which case links must carry it on.
func pickLang(c *fiber.Ctx) (code string, explicit bool) {
	switch q := c.Query("lang"); q {
	case "en", "fr", "es", "ar":
		return q, true
	}
	h := c.Get(fiber.HeaderAcceptLanguage)
	if h == "" {
		return "en", false
	}
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil || len(tags) == 0 {
		return "en", false
	}
	_, idx, conf := langMatcher.Match(tags...)
	if conf == language.No || idx < 0 || idx >= len(pageLangs) {
		return "en", false
	}
	return pageLangs[idx], false
}
