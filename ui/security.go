package ui

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// securityPolicy is the Content-Security-Policy of every response: only
// this origin, no inline script or style, no plugins, never framed. A page
// may set a stricter one (render.go uses base-uri 'none').
const securityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// permissionsPolicy turns off the browser features no page uses.
const permissionsPolicy = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), " +
	"microphone=(), payment=(), usb=()"

// hstsPolicy asks browsers to use HTTPS for a year. It is sent only over
// TLS (RFC 6797 7.2): over plain HTTP it would be ignored, and on a
// development server it would pin localhost to HTTPS.
const hstsPolicy = "max-age=31536000; includeSubDomains"

// securityHeaders sets the security headers on every response, before the
// handler runs, so that error pages and problem documents carry them too.
// A handler may replace one with a stricter value.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.Set(fiber.HeaderContentSecurityPolicy, securityPolicy)
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	h.Set(fiber.HeaderReferrerPolicy, "strict-origin-when-cross-origin")
	h.Set(fiber.HeaderXFrameOptions, "DENY")
	h.Set(fiber.HeaderPermissionsPolicy, permissionsPolicy)
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if overTLS(c) {
		h.Set(fiber.HeaderStrictTransportSecurity, hstsPolicy)
	}
	return c.Next()
}

// overTLS reports whether the client reached us over TLS: directly, or
// through a proxy that terminated it and said so in X-Forwarded-Proto.
// Unlike the Secure flag of cookies (c.Protocol(), which reads the header
// only from Config.TrustedProxies), HSTS believes the header from anyone:
// browsers ignore HSTS received over plain HTTP, so a client that lies gets
// nothing, while a TLS proxy left out of -trusted-proxies keeps HSTS.
func overTLS(c *fiber.Ctx) bool {
	if c.Context().IsTLS() {
		return true
	}
	proto, _, _ := strings.Cut(c.Get(fiber.HeaderXForwardedProto), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}
