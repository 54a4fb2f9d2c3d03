package ui

import (
	"github.com/gofiber/fiber/v2"
)

// errorView is the HTML error page.
type errorView struct {
	Page
	Status    int
	Heading   string
	Message   string
	Detail    string // the user-facing message of a client error
	RequestID string
}

// renderErrorPage renders the HTML error page with status p.Status. It
// never fails: if the template cannot render, a plain-text page is sent.
func (s *Server) renderErrorPage(c *fiber.Ctx, p problem) error {
	page := s.newPage(c, "")
	l := page.L
	key := "error.other"
	switch {
	case p.Status == fiber.StatusNotFound:
		key = "error.404"
	case p.Status == fiber.StatusBadRequest:
		key = "error.400"
	case p.Status == fiber.StatusTooManyRequests:
		key = "error.429"
	case p.Status == fiber.StatusServiceUnavailable:
		key = "error.503"
	case p.Status >= 500:
		key = "error.500"
	}
	v := &errorView{
		Page:      page,
		Status:    p.Status,
		Heading:   l.T(key + ".title"),
		Message:   l.T(key + ".text"),
		RequestID: p.RequestID,
	}
	if p.Status < 500 && p.Detail != "" {
		v.Detail = p.Detail
	}
	v.Title = v.Heading
	if err := s.render(c, p.Status, "error", v); err != nil {
		s.log.Error().Err(err).Str("request_id", p.RequestID).Msg("render error page")
		c.Status(p.Status)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.SendString(httpTitle(p.Status) + "\n")
	}
	return nil
}
