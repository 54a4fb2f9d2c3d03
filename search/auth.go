package search

import "time"

// Roles of an access token. Public search needs none; an admin may do
// everything a moderator may.
const (
	RoleModerator = "moderator"
	RoleAdmin     = "admin"
)

// Roles lists the token roles, weakest first.
var Roles = []string{RoleModerator, RoleAdmin}

// roleRank orders the roles; 0 means unknown.
func roleRank(role string) int {
	for i, r := range Roles {
		if r == role {
			return i + 1
		}
	}
	return 0
}

// IsRole reports whether role is a known token role.
func IsRole(role string) bool { return roleRank(role) > 0 }

// RoleAllows reports whether a token with role have may act where need is
// required.
func RoleAllows(have, need string) bool {
	h, n := roleRank(have), roleRank(need)
	return h > 0 && n > 0 && h >= n
}

// Token describes an access token. The secret itself is shown once at
// creation and never stored: the store keeps only its SHA-256 hash.
type Token struct {
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	Created time.Time `json:"created"`
}

// TokenStore creates, lists, revokes and checks access tokens.
type TokenStore interface {
	// CreateToken makes a token for a new name and returns the secret;
	// ECONFLICT if the name is taken, EINVALID for a bad name or role.
	CreateToken(name, role string, now time.Time) (secret string, err error)
	// Tokens lists the tokens by name.
	Tokens() ([]Token, error)
	// RevokeToken deletes the token with name; ENOTFOUND if absent.
	RevokeToken(name string) error
	// Authenticate returns the token whose secret this is; EUNAUTHORIZED
	// if none is.
	Authenticate(secret string) (*Token, error)
}
