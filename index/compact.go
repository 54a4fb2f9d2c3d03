package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// maxCompactRounds bounds Compact's force merges: scorch merges at most
// SegmentsPerMergeTask segments per task, so a very fragmented index takes
// a few rounds to come down to one segment.
const maxCompactRounds = 16

// Compact merges the current generation into a single segment and returns
// once searches read it. Scores no longer depend on the segment layout
// (bleve v2.6.3's own BM25 average field length did: the sum of the
// segments' term dictionary sizes over the document count; bm25.go gives
// it the true averages), so eval gives the same figure with or without it;
// eval still compacts, so that it reads a settled index.
func (ix *Index) Compact(ctx context.Context) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	e := ix.cur.Load()
	if e == nil {
		return errClosed
	}
	adv, err := e.bleve.Advanced()
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return fmt.Errorf("index is %T, want scorch", adv)
	}
	for round := 0; ; round++ {
		n, err := e.segments()
		if err != nil {
			return err
		}
		if n <= 1 {
			return nil
		}
		if round == maxCompactRounds {
			return fmt.Errorf("compact index: %d segments left after %d merges", n, round)
		}
		opts := mergeplan.SingleSegmentMergePlanOptions
		if err := s.ForceMerge(ctx, &opts); err != nil {
			return fmt.Errorf("compact index: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// segments is the number of segments of the engine's current snapshot.
func (e *engine) segments() (int, error) {
	snap, err := e.reader()
	if err != nil {
		return 0, err
	}
	defer snap.Close()
	return len(snap.Segments()), nil
}
