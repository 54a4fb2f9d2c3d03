package search

import "context"

// Suggestion is one search-as-you-type proposal.
type Suggestion struct {
	Kind  string `json:"kind"`  // title, organization, country, action_line, sdg, query
	Text  string `json:"text"`  // what to show
	Value string `json:"value"` // entry id for titles, facet value for facets, query text otherwise
	Count int    `json:"count,omitempty"`
}

// Stats are the aggregates behind the explore page, for a query and filters.
type Stats struct {
	Total int `json:"total"`
	// YearStakeholder[year][stakeholder] counts entries per edition year
	// and stakeholder type.
	YearStakeholder map[int]map[string]int `json:"year_stakeholder"`
	ActionLines     []FacetValue           `json:"action_lines"` // all 19 codes, zero counts included
	SDGs            []FacetValue           `json:"sdgs"`         // all 17
	Countries       []FacetValue           `json:"countries"`    // every country with entries
	Regions         []FacetValue           `json:"regions"`
	// Matrix[actionLineCode][sdg] counts entries carrying both.
	Matrix map[string]map[int]int `json:"matrix"`
}

// Suggester proposes completions for a prefix.
type Suggester interface {
	Suggest(ctx context.Context, prefix, lang string, limit int) ([]Suggestion, error)
}

// SimilarFinder finds entries like a given one.
type SimilarFinder interface {
	Similar(ctx context.Context, id string, size int, lang string) ([]Hit, error)
}

// StatsComputer computes the explore aggregates of a request.
type StatsComputer interface {
	Stats(ctx context.Context, req *Request) (*Stats, error)
}

// Matcher streams the ids of every entry matching a request, in the
// request's sort order (ties by id), for exports.
type Matcher interface {
	MatchIDs(ctx context.Context, req *Request, fn func(id string) error) error
}
