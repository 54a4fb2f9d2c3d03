package ui

import (
	"io"
	"time"

	"github.com/itu-stocktaking/stocktaking/search"
)

// LifecycleConfig holds what the data lifecycle routes need: submissions,
// moderation, access tokens and backups. It is Config.Lifecycle; a nil
// store makes the routes that need it answer 503.
type LifecycleConfig struct {
	// Submissions keeps the moderation queue.
	Submissions search.SubmissionStore
	// Tokens checks the bearer tokens and sign-ins of moderators and admins.
	Tokens search.TokenStore
	// Backup writes a consistent copy of the store to w (Store.Backup).
	Backup func(w io.Writer) (int64, error)
	// Edition is the stocktaking edition new submissions count in; the zero
	// value means search.DefaultEdition of the current time.
	Edition search.Edition
	// SecureCookies marks cookies Secure even on plain HTTP, for a proxy
	// that terminates TLS without sending X-Forwarded-Proto.
	SecureCookies bool
	// SubmitLimit is the number of submissions one client address may send
	// per hour (default 60; negative: no limit). Requests with a valid
	// token are not counted.
	SubmitLimit int
	// SessionTTL bounds a moderation session (default 12 hours).
	SessionTTL time.Duration
	// Now is the clock (default time.Now), for tests of the deadline.
	Now func() time.Time
}

func (c LifecycleConfig) withDefaults() LifecycleConfig {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Edition.Year == 0 {
		c.Edition = search.DefaultEdition(c.Now())
	}
	if c.SubmitLimit == 0 {
		c.SubmitLimit = 60
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = 12 * time.Hour
	}
	return c
}
