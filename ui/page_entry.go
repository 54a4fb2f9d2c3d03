package ui

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// entryView is the page of one entry: every field, its badges as links to
// the filtered search, its prizes and its history.
type entryView struct {
	Page
	ID          string
	Title       string
	EntryLang   string // the entry's own language, for lang="" on its text
	Withdrawn   bool
	Org         string
	Facts       []factView
	Short       []string // paragraphs
	Description []string
	ActionLines []badgeView
	SDGs        []badgeView
	Collections []badgeView
	Prizes      []prizeRow
	Website     string // http(s) only
	WebsiteHost string
	Revisions   []revisionRow
	JSONURL     string
	HistoryURL  string
	AddURL      string // the shortlist button
	InShortlist bool
	SLLabel     string
	// Similar are up to maxSimilar entries like this one; none when the
	// server cannot find them.
	Similar []hitView
}

// maxSimilar is the number of similar entries the entry page shows.
const maxSimilar = 6

// factView is one labelled field, a link to the filtered search where URL
// is set.
type factView struct {
	Label, Value, URL string
}

// prizeRow is one WSIS Prize record.
type prizeRow struct {
	Year        int
	YearURL     string
	Category    string
	CategoryURL string
	Status      string
	StatusURL   string
	Class       string
}

// revisionRow is one published change.
type revisionRow struct {
	Seq     uint64
	Time    string
	ISOTime string
	Author  string
	Note    string
	Changed string
}

// handleEntryPage renders /entries/:id.
func (s *Server) handleEntryPage(c *fiber.Ctx) error {
	id := strings.Clone(c.Params("id"))
	if decoded, err := url.PathUnescape(id); err == nil {
		id = decoded
	}
	e, err := s.cfg.Service.Store.Get(id)
	if err != nil {
		return err
	}
	revs, err := s.cfg.Service.Store.Revisions(id)
	if err != nil {
		return err
	}
	p := s.newPage(c, e.Title)
	p.MetaDescription = clipText(e.ShortDescription, 200)
	v := entryViewOf(p, e, revs)
	if !e.Withdrawn {
		// the schema.org description names the website only when the page
		// links it (http or https): a data block is still read by crawlers
		ld := *e
		ld.Website = v.Website
		v.JSONLD = entryJSONLD(&ld, s.baseURL(c))
	}
	v.Similar = s.similarHits(c, e.ID, &v.Page)
	return s.render(c, fiber.StatusOK, "entry", v)
}

// similarHits finds the entries like id for the entry page. The section is
// a nicety: without a finder, with the server busy or on any error it is
// left out (the error logged at debug level), never failing the page.
func (s *Server) similarHits(c *fiber.Ctx, id string, p *Page) []hitView {
	if s.cfg.Similar == nil {
		return nil
	}
	var hits []search.Hit
	err := s.bounded(c, func(ctx context.Context) (err error) {
		hits, err = s.cfg.Similar.Similar(ctx, id, maxSimilar, p.Lang)
		return err
	})
	if err != nil {
		c.Response().Header.Del(fiber.HeaderRetryAfter) // the page itself is served
		c.Locals(pageNoETag, true)                      // … but not cached: the next visit tries again
		s.log.Debug().Err(err).Str("request_id", requestID(c)).Str("id", id).Msg("similar entries left out")
		return nil
	}
	out := make([]hitView, 0, min(len(hits), maxSimilar))
	for i := range hits {
		if hits[i].ID == id || len(out) == maxSimilar {
			continue
		}
		out = append(out, hitViewOf(&hits[i], p))
	}
	return out
}

// entryViewOf builds the entry page's view.
func entryViewOf(p Page, e *search.Entry, revs []search.Revision) *entryView {
	l, lang := p.L, p.Lang
	filter := func(facet, value string) string {
		st := searchState{Values: map[string][]string{facet: {value}}}
		if p.ExplicitLang {
			st.Lang = lang
		}
		return st.URL()
	}
	v := &entryView{
		Page:        p,
		ID:          e.ID,
		Title:       e.Title,
		EntryLang:   entryLang(e.Language),
		Withdrawn:   e.Withdrawn,
		Org:         e.Organization,
		Short:       paragraphs(e.ShortDescription),
		Description: paragraphs(e.Description),
		JSONURL:     "/api/v1/entries/" + pathEscape(e.ID),
		HistoryURL:  "/api/v1/entries/" + pathEscape(e.ID) + "/revisions",
	}
	explicit := ""
	if p.ExplicitLang {
		explicit = lang
	}
	v.AddURL, v.InShortlist, v.SLLabel = shortlistButton(&p, e.ID, explicit)
	add := func(label, value, url string) {
		if value != "" {
			v.Facts = append(v.Facts, factView{Label: l.T(label), Value: value, URL: url})
		}
	}
	add("field.organization", e.Organization, "")
	add("field.stakeholder", termLabel(search.Stakeholders, e.Stakeholder, lang), filterIf(filter, search.FacetStakeholder, e.Stakeholder))
	if e.Country != "" {
		add("field.country", facetLabel(search.FacetCountry, e.Country, lang), filter(search.FacetCountry, e.Country))
	}
	add("field.region", termLabel(search.Regions, e.Region, lang), filterIf(filter, search.FacetRegion, e.Region))
	add("field.coverage", termLabel(search.Coverages, e.Coverage, lang), "")
	add("field.status", termLabel(search.Statuses, e.Status, lang), filterIf(filter, search.FacetStatus, e.Status))
	add("field.start", e.StartDate, "")
	add("field.end", e.EndDate, "")
	if e.Year > 0 {
		add("field.year", strconv.Itoa(e.Year), filter(search.FacetYear, strconv.Itoa(e.Year)))
	}
	add("field.language", termLabel(search.Languages, e.Language, lang), filterIf(filter, search.FacetLanguage, e.Language))
	for _, code := range e.ActionLines {
		v.ActionLines = append(v.ActionLines, badgeView{
			Text: code, Title: actionLineName(code, lang), Class: "al", URL: filter(search.FacetActionLine, code),
		})
	}
	for _, n := range e.SDGs {
		v.SDGs = append(v.SDGs, badgeView{
			Text: l.T("sdg.short", n), Title: sdgName(n, lang), Class: sdgClass(n),
			URL: filter(search.FacetSDG, strconv.Itoa(n)),
		})
	}
	for _, col := range e.Collections {
		v.Collections = append(v.Collections, badgeView{
			Text: termLabel(search.Collections, col, lang), Class: "col", URL: filter(search.FacetCollection, col),
		})
	}
	for _, pz := range e.Prizes {
		v.Prizes = append(v.Prizes, prizeRow{
			Year:        pz.Year,
			YearURL:     filter(search.FacetPrizeYear, strconv.Itoa(pz.Year)),
			Category:    prizeCategoryLabel(pz.Category, lang),
			CategoryURL: filter(search.FacetPrizeCat, strconv.Itoa(pz.Category)),
			Status:      termLabel(search.PrizeStatuses, pz.Status, lang),
			StatusURL:   filter(search.FacetPrizeStatus, pz.Status),
			Class:       "prize prize-" + pz.Status,
		})
	}
	if u, err := url.Parse(e.Website); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		v.Website = u.String()
		v.WebsiteHost = u.Hostname()
	}
	for i := len(revs) - 1; i >= 0; i-- { // newest first
		r := revs[i]
		v.Revisions = append(v.Revisions, revisionRow{
			Seq:     r.Seq,
			Time:    r.Time.UTC().Format("2006-01-02 15:04 UTC"),
			ISOTime: r.Time.UTC().Format("2006-01-02T15:04:05Z"),
			Author:  r.Author,
			Note:    r.Note,
			Changed: strings.Join(r.Changed, ", "),
		})
	}
	return v
}

// filterIf is filter(facet, value), or "" for an empty value.
func filterIf(filter func(string, string) string, facet, value string) string {
	if value == "" {
		return ""
	}
	return filter(facet, value)
}

// paragraphs splits text on blank lines; single newlines stay inside a
// paragraph.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n")
	if text == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// entryLang is the entry's language code when it is one of the known ones.
func entryLang(code string) string {
	if _, ok := search.TermByCode(search.Languages, code); ok {
		return code
	}
	return ""
}

// clipText cuts s to at most n runes at a word boundary, adding "…".
func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
