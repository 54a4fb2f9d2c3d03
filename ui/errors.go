package ui

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/itu-stocktaking/stocktaking/search"
)

// statusOf maps an error code to its HTTP status.
var statusOf = map[string]int{
	search.EINVALID:      fiber.StatusBadRequest,
	search.ENOTFOUND:     fiber.StatusNotFound,
	search.ECONFLICT:     fiber.StatusConflict,
	search.EUNAUTHORIZED: fiber.StatusUnauthorized,
	search.EFORBIDDEN:    fiber.StatusForbidden,
	search.ETOOLARGE:     fiber.StatusRequestEntityTooLarge,
	search.ETOOMANY:      fiber.StatusTooManyRequests,
	search.EUNAVAILABLE:  fiber.StatusServiceUnavailable,
	search.EREADONLY:     fiber.StatusMethodNotAllowed,
	search.EINTERNAL:     fiber.StatusInternalServerError,
}

// Problem codes of HTTP-level errors that search.Error has no code for.
const (
	codeMethodNotAllowed     = "method_not_allowed"
	codeUnsupportedMediaType = "unsupported_media_type"
)

// problem is an RFC 9457 problem details document.
type problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail"`
	Code      string              `json:"code"`
	Param     string              `json:"param,omitempty"`
	Fields    []search.FieldError `json:"fields,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
}

// handleError is the one place where errors become responses: problem+json
// under /api/, an HTML error page elsewhere. Internal errors are logged with
// detail; users see a generic message.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	code := search.ErrorCode(err)
	status := statusOf[code]
	msg := search.ErrorMessage(err)
	var ferr *fiber.Error
	var serr *search.Error
	switch {
	case errors.As(err, &serr):
	case errors.As(err, &ferr):
		status, msg = ferr.Code, ferr.Message
		code = codeOfStatus(status)
	}
	if status == 0 {
		status = fiber.StatusInternalServerError
	}
	// 503 is the expected answer to overload (search queue full, budget
	// spent): the request line logs it; only real failures are errors.
	if status >= 500 && status != fiber.StatusServiceUnavailable {
		s.log.Error().Err(err).Str("request_id", requestID(c)).Str("path", c.Path()).Msg("internal error")
	}
	p := problem{
		Type:      "about:blank",
		Title:     strings.ToLower(fiber.ErrInternalServerError.Message),
		Status:    status,
		Detail:    msg,
		Code:      code,
		Instance:  c.Path(),
		RequestID: requestID(c),
	}
	p.Title = httpTitle(status)
	if serr != nil {
		p.Param = serr.Field
		p.Fields = serr.Fields
	}
	if status == fiber.StatusMethodNotAllowed && code != search.EREADONLY && len(c.Response().Header.Peek(fiber.HeaderAllow)) == 0 {
		c.Set(fiber.HeaderAllow, "GET, HEAD")
	}
	if strings.HasPrefix(c.Path(), "/api/") || !acceptsHTML(c) {
		c.Status(status)
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.JSON(p, "application/problem+json")
	}
	return s.renderErrorPage(c, p)
}

func codeOfStatus(status int) string {
	for code, st := range statusOf {
		if st == status && code != search.EREADONLY {
			return code
		}
	}
	switch status {
	case fiber.StatusMethodNotAllowed:
		return codeMethodNotAllowed
	case fiber.StatusUnsupportedMediaType:
		return codeUnsupportedMediaType
	case fiber.StatusRequestHeaderFieldsTooLarge:
		return search.ETOOLARGE
	}
	if status >= 500 {
		return search.EINTERNAL
	}
	return search.EINVALID
}

func httpTitle(status int) string {
	if t := utils.StatusMessage(status); t != "" {
		return t
	}
	return "Error"
}

func acceptsHTML(c *fiber.Ctx) bool {
	a := c.Get(fiber.HeaderAccept)
	return a == "" || strings.Contains(a, "text/html") || strings.Contains(a, "*/*")
}
