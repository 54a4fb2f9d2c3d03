package charts

import (
	"encoding/xml"
	"html/template"
	"io"
	"reflect"
	"strings"
	"testing"
)

// node is one element of a parsed chart.
type node struct {
	name  string
	attrs map[string]string
	text  string // character data directly inside, for <title> and <text>
}

// parseSVG proves out is well-formed XML with one <svg> root and returns
// its elements in document order.
func parseSVG(t *testing.T, out template.HTML) []node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(out)))
	d.Strict = true
	var nodes []node
	var stack []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%.300s", err, out)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(nodes) == 0 && tok.Name.Local != "svg" {
				t.Fatalf("root element is <%s>, want <svg>", tok.Name.Local)
			}
			n := node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			nodes = append(nodes, n)
			stack = append(stack, len(nodes)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				nodes[stack[len(stack)-1]].text += string(tok)
			}
		}
	}
	if len(nodes) == 0 {
		t.Fatal("chart is empty")
	}
	if len(stack) != 0 {
		t.Fatal("chart has unclosed elements")
	}
	checkAccessible(t, nodes)
	return nodes
}

// checkAccessible checks the root's role and that aria-labelledby names a
// <title> and a <desc>, and that no element carries a style attribute.
func checkAccessible(t *testing.T, nodes []node) {
	t.Helper()
	root := nodes[0].attrs
	if r := root["role"]; r != "img" && r != "group" {
		t.Errorf("root role = %q, want img or group", r)
	}
	if root["viewBox"] == "" {
		t.Error("root has no viewBox")
	}
	ids := map[string]string{}
	hasLink := false
	for _, n := range nodes {
		if id := n.attrs["id"]; id != "" {
			if _, dup := ids[id]; dup {
				t.Errorf("duplicate id %q", id)
			}
			ids[id] = n.name
		}
		if _, ok := n.attrs["style"]; ok {
			t.Errorf("<%s> has a style attribute", n.name)
		}
		hasLink = hasLink || n.name == "a"
	}
	labelled := strings.Fields(root["aria-labelledby"])
	if len(labelled) != 2 || ids[labelled[0]] != "title" || ids[labelled[1]] != "desc" {
		t.Errorf("aria-labelledby %q does not name a title and a desc (ids %v)", root["aria-labelledby"], ids)
	}
	if want := map[bool]string{true: "group", false: "img"}[hasLink]; root["role"] != want {
		t.Errorf("root role = %q with links %v, want %q", root["role"], hasLink, want)
	}
}

// titles returns the text of every <title> but the chart's own.
func titles(nodes []node) []string {
	var out []string
	for _, n := range nodes[1:] {
		if n.name == "title" && n.attrs["id"] == "" {
			out = append(out, n.text)
		}
	}
	return out
}

// hrefs returns every link target.
func hrefs(nodes []node) []string {
	var out []string
	for _, n := range nodes {
		if n.name == "a" {
			out = append(out, n.attrs["href"])
		}
	}
	return out
}

func TestNiceMax(t *testing.T) {
	tests := []struct{ in, top, step int }{
		{0, 4, 1}, {3, 4, 1}, {7, 8, 2}, {42, 60, 20}, {100, 100, 50}, {120, 150, 50}, {15000, 15000, 5000}, {15001, 20000, 5000},
	}
	for _, tt := range tests {
		if top, step := niceMax(tt.in); top != tt.top || step != tt.step {
			t.Errorf("niceMax(%d) = %d, %d, want %d, %d", tt.in, top, step, tt.top, tt.step)
		}
	}
}

func TestClasses(t *testing.T) {
	tests := []struct {
		in     int
		want   []int
		labels []string
	}{
		{0, nil, nil},
		{1, []int{1}, []string{"1"}},
		{3, []int{1, 2, 3}, []string{"1", "2", "3"}},
		{88, []int{2, 5, 10, 30, 88}, []string{"1–2", "3–5", "6–10", "11–30", "31–88"}},
		{900, []int{3, 20, 50, 200, 900}, []string{"1–3", "4–20", "21–50", "51–200", "201–900"}},
	}
	for _, tt := range tests {
		got := classes(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("classes(%d) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if l := classLabel(i, got); l != tt.labels[i] {
				t.Errorf("classLabel(%d, %v) = %q, want %q", i, got, l, tt.labels[i])
			}
		}
		// Darker for larger counts, darkest for the maximum.
		if len(got) > 0 && classColor(tt.in, got) != scale[len(scale)-1] {
			t.Errorf("classColor(%d, %v) = %s, want the darkest", tt.in, got, classColor(tt.in, got))
		}
	}
	if c := classColor(0, []int{5}); c != emptyColor {
		t.Errorf("classColor(0) = %s, want %s", c, emptyColor)
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/search?q=a&sdg=3", "/search?q=a&amp;sdg=3"},
		{"https://example.org/x", "https://example.org/x"},
		{"?year=2015", "?year=2015"},
		{"javascript:alert(1)", ""},
		{" JavaScript:alert(1)", ""},
		{"data:text/html,x", ""},
		{`/x"onclick="y`, "/x&#34;onclick=&#34;y"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := safeURL(tt.in); got != tt.want {
			t.Errorf("safeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscAndColor(t *testing.T) {
	if got, want := esc("a<b>\x00\x01c&\xff"), "a&lt;b&gt;c&amp;\uFFFD"; got != want {
		t.Errorf("esc = %q, want %q", got, want)
	}
	tests := []struct{ in, want string }{
		{"#E5243B", "#E5243B"}, {"#abc", "#abc"}, {"red", "#000"}, {`#fff" onload="x`, "#000"}, {"", "#000"},
	}
	for _, tt := range tests {
		if got := color(tt.in, "#000"); got != tt.want {
			t.Errorf("color(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in    string
		width float64
		want  string
	}{
		{"C7.3", 100, "C7.3"},
		{"Industry, Innovation and Infrastructure", 70, "Industry…"},
		{"Long", 1, "…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.width, 12); got != tt.want {
			t.Errorf("truncate(%q, %g) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestChartIDDistinct(t *testing.T) {
	if chartID("hbars", "A") == chartID("hbars", "B") || chartID("hbars", "A") == chartID("heatmap", "A") {
		t.Error("chartID collides on different kinds or titles")
	}
}
