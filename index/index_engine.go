package index

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
)

// currentFile names, inside the index directory, the generation in use.
const currentFile = "CURRENT"

// engine is one generation: an open bleve index and its facet views. It is
// reference counted so that Rebuild can retire it while searches still read
// it: the last release closes it (and deletes its directory when retired).
type engine struct {
	bleve bleve.Index
	dir   string
	views viewCache

	refs     atomic.Int64 // 1 for being current, plus one per user
	remove   atomic.Bool  // delete dir once closed
	done     chan struct{}
	closeErr error
}

func newEngine(bi bleve.Index, dir string) *engine {
	e := &engine{bleve: bi, dir: dir, done: make(chan struct{})}
	e.refs.Store(1)
	return e
}

// acquire takes a reference unless the engine is already closing.
func (e *engine) acquire() bool {
	for {
		n := e.refs.Load()
		if n <= 0 {
			return false
		}
		if e.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// release drops a reference; the last one closes the index in the
// background (done is closed after), so that a search which happens to
// hold the last reference of a retired generation does not pay for
// closing and deleting it while it holds its search slot.
func (e *engine) release() {
	if e.refs.Add(-1) != 0 {
		return
	}
	go e.close()
}

// close closes the bleve index, deletes it when it was retired, and
// closes done.
func (e *engine) close() {
	e.closeErr = e.bleve.Close()
	if e.remove.Load() {
		if err := os.RemoveAll(e.dir); err != nil && e.closeErr == nil {
			e.closeErr = err
		}
	}
	close(e.done)
}

// commit applies a batch; with wait, it returns once the batch (and every
// batch before it) is persisted, so that an Apply is durable when it returns.
func (e *engine) commit(b *bleve.Batch, wait bool) error {
	var persisted chan error
	if wait {
		persisted = make(chan error, 1)
		b.SetPersistedCallback(func(err error) { persisted <- err })
	}
	if err := e.bleve.Batch(b); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	if wait {
		if err := <-persisted; err != nil {
			return fmt.Errorf("persist index batch: %w", err)
		}
	}
	return nil
}

// markBuilt removes the building marker, durably.
func (e *engine) markBuilt() error {
	if v, err := e.bleve.GetInternal(keyBuilding); err != nil {
		return fmt.Errorf("read building marker: %w", err)
	} else if v == nil {
		return nil
	}
	b := e.bleve.NewBatch()
	b.DeleteInternal(keyBuilding)
	if err := e.commit(b, true); err != nil {
		return fmt.Errorf("clear building marker: %w", err)
	}
	return nil
}

// scorchConfig: batches return before persistence, so a large Apply does
// not wait for the disk between its batches; its last batch waits (see
// commit). The sequence number is written in that last batch, so a crash
// loses documents and sequence together and the caller's catch-up
// re-applies them.
func scorchConfig() map[string]any {
	return map[string]any{"unsafe_batch": true}
}

// openCurrent opens the generation named by dir/CURRENT; it returns nil and
// the reason when the index must be rebuilt.
func openCurrent(dir string) (*engine, string) {
	name, err := os.ReadFile(filepath.Join(dir, currentFile))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Sprintf("index unreadable: %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
			return nil, "index has the old directory layout"
		}
		return nil, "index missing"
	}
	gen := strings.TrimSpace(string(name))
	if !isGeneration(gen) {
		return nil, fmt.Sprintf("index unreadable: bad %s %q", currentFile, gen)
	}
	gdir := filepath.Join(dir, gen)
	bi, err := bleve.OpenUsing(gdir, scorchConfig())
	if err != nil {
		return nil, fmt.Sprintf("index unreadable: %v", err)
	}
	fail := func(reason string) (*engine, string) {
		bi.Close()
		return nil, reason
	}
	v, err := bi.GetInternal(keyMappingVersion)
	if err != nil {
		return fail(fmt.Sprintf("index unreadable: %v", err))
	}
	if string(v) != strconv.Itoa(MappingVersion) {
		if len(v) == 0 {
			return fail("index has no mapping version")
		}
		return fail(fmt.Sprintf("index mapping version %s, want %d", v, MappingVersion))
	}
	if b, err := bi.GetInternal(keyBuilding); err != nil || b != nil {
		return fail("index build did not finish")
	}
	return newEngine(bi, gdir), ""
}

// createFresh replaces whatever is in dir by a new, empty generation that
// carries the building marker.
func createFresh(dir string, m *mapping.IndexMappingImpl) (*engine, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("remove index %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index dir %s: %w", dir, err)
	}
	e, err := createGeneration(dir, generationName(1), m)
	if err != nil {
		return nil, err
	}
	if err := writeCurrent(dir, filepath.Base(e.dir)); err != nil {
		e.release()
		return nil, err
	}
	return e, nil
}

// createGeneration creates the empty generation gen in dir, with the
// mapping version and the building marker.
func createGeneration(dir, gen string, m *mapping.IndexMappingImpl) (*engine, error) {
	gdir := filepath.Join(dir, gen)
	if err := os.RemoveAll(gdir); err != nil {
		return nil, fmt.Errorf("remove %s: %w", gdir, err)
	}
	bi, err := bleve.NewUsing(gdir, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, scorchConfig())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", gdir, err)
	}
	e := newEngine(bi, gdir)
	b := bi.NewBatch()
	b.SetInternal(keyMappingVersion, []byte(strconv.Itoa(MappingVersion)))
	b.SetInternal(keyBuilding, []byte{1})
	if err := e.commit(b, true); err != nil {
		e.release()
		return nil, fmt.Errorf("write mapping version: %w", err)
	}
	return e, nil
}

// writeCurrent atomically points dir/CURRENT at gen.
func writeCurrent(dir, gen string) error {
	tmp := filepath.Join(dir, currentFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", currentFile, err)
	}
	_, err = f.WriteString(gen + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, currentFile))
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", currentFile, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func generationName(n int) string { return fmt.Sprintf("g%06d", n) }

func isGeneration(name string) bool {
	if len(name) != 7 || name[0] != 'g' {
		return false
	}
	_, err := strconv.Atoi(name[1:])
	return err == nil
}

// generations lists the generation directories in dir, oldest first.
func generations(dir string) []string {
	des, _ := os.ReadDir(dir)
	var out []string
	for _, de := range des {
		if de.IsDir() && isGeneration(de.Name()) {
			out = append(out, de.Name())
		}
	}
	sort.Strings(out)
	return out
}

// nextGeneration is the name of the generation after the newest in dir.
func nextGeneration(dir string) string {
	n := 0
	for _, g := range generations(dir) {
		if k, _ := strconv.Atoi(g[1:]); k > n {
			n = k
		}
	}
	return generationName(n + 1)
}

// removeStaleGenerations deletes the generations other than current: the
// leftovers of a Rebuild cut short or of a retired generation.
func removeStaleGenerations(dir, current string) {
	for _, g := range generations(dir) {
		if g != filepath.Base(current) {
			os.RemoveAll(filepath.Join(dir, g))
		}
	}
}
