package tui

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestEpochTicksAreEvenAndApart: for 1 to 12,345 epochs at widths from
// a narrow panel to a wide one, the labels are round values at one step,
// ascending, each at its value's column (so their gaps differ by at most
// the one column of rounding), a blank column apart, and within the axis.
// ntcharts' own labels fell at uneven gaps once epochs had 4 digits
// ("934 1000    1133").
func TestEpochTicksAreEvenAndApart(t *testing.T) {
	for _, epochs := range []int{1, 2, 9, 10, 30, 99, 100, 999, 1000, 1200, 12345, 100_000_000} {
		for _, cells := range []int{8, 20, 43, 72, 113, 200} {
			lo, hi := 1.0, float64(epochs)
			if hi <= lo {
				hi = lo + 1 // as chart.draw widens a single epoch
			}
			ticks := epochTicks(lo, hi, 1, float64(epochs), cells)
			checkTicks(t, ticks, lo, hi, 1, float64(epochs), cells)
			if len(ticks) == 0 && cells >= len(strconv.Itoa(epochs))+1 {
				t.Errorf("%d epochs in %d cells: no label", epochs, cells)
			}
			if epochs >= 10 && epochs <= 12345 && cells >= 43 && len(ticks) < 2 {
				t.Errorf("%d epochs in %d cells: %d labels, want several", epochs, cells, len(ticks))
			}
		}
	}
	if got := epochTicks(1, 2, 1, 1, 72); len(got) != 1 || got[0] != (xTick{0, "1"}) {
		t.Errorf("a single epoch: %v, want 1 alone (epoch 2 does not exist)", got)
	}
	got := epochTicks(1, 1000, 1, 1000, 72)
	var labels []string
	for _, tk := range got {
		labels = append(labels, tk.label)
	}
	if s := strings.Join(labels, " "); s != "100 200 300 400 500 600 700 800 900" {
		t.Errorf("1,000 epochs in 72 cells: labels %q, want 100 200 … 900", s)
	}
}

// TestEpochTicksHostile: non-finite, empty, reversed, negative, huge and
// fractional ranges and widths of 0 and 1 give valid labels or none, and
// never loop or panic.
func TestEpochTicksHostile(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct{ lo, hi, dlo, dhi float64 }{
		{nan, 1, nan, 1}, {1, inf, 1, inf}, {-inf, inf, -inf, inf}, {5, 5, 5, 5}, {9, 3, 9, 3},
		{-50, 50, -50, 50}, {1.5, 3.5, 1.5, 3.5}, {0.25, 0.75, 0.25, 0.75}, {1e300, 1.5e300, 1e300, 1.5e300},
		{-1e300, 1e300, -1e300, 1e300}, {1e18, 1e18 + 4096, 1e18, 1e18 + 4096}, {1, 1e8, 1, 1e8}, {1, 10, 3, 7}, {1, 10, 20, 30},
	} {
		for _, cells := range []int{-1, 0, 1, 2, 5, 72} {
			ticks := epochTicks(c.lo, c.hi, c.dlo, c.dhi, cells)
			if finite(c.lo) && finite(c.hi) && c.hi > c.lo {
				checkTicks(t, ticks, c.lo, c.hi, c.dlo, c.dhi, cells)
			} else if len(ticks) > 0 {
				t.Errorf("%v in %d cells: labels %v for a range with none", c, cells, ticks)
			}
		}
	}
}

func checkTicks(t *testing.T, ticks []xTick, lo, hi, dlo, dhi float64, cells int) {
	t.Helper()
	var step float64
	for i, tk := range ticks {
		if tk.col < 0 || tk.col+len(tk.label) > cells {
			t.Errorf("[%g,%g] in %d cells: %q at column %d runs off the axis", lo, hi, cells, tk.label, tk.col)
		}
		v, err := strconv.ParseFloat(tk.label, 64)
		if err != nil {
			t.Errorf("[%g,%g]: label %q is not a number", lo, hi, tk.label)
			continue
		}
		if v < math.Floor(dlo) || v > math.Ceil(dhi) {
			t.Errorf("[%g,%g] data [%g,%g]: label %q outside the data", lo, hi, dlo, dhi, tk.label)
		}
		if want := int(math.Round((v - lo) / (hi - lo) * float64(cells-1))); math.Abs(v) < 1e9 && tk.col != want {
			t.Errorf("[%g,%g] in %d cells: %q at column %d, its value's column is %d", lo, hi, cells, tk.label, tk.col, want)
		}
		if i == 0 {
			continue
		}
		prev := ticks[i-1]
		pv, _ := strconv.ParseFloat(prev.label, 64)
		if tk.col <= prev.col+len(prev.label) {
			t.Errorf("[%g,%g] in %d cells: %q at %d touches %q at %d", lo, hi, cells, tk.label, tk.col, prev.label, prev.col)
		}
		if d := v - pv; i == 1 {
			step = d
		} else if math.Abs(d-step) > 1e-9*math.Abs(step) {
			t.Errorf("[%g,%g] in %d cells: step %g after %g: labels %v", lo, hi, cells, d, step, ticks)
		}
		if i >= 2 {
			g1, g2 := prev.col-ticks[i-2].col, tk.col-prev.col
			if g1-g2 > 1 || g2-g1 > 1 {
				t.Errorf("[%g,%g] in %d cells: gaps %d and %d: labels %v", lo, hi, cells, g1, g2, ticks)
			}
		}
	}
}

// TestChartEpochLabelsEven: a drawn chart's x labels, for runs of 9 to
// 12,345 epochs at 80 and 120 columns, step by one round value at gaps
// that differ by at most a column. At 1,200 epochs ntcharts' labels read
// "934 1000    1133".
func TestChartEpochLabelsEven(t *testing.T) {
	st := DefaultStyles()
	num := regexp.MustCompile(`\d+`)
	for _, epochs := range []int{9, 10, 999, 1000, 1200, 12345} {
		for _, w := range []int{80, 120} {
			c := newChart("loss", &st)
			for e := 1; e <= epochs; e++ {
				c.add("train", st.TrainSeries, float64(e), 1/float64(e))
			}
			c.setSize(w, 12)
			lines := strings.Split(c.view(), "\n")
			row := lines[len(lines)-1]
			locs := num.FindAllStringIndex(row, -1)
			if len(locs) < 2 {
				t.Fatalf("%d epochs at %d: labels %q", epochs, w, row)
			}
			var vals, cols []int
			for _, l := range locs {
				v, _ := strconv.Atoi(row[l[0]:l[1]])
				vals, cols = append(vals, v), append(cols, l[0])
			}
			for i := 2; i < len(vals); i++ {
				if vals[i]-vals[i-1] != vals[1]-vals[0] {
					t.Errorf("%d epochs at %d: uneven steps %q", epochs, w, row)
				}
				if g1, g2 := cols[i-1]-cols[i-2], cols[i]-cols[i-1]; g1-g2 > 1 || g2-g1 > 1 {
					t.Errorf("%d epochs at %d: gaps %d and %d: %q", epochs, w, g1, g2, row)
				}
			}
		}
	}
}
