package tui

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"workbench/trainer"
)

// TestLRChartDecadesAtTheirPlace: each "1eK" under the LR finder's chart
// starts at the column of 10^K on its log axis, within one column; they
// were ntcharts' evenly spaced labels rounded to a decade, up to 0.4 of
// a decade off ("1e-7 1e-5 1e-4 1e-2 1e0 1e1" evenly spaced).
func TestLRChartDecadesAtTheirPlace(t *testing.T) {
	var pts []trainer.LRPoint
	for i := 0; i <= 100; i++ {
		lr := math.Pow(10, -7+8*float64(i)/100) // 1e-7 to 1e1
		pts = append(pts, trainer.LRPoint{LR: lr, Smoothed: 1 / (1 + lr)})
	}
	res := &trainer.LRFindResult{Points: pts, Suggested: 1e-3, MinLR: 1e-2, Rule: "min/10"}
	for _, w := range []int{40, 60, 100} {
		lines := strings.Split(ansi.Strip(LRChart(res, w, 12)), "\n")
		origin := -1
		for _, l := range lines {
			if i := strings.Index(l, "└"); i >= 0 {
				origin = len([]rune(l[:i]))
			}
		}
		labels := []rune(lines[len(lines)-1])
		gw := w - origin - 1
		seen := 0
		for c := 0; c < len(labels); c++ {
			if labels[c] != '1' || c+1 >= len(labels) || labels[c+1] != 'e' {
				continue
			}
			end := c + 2
			for end < len(labels) && labels[end] != ' ' {
				end++
			}
			k, err := strconv.Atoi(string(labels[c+2 : end]))
			if err != nil {
				t.Fatalf("at %d: label %q", w, string(labels[c:end]))
			}
			want := origin + 1 + int(math.Round(float64(k+7)/8*float64(gw-1)))
			if d := c - want; d < -1 || d > 1 {
				t.Errorf("at %d columns: 1e%d at column %d, 10^%d is at %d:\n%s", w, k, c, k, want, strings.Join(lines, "\n"))
			}
			seen++
			c = end
		}
		if seen < 3 {
			t.Errorf("at %d columns: %d decade labels:\n%s", w, seen, strings.Join(lines, "\n"))
		}
	}
}
