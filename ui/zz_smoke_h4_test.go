package ui
import "testing"
func TestSmokeH4(t *testing.T) {
	ts := newTestServer(t, 30, nil)
	for _, u := range []string{"/api/v1/search?q=water&size=2", "/api/v1/entries/e0001", "/api/v1/nope", "/healthz", "/readyz", "/api", "/api/v1/export?format=jsonl&country=KEN"} {
		r, b := ts.get(t, u)
		t.Logf("%s %d %v\n%.600s", u, r.StatusCode, r.Header, b)
	}
	r, b := ts.do(t, "POST", "/api/v1/search", nil, "")
	t.Logf("POST %d %v %s", r.StatusCode, r.Header, b)
}
