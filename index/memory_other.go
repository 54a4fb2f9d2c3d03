//go:build !linux

package index

// ReleaseMemory does nothing where madvise is not used (see memory_linux.go).
func (ix *Index) ReleaseMemory() error { return nil }
