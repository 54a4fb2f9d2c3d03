package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

func TestTokenLifecycle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mod, err := s.CreateToken("alice", search.RoleModerator, t0)
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	adm, err := s.CreateToken("root", search.RoleAdmin, t0)
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if !strings.HasPrefix(mod, TokenPrefix) || len(mod) != len(TokenPrefix)+43 || mod == adm {
		t.Fatalf("secrets %q %q: want distinct stk_ + 43 characters", mod, adm)
	}
	tok, err := s.Authenticate(mod)
	if err != nil || tok.Name != "alice" || tok.Role != search.RoleModerator {
		t.Errorf("Authenticate(moderator) = %+v, %v", tok, err)
	}
	for _, bad := range []string{"", "stk_", mod + "x", strings.ToUpper(mod), "Bearer " + mod} {
		if _, err := s.Authenticate(bad); search.ErrorCode(err) != search.EUNAUTHORIZED {
			t.Errorf("Authenticate(%q) error = %v, want unauthorized", bad, err)
		}
	}
	list, err := s.Tokens()
	if err != nil || len(list) != 2 || list[0].Name != "alice" || list[1].Role != search.RoleAdmin {
		t.Errorf("Tokens = %+v, %v", list, err)
	}
	if err := s.RevokeToken("alice"); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	if _, err := s.Authenticate(mod); search.ErrorCode(err) != search.EUNAUTHORIZED {
		t.Errorf("Authenticate(revoked) error = %v, want unauthorized", err)
	}
	if err := s.RevokeToken("alice"); search.ErrorCode(err) != search.ENOTFOUND {
		t.Errorf("RevokeToken twice error = %v, want not_found", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{mod, adm, strings.TrimPrefix(adm, TokenPrefix)} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the database file holds the secret %q in clear", secret)
		}
	}
}

func TestCreateTokenRejects(t *testing.T) {
	s := MustOpen(t, Options{NoSync: true})
	if _, err := s.CreateToken("bob", search.RoleAdmin, t0); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, tokenName, role, code string
	}{
		{"taken", "bob", search.RoleModerator, search.ECONFLICT},
		{"empty name", "", search.RoleAdmin, search.EINVALID},
		{"space", "a b", search.RoleAdmin, search.EINVALID},
		{"long", strings.Repeat("a", 65), search.RoleAdmin, search.EINVALID},
		{"role", "carol", "root", search.EINVALID},
	}
	for _, tt := range tests {
		if _, err := s.CreateToken(tt.tokenName, tt.role, t0); search.ErrorCode(err) != tt.code {
			t.Errorf("%s: CreateToken(%q, %q) error = %v, want %s", tt.name, tt.tokenName, tt.role, err, tt.code)
		}
	}
}
