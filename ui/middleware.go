package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"
)

const headerRequestID = "X-Request-Id"

// newRequestID returns 16 random hex characters.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// requestLog gives each request an id (kept from the client when sane),
// sets it on the response and in the request's user context (for code
// that gets a context, not the fiber.Ctx: requestIDOf), and logs one line
// per request. Every line logged while handling a request carries its id
// as request_id.
func (s *Server) requestLog(c *fiber.Ctx) error {
	start := time.Now()
	id := c.Get(headerRequestID)
	if len(id) == 0 || len(id) > 64 || !isToken(id) {
		id = newRequestID()
	}
	c.Locals("request_id", id)
	c.SetUserContext(context.WithValue(c.UserContext(), requestIDKey{}, id))
	c.Set(headerRequestID, id)
	err := c.Next()
	if err != nil {
		if herr := s.app.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	ev := s.log.Info()
	switch {
	case status == fiber.StatusServiceUnavailable:
		ev = s.log.Warn()
	case status >= 500:
		ev = s.log.Error()
	}
	ev.Str("request_id", id).
		Str("method", c.Method()).
		Str("path", c.Path()).
		Int("status", status).
		Dur("duration", time.Since(start)).
		Msg("request")
	return nil
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.') {
			return false
		}
	}
	return true
}

// requestID is the id requestLog gave the request.
func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals("request_id").(string)
	return id
}

// requestIDKey is the key of the request id in a request's user context.
type requestIDKey struct{}

// requestIDOf is the id of the request whose user context (or a context
// derived from it) ctx is; empty outside a request.
func requestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
