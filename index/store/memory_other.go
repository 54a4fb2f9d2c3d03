//go:build !linux

package store

import "errors"

// ReleaseMemory does nothing on this system (see the Linux version).
func (s *Store) ReleaseMemory() error { return nil }

// ResidentKB is not measured here (see memory_linux.go).
func ResidentKB(prefix string) (int, error) { return 0, errors.ErrUnsupported }
