package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// validateFuzzSeeds are entries as a submitter might send them: a valid one,
// labels instead of codes, hostile text, and broken fields.
var validateFuzzSeeds = []string{
	`{"id":"e1","title":"Digital health records","organization":"Ministry of Health","stakeholder":"government",` +
		`"country":"FRA","year":2018,"action_lines":["C7.4"],"sdgs":[3,10],"language":"en",` +
		`"website":"https://example.org/x","start_date":"2018-01","end_date":"2020",` +
		`"prizes":[{"year":2019,"category":10,"status":"winner"}],"collections":["covid-19"]}`,
	`{"id":" e2 ","title":"  Mobile   learning ","organization":"Learning Foundation","stakeholder":"Civil Society",` +
		`"country":"egypt","year":2020,"action_lines":["c7.3","C7.3","e-learning"],"sdgs":[5,4,4],"language":"AR",` +
		`"collections":["Women in Tech","women-in-tech"],"prizes":[{"year":2022,"category":5,"status":"Champion"},{"year":2012,"category":1,"status":"submitted"}]}`,
	`{"id":"x","title":"<script>alert(1)</script>","organization":"\"><img src=x onerror=alert(1)>",` +
		`"short_description":"=HYPERLINK(\"http://x\")","stakeholder":"other","country":"XIN","region":"international",` +
		`"year":2003,"action_lines":["C1"],"sdgs":[],"language":"zh","website":"javascript:alert(1)"}`,
	`{"id":"a/b?c","title":"","organization":"o","country":"XXX","year":1999,"action_lines":["C12"],"sdgs":[0,18],` +
		`"language":"tlh","start_date":"2020-13-01","end_date":"2019","prizes":[{"year":2000,"category":19,"status":"lost"}]}`,
	`{"id":"e3","title":"t","organization":"o","stakeholder":"academia","country":"international","year":2100,` +
		`"action_lines":["C7"],"sdgs":[17],"language":"ru","coverage":"Regional","status":"Ongoing","start_date":"2021-05","end_date":"2021-05-31"}`,
	`{}`,
	`null`,
	`{"id":"\u0000","title":"\ufffd","sdgs":[-1,99999999999],"action_lines":[""],"collections":[""],"prizes":[{}]}`,
}

// FuzzValidate checks, for any entry a client can send as JSON, that
// Normalize and Validate never panic, that Normalize is idempotent, that
// Validate gives the same verdict on a re-normalized entry, that every
// rejection is an EINVALID *Error naming its fields, and that an accepted
// entry survives a JSON round trip unchanged and still valid (what the store
// and the export do with it).
func FuzzValidate(f *testing.F) {
	for _, s := range validateFuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var e Entry
		if err := json.Unmarshal(in, &e); err != nil {
			return
		}
		Normalize(&e)
		once := mustJSON(t, &e)
		err := Validate(&e)
		Normalize(&e)
		if twice := mustJSON(t, &e); !bytes.Equal(once, twice) {
			t.Fatalf("Normalize is not idempotent on %q:\nonce  %s\ntwice %s", in, once, twice)
		}
		err2 := Validate(&e)
		if errString(err) != errString(err2) {
			t.Fatalf("Validate(Normalize(x)) changed after a second Normalize on %q:\n%v\n%v", in, err, err2)
		}
		if err != nil {
			var serr *Error
			if !errors.As(err, &serr) || serr.Code != EINVALID || len(serr.Fields) == 0 {
				t.Fatalf("Validate(%q) = %#v, want an EINVALID *Error with fields", in, err)
			}
			for _, fe := range serr.Fields {
				if fe.Field == "" || fe.Message == "" {
					t.Fatalf("Validate(%q): field error %+v lacks a field or message", in, fe)
				}
			}
			return
		}
		var back Entry
		if err := json.Unmarshal(once, &back); err != nil {
			t.Fatalf("a valid entry does not read back: %v\n%s", err, once)
		}
		Normalize(&back)
		if got := mustJSON(t, &back); !bytes.Equal(got, once) {
			t.Fatalf("a valid entry changed in a JSON round trip:\nbefore %s\nafter  %s", once, got)
		}
		if err := Validate(&back); err != nil {
			t.Fatalf("a valid entry is invalid after a JSON round trip: %v\n%s", err, once)
		}
	})
}

func mustJSON(t *testing.T, e *Entry) []byte {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatalf("marshal %+v: %v", e, err)
	}
	return b
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
