package search

import "sort"

// matrix is the WSIS–SDG Matrix: for each of the 18 lines, the SDGs
// (1-based) it serves. It was derived from actions.json of the ICT4SDG app
// (GitHub uwidcit/WSIS-SDG-Matrix, src/assets/data/en/, University of the
// West Indies with the WSIS Secretariat, 2018), whose goalId is 0-based.
// That app's reverse index, sdgs.json, disagrees in 8 cells (it lacks C2–8,
// C7.6–16, C8–9, C9–5 and adds C3–4, C4–8, C7.6–14, C8–5); we follow
// actions.json. Only the mapping is taken, none of the prose.
var matrix = map[string][]int{
	"C1":   {1, 3, 5, 10, 16, 17},
	"C2":   {1, 8, 9, 11},
	"C3":   {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17},
	"C4":   {1, 2, 3, 4, 5, 6, 12, 13, 14, 16, 17},
	"C5":   {1, 4, 5, 7, 8, 9, 11, 16, 17},
	"C6":   {2, 4, 5, 8, 9, 10, 11, 16, 17},
	"C7.1": {9, 16, 17},
	"C7.2": {1, 2, 5, 8, 9, 17},
	"C7.3": {4},
	"C7.4": {1, 2, 3, 5, 17},
	"C7.5": {4, 8, 10, 12, 17},
	"C7.6": {9, 11, 13, 15, 16},
	"C7.7": {1, 2, 3, 4, 5, 8, 9, 12, 13, 17},
	"C7.8": {1, 4, 6, 7, 13, 14, 15, 17},
	"C8":   {2, 4, 6, 8, 9, 11, 12},
	"C9":   {5, 9, 12, 16},
	"C10":  {1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 16, 17},
	"C11":  {17},
}

// MatrixSDGs returns the SDG numbers, ascending, that the action line code
// serves in the WSIS–SDG Matrix; C7 gets the union of its sub-lines, an
// unknown code nil. The slice is a copy.
func MatrixSDGs(code string) []int {
	if code != "C7" {
		return append([]int(nil), matrix[code]...)
	}
	seen := map[int]bool{}
	var out []int
	for c, goals := range matrix {
		if ParentActionLine(c) != "C7" {
			continue
		}
		for _, g := range goals {
			if !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	sort.Ints(out)
	return out
}

// MatrixCells returns a copy of the matrix: the 18 lines that carry a prize
// category (C1..C6, C7.1..C7.8, C8..C11), each with its SDGs ascending. C7
// itself is not a cell; MatrixSDGs("C7") gives its union.
func MatrixCells() map[string][]int {
	out := make(map[string][]int, len(matrix))
	for c, goals := range matrix {
		out[c] = append([]int(nil), goals...)
	}
	return out
}
