package store

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/itu-stocktaking/stocktaking/search"
	"go.etcd.io/bbolt"
)

// The moderation queue lives in two buckets of the same file:
//
//	submissions        ref → JSON of search.Submission (a few per day: JSON
//	                   keeps it readable and is cheap at that rate)
//	submission_status  status, 0x00, 8-byte seq → ref, so that listing the
//	                   pending queue reads only pending rows, oldest first
var (
	bucketSubmissions      = []byte("submissions")
	bucketSubmissionStatus = []byte("submission_status")
)

var _ search.SubmissionStore = (*Store)(nil)

// maxRefLen bounds a reference read from a URL before it reaches bbolt.
const maxRefLen = 64

// newRef returns a random reference of 26 lower-case base32 characters
// (128 bits of randomness): unguessable, and safe in URLs.
func newRef() string { return strings.ToLower(rand.Text()) }

func statusKey(status string, seq uint64) []byte {
	k := make([]byte, 0, len(status)+9)
	k = append(k, status...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

// AddSubmission stores a new submission and sets its Ref and Seq.
func (s *Store) AddSubmission(sub *search.Submission) error {
	if s.readOnly {
		return s.errReadOnly("add a submission")
	}
	if sub == nil || sub.Entry == nil {
		return search.Errorf(search.EINVALID, "a submission needs an entry")
	}
	if !search.IsSubmissionStatus(sub.Status) {
		return search.Errorf(search.EINVALID, "unknown submission status %q", sub.Status)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		sb, xb, err := submissionBuckets(tx)
		if err != nil {
			return err
		}
		ref := newRef()
		for sb.Get([]byte(ref)) != nil { // 2^-128: only a broken random source gets here
			ref = newRef()
		}
		seq, err := sb.NextSequence()
		if err != nil {
			return err
		}
		sub.Ref, sub.Seq = ref, seq
		return putSubmission(sb, xb, sub)
	})
	if err != nil {
		sub.Ref, sub.Seq = "", 0
		return fmt.Errorf("add submission: %w", err)
	}
	return nil
}

// submissionBuckets returns the two queue buckets, creating them in a write
// transaction of a file that predates them.
func submissionBuckets(tx *bbolt.Tx) (sb, xb *bbolt.Bucket, err error) {
	if sb, err = tx.CreateBucketIfNotExists(bucketSubmissions); err != nil {
		return nil, nil, err
	}
	if xb, err = tx.CreateBucketIfNotExists(bucketSubmissionStatus); err != nil {
		return nil, nil, err
	}
	return sb, xb, nil
}

func putSubmission(sb, xb *bbolt.Bucket, sub *search.Submission) error {
	v, err := json.Marshal(sub)
	if err != nil {
		return err
	}
	if err := sb.Put([]byte(sub.Ref), v); err != nil {
		return err
	}
	return xb.Put(statusKey(sub.Status, sub.Seq), []byte(sub.Ref))
}

func decodeSubmission(v []byte) (*search.Submission, error) {
	var sub search.Submission
	if err := json.Unmarshal(v, &sub); err != nil {
		return nil, fmt.Errorf("decode submission: %w: %w", errCorrupt, err)
	}
	return &sub, nil
}

func validRef(ref string) error {
	if ref == "" || len(ref) > maxRefLen || strings.IndexByte(ref, 0) >= 0 {
		return search.Errorf(search.ENOTFOUND, "no submission with this reference")
	}
	return nil
}

// Submission returns the submission with ref; ENOTFOUND if absent.
func (s *Store) Submission(ref string) (*search.Submission, error) {
	if err := validRef(ref); err != nil {
		return nil, err
	}
	var sub *search.Submission
	err := s.db.View(func(tx *bbolt.Tx) error {
		sb := tx.Bucket(bucketSubmissions)
		if sb == nil {
			return nil
		}
		v := sb.Get([]byte(ref))
		if v == nil {
			return nil
		}
		var err error
		sub, err = decodeSubmission(v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read submission: %w", err)
	}
	if sub == nil {
		return nil, search.Errorf(search.ENOTFOUND, "no submission with this reference")
	}
	return sub, nil
}

// Submissions lists up to limit submissions with status (every status when
// empty, then in status order), oldest first, starting after Seq after.
func (s *Store) Submissions(status string, after uint64, limit int) ([]*search.Submission, error) {
	statuses := search.SubmissionStatuses
	if status != "" {
		if !search.IsSubmissionStatus(status) {
			return nil, &search.Error{Code: search.EINVALID, Field: "status",
				Message: fmt.Sprintf("unknown status %q (want one of %s)", status, strings.Join(search.SubmissionStatuses, ", "))}
		}
		statuses = []string{status}
	}
	if limit <= 0 {
		limit = 100
	}
	var out []*search.Submission
	err := s.db.View(func(tx *bbolt.Tx) error {
		sb, xb := tx.Bucket(bucketSubmissions), tx.Bucket(bucketSubmissionStatus)
		if sb == nil || xb == nil {
			return nil
		}
		for _, st := range statuses {
			prefix := append([]byte(st), 0)
			c := xb.Cursor()
			for k, ref := c.Seek(statusKey(st, after+1)); k != nil && len(out) < limit && hasPrefix(k, prefix); k, ref = c.Next() {
				v := sb.Get(ref)
				if v == nil {
					return fmt.Errorf("submission %q is listed as %s but missing: %w", ref, st, errCorrupt)
				}
				sub, err := decodeSubmission(v)
				if err != nil {
					return err
				}
				out = append(out, sub)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list submissions: %w", err)
	}
	return out, nil
}

func hasPrefix(k, prefix []byte) bool {
	return len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix)
}

// UpdateSubmission reads the submission with ref, lets fn change it and
// writes it back in the same transaction, so that two moderators deciding
// at once cannot both succeed. Ref and Seq cannot be changed.
func (s *Store) UpdateSubmission(ref string, fn func(sub *search.Submission) error) (*search.Submission, error) {
	if s.readOnly {
		return nil, s.errReadOnly("update a submission")
	}
	if err := validRef(ref); err != nil {
		return nil, err
	}
	var sub *search.Submission
	err := s.db.Update(func(tx *bbolt.Tx) error {
		sb, xb, err := submissionBuckets(tx)
		if err != nil {
			return err
		}
		v := sb.Get([]byte(ref))
		if v == nil {
			return search.Errorf(search.ENOTFOUND, "no submission with this reference")
		}
		if sub, err = decodeSubmission(v); err != nil {
			return err
		}
		oldStatus, seq := sub.Status, sub.Seq
		if err := fn(sub); err != nil {
			return err
		}
		if !search.IsSubmissionStatus(sub.Status) {
			return search.Errorf(search.EINVALID, "unknown submission status %q", sub.Status)
		}
		sub.Ref, sub.Seq = ref, seq
		if err := xb.Delete(statusKey(oldStatus, seq)); err != nil {
			return err
		}
		return putSubmission(sb, xb, sub)
	})
	if err != nil {
		return nil, fmt.Errorf("update submission: %w", err)
	}
	return sub, nil
}
