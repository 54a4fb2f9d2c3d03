package ui

import (
	"bytes"
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"
)

// metrics are the Prometheus series of the server, in a registry of its
// own (no global state: two servers in one test binary do not collide).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec   // route, method, status
	latency  *prometheus.HistogramVec // route
	searches *prometheus.CounterVec   // outcome
	took     prometheus.Histogram
	exports  *prometheus.CounterVec // format
	rows     prometheus.Counter
}

func newMetrics(a *api) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stocktaking_http_requests_total",
			Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "stocktaking_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request (streamed bodies excluded), by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		searches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stocktaking_searches_total",
			Help: "Searches by outcome: ok, or the error code (invalid, unavailable, overloaded …).",
		}, []string{"outcome"}),
		took: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "stocktaking_search_duration_seconds",
			Help:    "Time the index took to answer a search.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2},
		}),
		exports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stocktaking_exports_total",
			Help: "Exports streamed, by format.",
		}, []string{"format"}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "stocktaking_export_rows_total",
			Help: "Entries written by exports.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.searches, m.took, m.exports, m.rows,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	gauge := func(name, help string, f func() float64) {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
	}
	gauge("stocktaking_searches_running", "Searches running now.", func() float64 { return float64(len(a.searches)) })
	gauge("stocktaking_search_slots", "Searches that may run at once.", func() float64 { return float64(cap(a.searches)) })
	if svc := a.s.cfg.Service; svc != nil && svc.Index != nil && svc.Store != nil {
		gauge("stocktaking_index_documents", "Searchable documents in the index.", func() float64 { return countOrNaN(svc.Index.Count) })
		gauge("stocktaking_store_entries", "Entries in the store, withdrawn included.", func() float64 { return countOrNaN(svc.Store.Count) })
		gauge("stocktaking_index_sequence", "Last store sequence applied to the index.", func() float64 { return float64(svc.Index.Seq()) })
	}
	if f := a.cfg.IndexSize; f != nil {
		gauge("stocktaking_index_size_bytes", "Size of the index on disk.", func() float64 { return float64(f()) })
	}
	if f := a.cfg.LastReindex; f != nil {
		gauge("stocktaking_last_reindex_timestamp_seconds", "Unix time of the last full index rebuild.", func() float64 {
			t := f()
			if t.IsZero() {
				return math.NaN()
			}
			return float64(t.UnixNano()) / 1e9
		})
	}
	return m
}

func countOrNaN(count func() (int, error)) float64 {
	n, err := count()
	if err != nil {
		return math.NaN()
	}
	return float64(n)
}

// searched counts one search and, when it ran, its time.
func (m *metrics) searched(outcome string, took time.Duration) {
	m.searches.WithLabelValues(outcome).Inc()
	if took > 0 {
		m.took.Observe(took.Seconds())
	}
}

// exported counts one export of n rows.
func (m *metrics) exported(format string, n int) {
	m.exports.WithLabelValues(format).Inc()
	m.rows.Add(float64(n))
}

// observe is the outermost middleware of every route: it turns a handler's
// error into its response (so that the status is known) and counts the
// request by route pattern, never by raw path, to keep the series bounded.
func (a *api) observe(c *fiber.Ctx) error {
	start := time.Now()
	if err := c.Next(); err != nil {
		if herr := a.s.app.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	route := "unmatched"
	if r := c.Route(); r != nil && r.Path != "/" && r.Path != "" {
		route = r.Path
	} else if c.Path() == "/" {
		route = "/"
	}
	status := c.Response().StatusCode()
	a.metrics.requests.WithLabelValues(route, methodLabel(c.Method()), strconv.Itoa(status)).Inc()
	a.metrics.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	return nil
}

// methodLabel keeps the method label to the standard methods.
func methodLabel(m string) string {
	switch m {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut, fiber.MethodDelete,
		fiber.MethodPatch, fiber.MethodOptions:
		return m
	}
	return "other"
}

// handleMetrics answers GET /metrics in the Prometheus text format.
func (a *api) handleMetrics(c *fiber.Ctx) error {
	mfs, err := a.metrics.reg.Gather()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderContentType, string(expfmt.NewFormat(expfmt.TypeTextPlain)))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}
