package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
	"go.etcd.io/bbolt"
)

// Access tokens live in two buckets:
//
//	tokens        name → JSON {name, role, created, hash}
//	token_hashes  SHA-256 of the secret → name, for Authenticate
//
// The secret is 32 random bytes: a plain SHA-256 is enough to keep it out of
// the file (no salt or slow hash is needed for a high-entropy secret), and
// the file never holds the secret itself.
var (
	bucketTokens      = []byte("tokens")
	bucketTokenHashes = []byte("token_hashes")
)

// TokenPrefix starts every secret, so that secret scanners and people can
// tell what a leaked string is.
const TokenPrefix = "stk_"

const maxTokenName = 64

var _ search.TokenStore = (*Store)(nil)

type tokenRecord struct {
	search.Token
	Hash []byte `json:"hash"`
}

func hashToken(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// validTokenName accepts 1 to 64 letters, digits and . _ - @.
func validTokenName(name string) error {
	if name == "" || len(name) > maxTokenName {
		return &search.Error{Code: search.EINVALID, Field: "name", Message: fmt.Sprintf("a token name has 1 to %d characters", maxTokenName)}
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)) {
			return &search.Error{Code: search.EINVALID, Field: "name", Message: "a token name holds only letters, digits and . _ - @"}
		}
	}
	return nil
}

// CreateToken makes a token for a new name and returns its secret, which
// the store does not keep.
func (s *Store) CreateToken(name, role string, now time.Time) (string, error) {
	if s.readOnly {
		return "", s.errReadOnly("create a token")
	}
	if err := validTokenName(name); err != nil {
		return "", err
	}
	if !search.IsRole(role) {
		return "", &search.Error{Code: search.EINVALID, Field: "role",
			Message: fmt.Sprintf("unknown role %q (want one of %s)", role, strings.Join(search.Roles, ", "))}
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	rec := tokenRecord{Token: search.Token{Name: name, Role: role, Created: now.UTC().Truncate(time.Second)}, Hash: hashToken(secret)}
	v, err := json.Marshal(rec)
	if err != nil {
		return "", err
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		tb, err := tx.CreateBucketIfNotExists(bucketTokens)
		if err != nil {
			return err
		}
		hb, err := tx.CreateBucketIfNotExists(bucketTokenHashes)
		if err != nil {
			return err
		}
		if tb.Get([]byte(name)) != nil {
			return &search.Error{Code: search.ECONFLICT, Field: "name", Message: fmt.Sprintf("a token named %q exists; revoke it first", name)}
		}
		if err := tb.Put([]byte(name), v); err != nil {
			return err
		}
		return hb.Put(rec.Hash, []byte(name))
	})
	if err != nil {
		return "", fmt.Errorf("create token %q: %w", name, err)
	}
	return secret, nil
}

// Tokens lists the tokens by name, without their hashes.
func (s *Store) Tokens() ([]search.Token, error) {
	var out []search.Token
	err := s.db.View(func(tx *bbolt.Tx) error {
		tb := tx.Bucket(bucketTokens)
		if tb == nil {
			return nil
		}
		return tb.ForEach(func(_, v []byte) error {
			var rec tokenRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode token: %w: %w", errCorrupt, err)
			}
			out = append(out, rec.Token)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// RevokeToken deletes the token with name; ENOTFOUND if absent.
func (s *Store) RevokeToken(name string) error {
	if s.readOnly {
		return s.errReadOnly("revoke a token")
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		tb, hb := tx.Bucket(bucketTokens), tx.Bucket(bucketTokenHashes)
		var v []byte
		if tb != nil && len(name) <= maxTokenName {
			v = tb.Get([]byte(name))
		}
		if v == nil {
			return search.Errorf(search.ENOTFOUND, "no token named %q", name)
		}
		var rec tokenRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("decode token: %w: %w", errCorrupt, err)
		}
		if err := hb.Delete(rec.Hash); err != nil {
			return err
		}
		return tb.Delete([]byte(name))
	})
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	return nil
}

// Authenticate returns the token whose secret this is; EUNAUTHORIZED if
// none is. The lookup is by hash, so timing reveals nothing of the secret.
func (s *Store) Authenticate(secret string) (*search.Token, error) {
	unauthorized := search.Errorf(search.EUNAUTHORIZED, "unknown or revoked token")
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 128 {
		return nil, unauthorized
	}
	var tok *search.Token
	err := s.db.View(func(tx *bbolt.Tx) error {
		tb, hb := tx.Bucket(bucketTokens), tx.Bucket(bucketTokenHashes)
		if tb == nil || hb == nil {
			return nil
		}
		name := hb.Get(hashToken(secret))
		if name == nil {
			return nil
		}
		v := tb.Get(name)
		if v == nil {
			return fmt.Errorf("token hash points to missing %q: %w", name, errCorrupt)
		}
		var rec tokenRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("decode token: %w: %w", errCorrupt, err)
		}
		tok = &rec.Token
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if tok == nil {
		return nil, unauthorized
	}
	return tok, nil
}
