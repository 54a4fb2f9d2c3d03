package ui

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
	"github.com/itu-stocktaking/stocktaking/search/exchange"
)

// handleAPIBackup answers POST /api/v1/admin/backup by streaming a
// consistent copy of the store file, taken in one read transaction while
// writes go on. A failure mid-stream cannot change the status any more:
// the connection is cut, and the client must check the copy (the backup
// command opens it and runs the store's Check before keeping it).
func (l *lifecycle) handleAPIBackup(c *fiber.Ctx) error {
	if l.cfg.Backup == nil {
		return search.Errorf(search.EUNAVAILABLE, "backups are not configured on this server")
	}
	name := "stocktaking-" + l.cfg.Now().UTC().Format("20060102-150405") + ".db"
	c.Set(fiber.HeaderContentType, "application/octet-stream")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	backup, log := l.cfg.Backup, l.s.log.With().Str("request_id", requestID(c)).Logger()
	who := tokenOf(c).Name
	// fasthttp reads the pipe into a chunked body; an error ends the read
	// with that error, so fasthttp cuts the connection without the final
	// chunk, and it closes the reader when the client goes away, which
	// ends the backup's write and its read transaction.
	pr, pw := io.Pipe()
	go func() {
		n, err := backup(pw)
		pw.CloseWithError(err)
		if err != nil {
			log.Error().Err(err).Int64("bytes", n).Msg("backup stream failed")
			return
		}
		log.Info().Int64("bytes", n).Str("by", who).Msg("backup streamed")
	}()
	c.Context().SetBodyStream(pr, -1)
	return nil
}

// handleAPIImport answers POST /api/v1/admin/import?format=jsonl|json|csv
// (default: detected from the body) with the import report. Entries are
// published in batches through the service, so a running server can take
// imports while it holds the store's lock; rejected rows are reported.
func (l *lifecycle) handleAPIImport(c *fiber.Ctx) error {
	svc, err := l.service()
	if err != nil {
		return err
	}
	body := c.Body()
	f := exchange.DetectFormat("", body[:min(len(body), 4096)])
	if v := c.Query("format"); v != "" {
		var ok bool
		if f, ok = exchange.ParseFormat(v); !ok {
			return &search.Error{Code: search.EINVALID, Field: "format", Message: "format must be jsonl, json or csv"}
		}
	}
	year := 0
	if v := c.Query("year"); v != "" {
		if year, err = strconv.Atoi(v); err != nil || year < search.MinEntryYear || year > search.MaxEntryYear {
			return &search.Error{Code: search.EINVALID, Field: "year", Message: "year must be an edition year"}
		}
	}
	source := strings.Clone(c.Query("source", "api"))
	ch := search.Change{Author: tokenOf(c).Name, Note: "import " + source, Time: l.cfg.Now().UTC()}
	ctx := c.UserContext()
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	rep, err := exchange.Read(bytes.NewReader(body), f, exchange.Options{DefaultYear: year, Source: source}, 1000,
		func(batch []*search.Entry) error {
			_, err := svc.Put(ctx, batch, ch)
			return err
		})
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// handleAPITokens answers GET /api/v1/admin/tokens: names and roles only.
func (l *lifecycle) handleAPITokens(c *fiber.Ctx) error {
	list, err := l.cfg.Tokens.Tokens()
	if err != nil {
		return err
	}
	if list == nil {
		list = []search.Token{}
	}
	return c.JSON(list)
}

// createTokenRequest is the body of POST /api/v1/admin/tokens.
type createTokenRequest struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// createTokenResponse shows the secret, once.
type createTokenResponse struct {
	search.Token
	Secret string `json:"token"`
}

// handleAPICreateToken answers POST /api/v1/admin/tokens with the new
// token's secret, which is never shown again.
func (l *lifecycle) handleAPICreateToken(c *fiber.Ctx) error {
	var req createTokenRequest
	if err := decodeJSON(c.Body(), &req); err != nil {
		return err
	}
	now := l.cfg.Now()
	secret, err := l.cfg.Tokens.CreateToken(req.Name, req.Role, now)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(createTokenResponse{
		Token:  search.Token{Name: req.Name, Role: req.Role, Created: now.UTC().Truncate(1e9)},
		Secret: secret,
	})
}

// handleAPIRevokeToken answers DELETE /api/v1/admin/tokens/{name} and ends
// the token's sign-in sessions.
func (l *lifecycle) handleAPIRevokeToken(c *fiber.Ctx) error {
	name := param(c, "name")
	if err := l.cfg.Tokens.RevokeToken(name); err != nil {
		return err
	}
	l.sessions.revoke(name)
	return c.SendStatus(fiber.StatusNoContent)
}
