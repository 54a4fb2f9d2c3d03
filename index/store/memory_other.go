//go:build !linux

package store

// ReleaseMemory does nothing on this system (see the Linux version).
func (s *Store) ReleaseMemory() error { return nil }
