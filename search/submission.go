package search

import (
	"strconv"
	"sync"
	"time"
)

// Submission statuses: a submission waits as pending, may bounce back to the
// submitter as changes-requested, and ends approved (published) or rejected.
const (
	SubmissionPending          = "pending"
	SubmissionChangesRequested = "changes-requested"
	SubmissionApproved         = "approved"
	SubmissionRejected         = "rejected"
)

// SubmissionStatuses lists every submission status, in workflow order.
var SubmissionStatuses = []string{SubmissionPending, SubmissionChangesRequested, SubmissionApproved, SubmissionRejected}

// IsSubmissionStatus reports whether s is a known submission status.
func IsSubmissionStatus(s string) bool {
	for _, st := range SubmissionStatuses {
		if st == s {
			return true
		}
	}
	return false
}

// Submission is a new entry or an update of a published one, proposed by
// the public and waiting for a moderator's decision. It is not searchable
// until approved.
type Submission struct {
	// Ref is the random, unguessable reference the submitter checks the
	// status with; the store assigns it.
	Ref string `json:"ref"`
	// Seq orders submissions by arrival; the store assigns it.
	Seq    uint64 `json:"seq"`
	Status string `json:"status"`
	// UpdateOf is the id of the published entry this submission updates;
	// empty for a new entry.
	UpdateOf  string    `json:"update_of,omitempty"`
	Entry     *Entry    `json:"entry"`
	Submitted time.Time `json:"submitted"`
	// Decided, Moderator and Reason record the last decision: its time, the
	// moderator's token name and the note given to the submitter.
	Decided   time.Time `json:"decided,omitzero"`
	Moderator string    `json:"moderator,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	// PublishAs is the id under which an approval publishes a new entry. It
	// is committed before the entry is written, so that approving again
	// after a crash between the publication and the status change finds
	// the entry already published instead of publishing a copy.
	PublishAs string `json:"publish_as,omitempty"`
}

// Open reports whether a moderator can still decide on the submission.
func (s *Submission) Open() bool {
	return s.Status == SubmissionPending || s.Status == SubmissionChangesRequested
}

// SubmissionStore keeps the moderation queue. index/store implements it in
// the same bbolt file as the entries.
type SubmissionStore interface {
	// AddSubmission stores a new submission, setting its Ref and Seq.
	AddSubmission(s *Submission) error
	// Submission returns the submission with ref; ENOTFOUND if absent.
	Submission(ref string) (*Submission, error)
	// Submissions lists up to limit submissions with the given status
	// (all when empty), oldest first, after the one with Seq after.
	Submissions(status string, after uint64, limit int) ([]*Submission, error)
	// UpdateSubmission reads the submission with ref, lets fn change it and
	// writes it back, all in one transaction; fn's error aborts the update.
	UpdateSubmission(ref string, fn func(s *Submission) error) (*Submission, error)
}

// Edition is the stocktaking edition that new submissions are counted in:
// its year and its deadline. A submission after the deadline counts in the
// next edition. A Rolling edition (the default) moves on by itself every
// year: a submission counts in the edition whose call is open on its day.
type Edition struct {
	Year     int
	Deadline time.Time // the last instant that still counts in Year
	Rolling  bool      // Year and Deadline follow the date (DefaultEdition)
}

// DefaultEdition is the edition whose call is open at now: ITU's call for
// an edition closes at the end of 31 January of the next year (UTC), so up
// to that day a submission counts in the previous year's edition.
func DefaultEdition(now time.Time) Edition {
	now = now.UTC()
	y := now.Year()
	if !now.After(EndOfDay(time.Date(y, time.January, 31, 0, 0, 0, 0, time.UTC))) {
		y--
	}
	return Edition{Year: y, Deadline: EndOfDay(time.Date(y+1, time.January, 31, 0, 0, 0, 0, time.UTC)), Rolling: true}
}

// EndOfDay returns the last nanosecond of t's day in t's location.
func EndOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, t.Location()).Add(-time.Nanosecond)
}

// YearAt returns the edition year a submission made at t counts in.
func (ed Edition) YearAt(t time.Time) int {
	if ed.Rolling {
		return DefaultEdition(t).Year
	}
	if !ed.Deadline.IsZero() && t.After(ed.Deadline) {
		return ed.Year + 1
	}
	return ed.Year
}

// entryIDs hands out entry ids in ITU's 17-digit form (Unix time in 100 ns
// ticks), strictly increasing within the process even when the clock stalls.
var entryIDs struct {
	sync.Mutex
	last int64
}

// NewEntryID returns a fresh entry id for a new entry published at t, in
// ITU's 17-digit form.
func NewEntryID(t time.Time) string {
	ticks := t.UnixNano() / 100
	entryIDs.Lock()
	if ticks <= entryIDs.last {
		ticks = entryIDs.last + 1
	}
	entryIDs.last = ticks
	entryIDs.Unlock()
	return strconv.FormatInt(ticks, 10)
}
