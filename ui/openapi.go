package ui

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html/template"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// openAPIJSON is the OpenAPI 3.1 description of the API, written by hand
// and checked against the real responses by the tests.
//
//go:embed openapi.json
var openAPIJSON []byte

// apiDocs is the OpenAPI document served as is, and the /api page rendered
// from it once at start.
type apiDocs struct {
	etag string
	page []byte
}

// oaDoc is the part of the OpenAPI document the /api page shows.
type oaDoc struct {
	Info struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Summary     string `json:"summary"`
		Description string `json:"description"`
	} `json:"info"`
	Paths      map[string]map[string]oaOperation `json:"paths"`
	Components struct {
		Parameters map[string]oaParameter `json:"parameters"`
		Responses  map[string]struct {
			Description string `json:"description"`
		} `json:"responses"`
	} `json:"components"`
}

type oaOperation struct {
	OperationID string                `json:"operationId"`
	Summary     string                `json:"summary"`
	Description string                `json:"description"`
	Parameters  []oaParameter         `json:"parameters"`
	RequestBody *oaRequestBody        `json:"requestBody"`
	Responses   map[string]oaResponse `json:"responses"`
	// Security lists the alternatives: an empty one means no token; the
	// bearer scheme's list holds the role it needs (OpenAPI 3.1 4.8.30).
	Security []map[string][]string `json:"security"`
}

type oaRequestBody struct {
	Description string `json:"description"`
	Required    bool   `json:"required"`
	Content     map[string]struct {
		Schema struct {
			Ref string `json:"$ref"`
		} `json:"schema"`
	} `json:"content"`
}

type oaParameter struct {
	Ref         string         `json:"$ref"`
	Name        string         `json:"name"`
	In          string         `json:"in"`
	Description string         `json:"description"`
	Required    bool           `json:"required"`
	Schema      map[string]any `json:"schema"`
}

type oaResponse struct {
	Ref         string `json:"$ref"`
	Description string `json:"description"`
}

// docsOperation is one route of the /api page.
type docsOperation struct {
	ID, Method, Path, Summary, Description string
	Auth, Body                             string // who may call it; what it reads
	Params                                 []docsParam
	Responses                              []docsResponse
}

type docsParam struct{ Name, In, Type, Description string }

type docsResponse struct{ Status, Description string }

var docsTemplate = template.Must(template.New("api").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
code,pre{font-family:ui-monospace,monospace}h2{border-top:1px solid #ccc;padding-top:1rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #eee}
.m{font-weight:bold;color:#00589c}</style></head>
<body><h1>{{.Title}} <small>{{.Version}}</small></h1>
<p>{{.Summary}}</p>
{{range .Intro}}<p>{{.}}</p>{{end}}
<p>Machine-readable: <a href="/api/v1/openapi.json">OpenAPI 3.1 document</a>.</p>
{{range .Operations}}<h2 id="{{.ID}}"><span class="m">{{.Method}}</span> <code>{{.Path}}</code></h2>
<p><strong>{{.Summary}}</strong>. {{.Description}}</p>
{{if .Auth}}<p>Authentication: {{.Auth}}</p>{{end}}
{{if .Body}}<p>Request body: {{.Body}}</p>{{end}}
{{if .Params}}<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code></td><td>{{.In}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>
{{end}}</table>{{end}}
<table><tr><th>Status</th><th>Meaning</th></tr>{{range .Responses}}<tr><td>{{.Status}}</td><td>{{.Description}}</td></tr>{{end}}</table>
{{end}}</body></html>`))

// mustLoadAPIDocs reads the embedded document; it panics on a broken one,
// which the tests catch long before a release.
func mustLoadAPIDocs() *apiDocs {
	d, err := loadAPIDocs(openAPIJSON)
	if err != nil {
		panic(err)
	}
	return d
}

func loadAPIDocs(raw []byte) (*apiDocs, error) {
	var doc oaDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("read openapi.json: %w", err)
	}
	var ops []docsOperation
	for path, item := range doc.Paths {
		for method, op := range item {
			ops = append(ops, doc.operation(strings.ToUpper(method), path, op))
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return methodRank(ops[i].Method) < methodRank(ops[j].Method)
	})
	view := map[string]any{
		"Title": doc.Info.Title, "Version": doc.Info.Version, "Summary": doc.Info.Summary,
		"Intro": strings.Split(doc.Info.Description, "\n"), "Operations": ops,
	}
	var buf bytes.Buffer
	if err := docsTemplate.Execute(&buf, view); err != nil {
		return nil, fmt.Errorf("render API page: %w", err)
	}
	h := fnv.New64a()
	h.Write(raw)
	return &apiDocs{etag: fmt.Sprintf(`W/"0-%016x"`, h.Sum64()), page: buf.Bytes()}, nil
}

// methodRank orders the operations of one path on the /api page.
func methodRank(m string) int {
	for i, x := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} {
		if m == x {
			return i
		}
	}
	return 99
}

func (doc *oaDoc) operation(method, path string, op oaOperation) docsOperation {
	o := docsOperation{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, Description: op.Description,
		Auth: docsAuth(op.Security), Body: docsBody(op.RequestBody)}
	for _, p := range op.Parameters {
		if p.Ref != "" {
			p = doc.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
		}
		typ, _ := p.Schema["type"].(string)
		if enum, ok := p.Schema["enum"].([]any); ok {
			var vals []string
			for _, v := range enum {
				if s := fmt.Sprint(v); s != "" {
					vals = append(vals, s)
				}
			}
			typ = strings.Join(vals, " | ")
		}
		desc := p.Description
		if p.Required {
			desc = "Required. " + desc
		}
		o.Params = append(o.Params, docsParam{Name: p.Name, In: p.In, Type: typ, Description: desc})
	}
	for status, r := range op.Responses {
		if r.Ref != "" {
			r.Description = doc.Components.Responses[strings.TrimPrefix(r.Ref, "#/components/responses/")].Description
		}
		o.Responses = append(o.Responses, docsResponse{Status: status, Description: r.Description})
	}
	sort.Slice(o.Responses, func(i, j int) bool { return o.Responses[i].Status < o.Responses[j].Status })
	return o
}

// docsAuth describes an operation's security requirements: "" when it
// needs no token.
func docsAuth(sec []map[string][]string) string {
	optional := false
	var roles []string
	for _, alt := range sec {
		if len(alt) == 0 {
			optional = true
		}
		for _, r := range alt {
			roles = append(roles, r...)
		}
	}
	switch {
	case len(sec) == 0:
		return ""
	case optional:
		return "optional bearer token."
	case len(roles) > 0:
		return "bearer token with the " + strings.Join(roles, " or ") + " role (401 without a valid token, 403 with a weaker role)."
	}
	return "bearer token."
}

// docsBody describes a request body: its media types and schemas.
func docsBody(b *oaRequestBody) string {
	if b == nil {
		return ""
	}
	var types []string
	for ct, media := range b.Content {
		s := ct
		if name, ok := strings.CutPrefix(media.Schema.Ref, "#/components/schemas/"); ok {
			s += " (" + name + ")"
		}
		types = append(types, s)
	}
	sort.Strings(types)
	out := strings.Join(types, ", ")
	if !b.Required {
		out += ", optional"
	}
	if b.Description != "" {
		out += ". " + b.Description
	}
	return out
}

// handleOpenAPI answers GET /api/v1/openapi.json.
func (a *api) handleOpenAPI(c *fiber.Ctx) error {
	if err := readParams(c, nil); err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, a.docs.etag)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), a.docs.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(openAPIJSON)
}

// handleAPIDocs answers GET /api: the document as a simple page.
func (a *api) handleAPIDocs(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(a.docs.page)
}
