package ui

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// reindexState tracks the one background reindex a server may run.
type reindexState struct {
	mu       sync.Mutex
	running  bool
	started  time.Time
	finished time.Time
	lastErr  string
}

// reindexStatus is the JSON of GET/POST /api/v1/admin/reindex.
type reindexStatus struct {
	Running  bool       `json:"running"`
	Started  *time.Time `json:"started,omitempty"`
	Finished *time.Time `json:"finished,omitempty"`
	Error    string     `json:"error,omitempty"`
}

func (r *reindexState) status() reindexStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := reindexStatus{Running: r.running, Error: r.lastErr}
	if !r.started.IsZero() {
		t := r.started
		st.Started = &t
	}
	if !r.finished.IsZero() {
		t := r.finished
		st.Finished = &t
	}
	return st
}

// adminRoutes registers the admin operations that are not part of the
// lifecycle: a reindex while serving. They come before the API catch-all.
func (s *Server) adminRoutes() {
	state := &reindexState{}
	check := func(c *fiber.Ctx) error {
		if s.cfg.API.AdminCheck == nil {
			return search.Errorf(search.EUNAUTHORIZED, "admin routes need a token")
		}
		return s.cfg.API.AdminCheck(c)
	}
	s.app.Get("/api/v1/admin/reindex", func(c *fiber.Ctx) error {
		if err := check(c); err != nil {
			return err
		}
		return c.JSON(state.status())
	})
	s.app.Post("/api/v1/admin/reindex", func(c *fiber.Ctx) error {
		if err := check(c); err != nil {
			return err
		}
		if s.cfg.ReadOnly {
			return search.Errorf(search.EREADONLY, "this server is a read-only replica")
		}
		if s.cfg.Reindex == nil {
			return search.Errorf(search.EUNAVAILABLE, "reindex is not available")
		}
		state.mu.Lock()
		if state.running {
			state.mu.Unlock()
			return search.Errorf(search.ECONFLICT, "a reindex is already running")
		}
		state.running, state.started, state.finished, state.lastErr = true, time.Now().UTC(), time.Time{}, ""
		state.mu.Unlock()
		reqID := requestID(c) // the goroutine outlives c
		go func() {
			err := s.cfg.Reindex(context.Background())
			state.mu.Lock()
			state.running, state.finished = false, time.Now().UTC()
			if err != nil {
				state.lastErr = err.Error()
				s.log.Error().Err(err).Str("request_id", reqID).Msg("reindex failed")
			}
			state.mu.Unlock()
		}()
		return c.Status(fiber.StatusAccepted).JSON(state.status())
	})
	methodsRoute(s.app, "/api/v1/admin/reindex", "GET, HEAD, POST")
}
