//go:build linux

package store

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// DropPages tells the kernel that the process no longer needs the pages of
// the store file it has read: after a start that read every entry to build
// the index, they would stay counted in the server's resident memory
// (about 32 MB for the default set). The mapping is read-only and shared,
// so the pages stay in the page cache and a later read maps them back.
// Call it when no write runs (bbolt may move its mapping on a write).
func (s *Store) DropPages() error {
	fi, err := os.Stat(s.db.Path())
	if err != nil {
		return fmt.Errorf("drop store pages: %w", err)
	}
	size := int(fi.Size()) &^ (os.Getpagesize() - 1)
	if size <= 0 {
		return nil
	}
	data := unsafe.Slice((*byte)(unsafe.Pointer(s.db.Info().Data)), size)
	if err := syscall.Madvise(data, syscall.MADV_DONTNEED); err != nil {
		return fmt.Errorf("drop store pages: %w", err)
	}
	return nil
}
