package exchange

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/itu-stocktaking/stocktaking/search"
)

// FuzzRead feeds any bytes to Read in every format. Read must not panic,
// must fail as a whole only with an EINVALID error, must deliver only valid
// entries with distinct ids in batches of the asked size, and whatever it
// accepts must come back equal through every writer.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", "[", "[]", "[{}]", "{}", "\uFEFF", "\n\n{\"id\":\n", "[{\"id\":\"x\"},,]", "] [",
		"title\n\"unterminated\n", "title,title\n", "Project,Country\nx,\"Ltd., THAILAND\"\n",
		"Category,Project,Organisation,Country\nC3,T\xcc_,O\xe5,EGYPT\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []Format{FormatJSONL, FormatJSON, FormatCSV} {
			got := readBytes(t, data, format, Options{DefaultYear: 2015}, 3)
			if len(got) == 0 {
				continue
			}
			for _, out := range []Format{FormatJSONL, FormatJSON, FormatCSV} {
				back := readBytes(t, writeAll(t, out, got), out, Options{}, 3)
				if len(back) != len(got) {
					t.Fatalf("%s → %s: %d entries back, want %d", format, out, len(back), len(got))
				}
				for i := range got {
					if g, w := canonical(back[i], out == FormatCSV), canonical(got[i], out == FormatCSV); g != w {
						t.Fatalf("%s → %s: entry %d\n got %s\nwant %s", format, out, i, g, w)
					}
				}
			}
		}
	})
}

// readBytes reads data and checks what every Read must hold.
func readBytes(t *testing.T, data []byte, f Format, opts Options, batch int) []*search.Entry {
	t.Helper()
	var got []*search.Entry
	ids := map[string]bool{}
	rep, err := Read(bytes.NewReader(data), f, opts, batch, func(b []*search.Entry) error {
		if len(b) == 0 || len(b) > batch {
			t.Fatalf("%s: batch of %d, want 1…%d", f, len(b), batch)
		}
		for _, e := range b {
			if err := search.Validate(e); err != nil {
				t.Fatalf("%s: accepted an invalid entry: %v", f, err)
			}
			if ids[e.ID] {
				t.Fatalf("%s: id %s accepted twice", f, e.ID)
			}
			ids[e.ID] = true
		}
		got = append(got, b...)
		return nil
	})
	if err != nil && search.ErrorCode(err) != search.EINVALID {
		t.Fatalf("%s: Read error %v", f, err)
	}
	if rep == nil || rep.Accepted != len(got) || rep.Accepted > rep.Read {
		t.Fatalf("%s: report %+v for %d entries", f, rep, len(got))
	}
	return got
}
