package index

import (
	"context"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

func TestSimilar(t *testing.T) {
	entries := append(genEntries(61, 200),
		&search.Entry{ID: "s1", Title: "Mangrove drone mapping", Country: "IDN", ActionLines: []string{"C7.6"}, SDGs: []int{14},
			Description: "Volunteers fly drones over mangrove forests and map coastal erosion with open geospatial tools."},
		&search.Entry{ID: "s2", Title: "Coastal mangrove monitoring", Country: "IDN", ActionLines: []string{"C7.6"}, SDGs: []int{14},
			Description: "Drones survey mangrove forests; the maps show coastal erosion to fishing villages."},
		&search.Entry{ID: "s3", Title: "Mangrove drone club", Country: "BRA", ActionLines: []string{"C4"},
			Description: "A school club builds drones."},
	)
	ix := mustOpen(t, entries)
	hits, err := ix.Similar(context.Background(), "s1", 3, "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) < 2 || hits[0].ID != "s2" || hits[1].ID != "s3" {
		t.Errorf("Similar(s1) = %v, want s2, s3 first", hitIDs(hits))
	}
	for _, h := range hits {
		if h.ID == "s1" {
			t.Errorf("Similar(s1) lists s1 itself")
		}
		if h.Title == "" {
			t.Errorf("Similar hit %s has no title", h.ID)
		}
	}
	if _, err := ix.Similar(context.Background(), "nope", 3, "en"); search.ErrorCode(err) != search.ENOTFOUND {
		t.Errorf("Similar(nope) = %v, want not found", err)
	}
	if err := ix.Apply([]*search.Entry{{ID: "s2", Withdrawn: true}}, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Similar(context.Background(), "s2", 3, "en"); search.ErrorCode(err) != search.ENOTFOUND {
		t.Errorf("Similar(withdrawn) = %v, want not found", err)
	}
}

func hitIDs(hits []search.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}
