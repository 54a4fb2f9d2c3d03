package index

import (
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/fixtures"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkBuildDefault(b *testing.B) {
	all := fixtures.Generate(fixtures.DefaultSeed, fixtures.DefaultCount)
	for i := 0; i < b.N; i++ {
		ix, _, _, err := Open(b.TempDir()+"/index", Options{Logger: zerolog.Nop()})
		if err != nil {
			b.Fatal(err)
		}
		c0, w0 := cpuNow(), time.Now()
		for j := 0; j < len(all); j += 2000 {
			if err := ix.Apply(all[j:min(j+2000, len(all))], uint64(j+1)); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("build wall %v cpu %v", time.Since(w0).Round(time.Millisecond), (cpuNow() - c0).Round(time.Millisecond))
		ix.Close()
	}
}
