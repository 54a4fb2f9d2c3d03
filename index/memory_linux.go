//go:build linux

package index

import "syscall"

// ReleaseMemory takes the pages of the current snapshot's segment files
// out of the process's resident memory: they stay in the kernel's page
// cache, and reading them again maps them back (a minor fault). Counting
// the BM25 field lengths (bm25.go) reads every posting list of every text
// field once, at start and after a reindex; searches afterwards read a
// small part of them, so without this the process would look some 10 MB
// larger for good.
//
// The segments are mapped read-only; the snapshot held meanwhile keeps
// them mapped, so the advice never reaches memory that is not theirs.
func (ix *Index) ReleaseMemory() error {
	e, err := ix.acquire()
	if err != nil {
		return err
	}
	defer e.release()
	r, err := e.reader()
	if err != nil {
		return err
	}
	defer r.Close()
	for _, ss := range r.Segments() {
		seg, ok := ss.Segment().(interface{ Data() []byte })
		if !ok {
			continue // not a file segment
		}
		if data := seg.Data(); len(data) > 0 {
			if err := syscall.Madvise(data, syscall.MADV_DONTNEED); err != nil {
				return err
			}
		}
	}
	return nil
}
