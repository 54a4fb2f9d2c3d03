package index

import (
	"testing"

	"github.com/rs/zerolog"

	"github.com/itu-stocktaking/stocktaking/fixtures"
)

func BenchmarkBuildDefault(b *testing.B) {
	all := fixtures.Generate(fixtures.DefaultSeed, fixtures.DefaultCount)
	for i := 0; i < b.N; i++ {
		ix, _, _, err := Open(b.TempDir()+"/index", Options{Logger: zerolog.Nop()})
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < len(all); j += 2000 {
			if err := ix.Apply(all[j:min(j+2000, len(all))], uint64(j+1)); err != nil {
				b.Fatal(err)
			}
		}
		ix.Close()
	}
}
