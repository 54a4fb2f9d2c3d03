package ui

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// submitLimiter bounds the submissions one client address may send per
// window, so that nobody floods the moderation queue. Requests carrying a
// valid token (harvesters, moderators) are not counted. Counts live in
// memory: a restart forgets them, which is fine for a flood guard.
type submitLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	seen   map[string]*submitCount
}

type submitCount struct {
	start time.Time
	n     int
}

// maxTrackedClients bounds the limiter's memory; beyond it, expired
// windows are swept, and if none has expired the oldest state is dropped.
const maxTrackedClients = 10000

func newSubmitLimiter(max int, window time.Duration, now func() time.Time) *submitLimiter {
	return &submitLimiter{max: max, window: window, now: now, seen: map[string]*submitCount{}}
}

// allow counts one submission from ip and reports whether it is within the
// limit, and if not, how long until the window ends.
func (sl *submitLimiter) allow(ip string) (bool, time.Duration) {
	if sl.max <= 0 {
		return true, 0
	}
	now := sl.now()
	sl.mu.Lock()
	defer sl.mu.Unlock()
	if len(sl.seen) >= maxTrackedClients {
		for k, c := range sl.seen {
			if now.Sub(c.start) >= sl.window {
				delete(sl.seen, k)
			}
		}
		if len(sl.seen) >= maxTrackedClients {
			sl.seen = map[string]*submitCount{}
		}
	}
	c := sl.seen[ip]
	if c == nil || now.Sub(c.start) >= sl.window {
		c = &submitCount{start: now}
		// A copy: fiber's strings (c.IP() read from X-Forwarded-For)
		// point into the request buffer, which the next request reuses.
		sl.seen[strings.Clone(ip)] = c
	}
	if c.n >= sl.max {
		return false, c.start.Add(sl.window).Sub(now)
	}
	c.n++
	return true, 0
}

// limitSubmissions is the middleware of the public submission routes.
func (l *lifecycle) limitSubmissions(c *fiber.Ctx) error {
	if secret := bearer(c); secret != "" && l.cfg.Tokens != nil {
		if _, err := l.cfg.Tokens.Authenticate(secret); err == nil {
			return c.Next()
		}
	}
	ok, wait := l.limiter.allow(c.IP())
	if !ok {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		return search.Errorf(search.ETOOMANY, "more than %d submissions from this address in %s; try again later", l.limiter.max, l.limiter.window)
	}
	return c.Next()
}
