// Package mapdata embeds the world map used by the explore page: one SVG
// path per country, keyed by ISO 3166-1 alpha-3 code, in the Equal Earth
// projection. world.json is generated from Natural Earth's public-domain
// 1:110m shapes by tools/build.mjs and committed; see that script to
// rebuild it.
package mapdata

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

//go:embed world.json
var worldJSON []byte

// Map is a set of country shapes drawn in one coordinate system.
type Map struct {
	// ViewBox is the SVG viewBox that frames every shape, "0 0 W H".
	ViewBox string
	// Countries maps an upper-case ISO 3166-1 alpha-3 code to an SVG path d.
	Countries map[string]string
}

// Codes returns the map's country codes in sorted order, so that callers
// draw shapes in a deterministic order.
func (m *Map) Codes() []string {
	codes := make([]string, 0, len(m.Countries))
	for c := range m.Countries {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

var (
	worldOnce sync.Once
	world     *Map
)

// World returns the embedded world map, parsed on first use. Callers must
// not modify it.
func World() *Map {
	worldOnce.Do(func() {
		m, err := parse(worldJSON)
		if err != nil {
			// world.json is committed and checked by the tests, so a bad
			// file is a build mistake, not a runtime condition.
			panic(err)
		}
		world = m
	})
	return world
}

// parse reads a world.json document.
func parse(b []byte) (*Map, error) {
	var doc struct {
		ViewBox   string            `json:"viewBox"`
		Countries map[string]string `json:"countries"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse world map: %w", err)
	}
	if doc.ViewBox == "" || len(doc.Countries) == 0 {
		return nil, fmt.Errorf("parse world map: no viewBox or no countries")
	}
	return &Map{ViewBox: doc.ViewBox, Countries: doc.Countries}, nil
}
