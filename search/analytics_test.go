package search

import (
	"strings"
	"testing"
)

func TestAnalyticsQuery(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"  Water   ACCESS ", "water access", true},
		{"year 2018 2021 health", "year 2018 2021 health", true},
		{"year:2018..2021", "year:2018..2021", true},
		{"e-health C7.4", "e-health c7.4", true},
		{"jane.doe@example.org", "", false},
		{"call +41 22 730 5111", "", false},
		{"id 1234567", "", false},
		{"+1 (555) 010-9999", "", false},
		{strings.Repeat("é", 300), strings.Repeat("é", MaxAnalyticsQuery), true},
	} {
		got, ok := AnalyticsQuery(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("AnalyticsQuery(%.40q) = %.40q, %v; want %.40q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
