// Package search is the centre of Stocktaking: the WSIS Stocktaking entry and
// its vocabularies, the parsed user request, the result, error codes and the
// small interfaces that the store and the index implement. It imports nothing
// of ours and only the standard library.
package search

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Entry is one project or initiative of the WSIS Stocktaking.
type Entry struct {
	ID               string    `json:"id"`
	Title            string    `json:"title"`
	ShortDescription string    `json:"short_description,omitempty"`
	Description      string    `json:"description,omitempty"`
	Organization     string    `json:"organization"`
	Stakeholder      string    `json:"stakeholder"` // a Stakeholder code, e.g. "government"
	Country          string    `json:"country"`     // ISO 3166-1 alpha-3, or CountryInternational
	Region           string    `json:"region"`      // a Region code, e.g. "africa"
	Coverage         string    `json:"coverage,omitempty"`
	Status           string    `json:"status,omitempty"`
	StartDate        string    `json:"start_date,omitempty"` // YYYY-MM-DD, YYYY-MM or YYYY
	EndDate          string    `json:"end_date,omitempty"`
	Year             int       `json:"year"`         // stocktaking edition
	ActionLines      []string  `json:"action_lines"` // codes C1…C11, C7.1…C7.8
	SDGs             []int     `json:"sdgs"`         // 1…17
	Website          string    `json:"website,omitempty"`
	Language         string    `json:"language"` // en fr es ar ru zh
	Collections      []string  `json:"collections,omitempty"`
	Prizes           []Prize   `json:"prizes,omitempty"`
	Withdrawn        bool      `json:"withdrawn,omitempty"`
	Created          time.Time `json:"created"`
	Updated          time.Time `json:"updated"`
}

// Prize is one WSIS Prize record of an entry.
type Prize struct {
	Year     int    `json:"year"`
	Category int    `json:"category"` // 1…18
	Status   string `json:"status"`   // a PrizeStatus code
}

// Facet names: the keyword dimensions that can be filtered and counted.
const (
	FacetActionLine  = "action_line"
	FacetSDG         = "sdg"
	FacetCountry     = "country"
	FacetRegion      = "region"
	FacetYear        = "year"
	FacetStakeholder = "stakeholder"
	FacetCollection  = "collection"
	FacetPrizeStatus = "prize_status"
	FacetPrizeYear   = "prize_year"
	FacetLanguage    = "language"
	FacetStatus      = "status"
	FacetPrizeCat    = "prize_category"
	// FacetPrizeRecord is internal (not in FacetNames): one value
	// "year|status|category" per prize record, so that prize filters of
	// several dimensions match within one record (PrizeRecord).
	FacetPrizeRecord = "prize_record"
)

// prizeFacets are the dimensions of a prize record, in the order of a
// FacetPrizeRecord value.
var prizeFacets = [3]string{FacetPrizeYear, FacetPrizeStatus, FacetPrizeCat}

// IsPrizeFacet reports whether facet is one of a prize record's dimensions.
func IsPrizeFacet(facet string) bool {
	return facet == FacetPrizeYear || facet == FacetPrizeStatus || facet == FacetPrizeCat
}

// PrizeRecord is the FacetPrizeRecord value of a prize.
func PrizeRecord(p Prize) string {
	c := ""
	if p.Category > 0 {
		c = strconv.Itoa(p.Category)
	}
	return strconv.Itoa(p.Year) + "|" + p.Status + "|" + c
}

// PrizeRecordPart returns the value of facet (a prize facet) in a
// FacetPrizeRecord value ("" for no category).
func PrizeRecordPart(rec, facet string) string {
	year, rest, _ := strings.Cut(rec, "|")
	status, cat, _ := strings.Cut(rest, "|")
	switch facet {
	case FacetPrizeYear:
		return year
	case FacetPrizeStatus:
		return status
	}
	return cat
}

// PrizeRecordMatches reports whether one prize record has, in every prize
// dimension selected in values except skip, one of the selected values.
func PrizeRecordMatches(rec string, values map[string][]string, skip string) bool {
	for _, f := range prizeFacets {
		if f == skip || len(values[f]) == 0 {
			continue
		}
		if !slices.Contains(values[f], PrizeRecordPart(rec, f)) {
			return false
		}
	}
	return true
}

// FacetNames lists every facet in the order the UI shows them.
var FacetNames = []string{
	FacetActionLine, FacetSDG, FacetRegion, FacetCountry, FacetYear, FacetStakeholder,
	FacetCollection, FacetPrizeStatus, FacetPrizeYear, FacetPrizeCat, FacetLanguage, FacetStatus,
}

// IsFacet reports whether name is a known facet.
func IsFacet(name string) bool {
	for _, f := range FacetNames {
		if f == name {
			return true
		}
	}
	return false
}

// FacetValues returns, for every facet, the keyword values an entry carries.
// It is the single definition of what a filter matches: the index stores
// exactly these values and tests count them by brute force. A C7 sub-line
// also carries "C7", so that selecting C7 matches every sub-line.
func FacetValues(e *Entry) map[string][]string {
	m := make(map[string][]string, len(FacetNames))
	var al []string
	for _, c := range e.ActionLines {
		al = append(al, c)
		if p := ParentActionLine(c); p != "" {
			al = append(al, p)
		}
	}
	m[FacetActionLine] = uniqSorted(al)
	var sdgs []string
	for _, g := range e.SDGs {
		sdgs = append(sdgs, strconv.Itoa(g))
	}
	m[FacetSDG] = uniqSorted(sdgs)
	m[FacetCountry] = nonEmpty(e.Country)
	m[FacetRegion] = nonEmpty(e.Region)
	if e.Year > 0 {
		m[FacetYear] = []string{strconv.Itoa(e.Year)}
	}
	m[FacetStakeholder] = nonEmpty(e.Stakeholder)
	m[FacetCollection] = uniqSorted(append([]string(nil), e.Collections...))
	var ps, py, pc []string
	for _, p := range e.Prizes {
		ps = append(ps, p.Status)
		py = append(py, strconv.Itoa(p.Year))
		if p.Category > 0 {
			pc = append(pc, strconv.Itoa(p.Category))
		}
	}
	m[FacetPrizeStatus] = uniqSorted(ps)
	m[FacetPrizeYear] = uniqSorted(py)
	m[FacetPrizeCat] = uniqSorted(pc)
	var pr []string
	for _, p := range e.Prizes {
		pr = append(pr, PrizeRecord(p))
	}
	m[FacetPrizeRecord] = uniqSorted(pr)
	m[FacetLanguage] = nonEmpty(e.Language)
	m[FacetStatus] = nonEmpty(e.Status)
	for k, v := range m {
		if len(v) == 0 {
			delete(m, k)
		}
	}
	return m
}

// ParentActionLine returns "C7" for a C7 sub-line code and "" otherwise.
func ParentActionLine(code string) string {
	if len(code) > 3 && code[:3] == "C7." {
		return "C7"
	}
	return ""
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func uniqSorted(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	sort.Strings(in)
	out := in[:1]
	for _, s := range in[1:] {
		if s != out[len(out)-1] && s != "" {
			out = append(out, s)
		}
	}
	if out[0] == "" {
		out = out[1:]
	}
	return out
}
