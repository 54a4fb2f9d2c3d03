package ui

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// maxSitemapURLs is the sitemaps.org limit of URLs in one file; past it the
// sitemap stops (and logs), which 15 000 entries are far from.
const maxSitemapURLs = 50000

// baseURL is the configured public origin, or the request's own.
func (a *api) baseURL(c *fiber.Ctx) string {
	if a.cfg.BaseURL != "" {
		return strings.TrimRight(a.cfg.BaseURL, "/")
	}
	return c.BaseURL()
}

// handleOpenSearch answers GET /opensearch.xml: the OpenSearch description
// that lets a browser add the site as a search engine, with suggestions.
func (a *api) handleOpenSearch(c *fiber.Ctx) error {
	base := a.baseURL(c)
	type osURL struct {
		Type     string `xml:"type,attr"`
		Method   string `xml:"method,attr,omitempty"`
		Rel      string `xml:"rel,attr,omitempty"`
		Template string `xml:"template,attr"`
	}
	doc := struct {
		XMLName        xml.Name `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
		ShortName      string   `xml:"ShortName"`
		Description    string   `xml:"Description"`
		InputEncoding  string   `xml:"InputEncoding"`
		OutputEncoding string   `xml:"OutputEncoding"`
		URLs           []osURL  `xml:"Url"`
	}{
		ShortName:      "WSIS Stocktaking",
		Description:    "Search the WSIS Stocktaking: ICT projects by action line, SDG and country.",
		InputEncoding:  "UTF-8",
		OutputEncoding: "UTF-8",
		URLs: []osURL{
			{Type: "text/html", Method: "get", Template: base + "/search?q={searchTerms}"},
			{Type: "application/x-suggestions+json", Template: base + "/api/v1/suggest?format=opensearch&q={searchTerms}"},
			{Type: "application/opensearchdescription+xml", Rel: "self", Template: base + "/opensearch.xml"},
		},
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/opensearchdescription+xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(append([]byte(xml.Header), out...))
}

// handleSitemap answers GET /sitemap.xml: the home page and every entry
// that is not withdrawn, with its last change.
func (a *api) handleSitemap(c *fiber.Ctx) error {
	base := a.baseURL(c)
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	writeURL := func(loc, lastmod string) {
		buf.WriteString("<url><loc>")
		_ = xml.EscapeText(&buf, []byte(loc))
		buf.WriteString("</loc>")
		if lastmod != "" {
			buf.WriteString("<lastmod>" + lastmod + "</lastmod>")
		}
		buf.WriteString("</url>\n")
	}
	writeURL(base+"/", "")
	n := 1
	err := a.s.cfg.Service.Store.ForEach(func(e *search.Entry) error {
		if e.Withdrawn {
			return nil
		}
		if n == maxSitemapURLs {
			return errSitemapFull
		}
		n++
		lastmod := ""
		if !e.Updated.IsZero() {
			lastmod = e.Updated.UTC().Format("2006-01-02")
		}
		writeURL(base+"/entries/"+url.PathEscape(e.ID), lastmod)
		return nil
	})
	if err == errSitemapFull {
		a.s.log.Warn().Str("request_id", requestID(c)).Int("urls", n).Msg("sitemap is full; entries left out")
	} else if err != nil {
		return err
	}
	buf.WriteString("</urlset>\n")
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	return c.Send(buf.Bytes())
}

var errSitemapFull = search.Errorf(search.ETOOLARGE, "sitemap full")

// entryJSONLD is the schema.org description of an entry, for a
// <script type="application/ld+json"> element of its page. json.Marshal
// escapes <, > and &, so the text can never close the script element; the
// explicit "</" replacement keeps that true whatever encoder is used.
func entryJSONLD(e *search.Entry, baseURL string) template.JS {
	base := strings.TrimRight(baseURL, "/")
	page := base + "/entries/" + url.PathEscape(e.ID)
	doc := map[string]any{
		"@context":   "https://schema.org",
		"@type":      "CreativeWork",
		"@id":        page,
		"url":        page,
		"identifier": e.ID,
		"name":       e.Title,
	}
	if d := firstNonEmpty(e.ShortDescription, e.Description); d != "" {
		doc["description"] = clip(d, 5000)
	}
	if e.Organization != "" {
		doc["creator"] = map[string]any{"@type": "Organization", "name": e.Organization}
	}
	if ct, ok := search.CountryByCode(e.Country); ok && e.Country != search.CountryInternational {
		doc["spatialCoverage"] = map[string]any{"@type": "Country", "name": ct.Name, "identifier": ct.ISO3}
	}
	if e.Language != "" {
		doc["inLanguage"] = e.Language
	}
	if !e.Created.IsZero() {
		doc["dateCreated"] = e.Created.UTC().Format("2006-01-02")
	}
	if !e.Updated.IsZero() {
		doc["dateModified"] = e.Updated.UTC().Format("2006-01-02")
	}
	if w := strings.ToLower(e.Website); strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "http://") {
		doc["sameAs"] = e.Website
	}
	var keywords []string
	for _, code := range e.ActionLines {
		if al, ok := search.ActionLineByCode(code); ok {
			keywords = append(keywords, "WSIS Action Line "+code+": "+al.Name.En)
		}
	}
	for _, g := range e.SDGs {
		if sdg, ok := search.SDGByNumber(g); ok {
			keywords = append(keywords, "SDG "+strconv.Itoa(g)+": "+sdg.Name.En)
		}
	}
	if len(keywords) > 0 {
		doc["keywords"] = keywords
	}
	var awards []string
	for _, p := range e.Prizes {
		if p.Status == "winner" || p.Status == "champion" {
			awards = append(awards, "WSIS Prizes "+strconv.Itoa(p.Year)+" "+p.Status)
		}
	}
	if len(awards) > 0 {
		doc["award"] = awards
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return template.JS("{}")
	}
	return template.JS(strings.ReplaceAll(string(out), "</", `<\/`))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
