package search

import "testing"

func TestRoleAllows(t *testing.T) {
	tests := []struct {
		have, need string
		want       bool
	}{
		{RoleAdmin, RoleAdmin, true},
		{RoleAdmin, RoleModerator, true},
		{RoleModerator, RoleModerator, true},
		{RoleModerator, RoleAdmin, false},
		{"", RoleModerator, false},
		{"root", RoleModerator, false},
		{RoleAdmin, "root", false},
	}
	for _, tt := range tests {
		if got := RoleAllows(tt.have, tt.need); got != tt.want {
			t.Errorf("RoleAllows(%q, %q) = %v, want %v", tt.have, tt.need, got, tt.want)
		}
	}
}
