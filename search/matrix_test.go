package search

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"testing"
)

// TestMatrixFollowsActionsJSON checks the table against the file it was
// derived from, when that file is at hand.
func TestMatrixFollowsActionsJSON(t *testing.T) {
	b, err := os.ReadFile("../../shared/data/wsis-sdg-matrix/actions.json")
	if err != nil {
		t.Skip("actions.json not at hand:", err)
	}
	var lines []struct {
		ID    int `json:"id"`
		Goals []struct {
			GoalID int `json:"goalId"`
		} `json:"goals"`
	}
	if err := json.Unmarshal(b, &lines); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 18 {
		t.Fatalf("actions.json has %d lines, want 18", len(lines))
	}
	for _, l := range lines {
		code, ok := ActionLineForCategory(l.ID + 1) // ids 0..17 follow the prize categories
		if !ok {
			t.Fatalf("no action line for id %d", l.ID)
		}
		var want []int
		for _, g := range l.Goals {
			want = append(want, g.GoalID+1)
		}
		sort.Ints(want)
		if got := MatrixSDGs(code); !reflect.DeepEqual(got, want) {
			t.Errorf("MatrixSDGs(%s) = %v, want %v", code, got, want)
		}
	}
}

func TestMatrixSDGs(t *testing.T) {
	tests := []struct {
		code string
		want []int
	}{
		{"C11", []int{17}},
		{"C7.3", []int{4}},
		{"C2", []int{1, 8, 9, 11}},
		{"C7", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}},
		{"C12", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := MatrixSDGs(tt.code)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("MatrixSDGs(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
	MatrixSDGs("C11")[0] = 99
	if MatrixSDGs("C11")[0] != 17 {
		t.Error("MatrixSDGs shares its slice")
	}
}

func TestMatrixCells(t *testing.T) {
	cells := MatrixCells()
	if len(cells) != 18 {
		t.Fatalf("MatrixCells has %d cells, want 18", len(cells))
	}
	for _, al := range ActionLines {
		goals, ok := cells[al.Code]
		if ok != (al.Category > 0) {
			t.Errorf("cell %s present = %v, want %v", al.Code, ok, al.Category > 0)
		}
		if ok && (len(goals) == 0 || !sort.IntsAreSorted(goals) || goals[0] < 1 || goals[len(goals)-1] > 17) {
			t.Errorf("cell %s = %v", al.Code, goals)
		}
	}
	cells["C1"][0] = 99
	if MatrixCells()["C1"][0] == 99 {
		t.Error("MatrixCells shares its slices")
	}
}
