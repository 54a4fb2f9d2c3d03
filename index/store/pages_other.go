//go:build !linux

package store

// DropPages does nothing where madvise is not used (see pages_linux.go).
func (s *Store) DropPages() error { return nil }
