package tui

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestLongSeriesKeepsItsStart adds 30,000 and 1,000,000 epochs of a
// falling loss: the series stays bounded, still starts at epoch 1 with its
// first value and ends at the last epoch, and its buckets span equal
// numbers of epochs (pairwise averaging of the oldest points had moved the
// start of a 30,000-epoch curve to epoch ~3,500 and cut its top).
func TestLongSeriesKeepsItsStart(t *testing.T) {
	for _, n := range []int{1, 2, 4096, 4097, 30_000, 1_000_000} {
		var s series
		for e := 1; e <= n; e++ {
			s.add(float64(e), 0.73/float64(e))
		}
		pts := s.points()
		if len(pts) > 2*maxSeriesBuckets+2 {
			t.Fatalf("%d epochs: %d points kept", n, len(pts))
		}
		if pts[0].x != 1 || pts[0].y != 0.73 || pts[len(pts)-1].x != float64(n) {
			t.Fatalf("%d epochs: curve from %v to %v", n, pts[0], pts[len(pts)-1])
		}
		for i := 1; i < len(pts); i++ {
			if pts[i].x <= pts[i-1].x {
				t.Fatalf("%d epochs: x not increasing at %d: %v %v", n, i, pts[i-1], pts[i])
			}
		}
		for i, b := range s.buckets[:len(s.buckets)-1] {
			if b.n != s.stride {
				t.Fatalf("%d epochs: bucket %d holds %d points, stride %d", n, i, b.n, s.stride)
			}
		}
	}
}

// TestLongSeriesKeepsSpikes: a one-epoch spike late in a long run is
// still among the points drawn.
func TestLongSeriesKeepsSpikes(t *testing.T) {
	var s series
	for e := 1; e <= 100_000; e++ {
		y := 0.1
		if e == 77_777 {
			y = 5
		}
		s.add(float64(e), y)
	}
	for _, p := range s.points() {
		if p.y == 5 && p.x == 77_777 {
			return
		}
	}
	t.Fatal("the spike at epoch 77,777 was lost")
}

// TestLongRunChartShowsItsStart folds a 30,000-epoch run into the Train
// screen: the loss chart's y axis reaches the first epoch's loss (0.73)
// and its first x label is within the first tenth of the run.
func TestLongRunChartShowsItsStart(t *testing.T) {
	c := newChart("loss", func() *Styles { s := DefaultStyles(); return &s }())
	for e := 1; e <= 30_000; e++ {
		c.add("train", c.styles.TrainSeries, float64(e), 0.73/float64(e))
	}
	c.setSize(100, 16)
	lines := strings.Split(ansi.Strip(c.view()), "\n")
	top := math.Inf(-1)
	for _, l := range lines[1:] {
		if lab, _, ok := strings.Cut(l, "│"); ok {
			if v, err := strconv.ParseFloat(strings.TrimSpace(lab), 64); err == nil {
				top = math.Max(top, v)
			}
		}
	}
	if top < 0.5 {
		t.Fatalf("top y label %v, want near the first loss 0.73:\n%s", top, strings.Join(lines, "\n"))
	}
	labels := strings.Fields(lines[len(lines)-1])
	if len(labels) == 0 || labels[0] != "5000" {
		t.Fatalf("x labels %q, want them from 5000 (every 5000 epochs from the start)", labels)
	}
}

// TestFlatChartHasAScale: a nearly flat loss (0.69312 to 0.69318, as a
// network that learns nothing gives) gets y labels that differ; every
// label read 0.693 and ntcharts printed one. Hostile flat series still
// draw with at least two labels.
func TestFlatChartHasAScale(t *testing.T) {
	for _, tc := range []struct {
		name string
		ys   []float64
	}{
		{"near-flat", []float64{0.69318, 0.69316, 0.69314, 0.69313, 0.69312}},
		{"constant", []float64{0.693, 0.693, 0.693}},
		{"one point", []float64{0.5}},
		{"huge flat", []float64{1e300, 1e300 * (1 + 1e-9)}},
		{"zero", []float64{0, 0}},
		{"with NaN and Inf", []float64{0.4, math.NaN(), math.Inf(1), 0.40001, math.Inf(-1)}},
	} {
		c := newChart("loss", func() *Styles { s := DefaultStyles(); return &s }())
		for i, y := range tc.ys {
			c.add("train", c.styles.TrainSeries, float64(i+1), y)
		}
		c.setSize(60, 14)
		var labels []string
		for _, l := range strings.Split(ansi.Strip(c.view()), "\n")[1:] {
			l = strings.Replace(l, "└", "│", 1)
			if lab, _, ok := strings.Cut(l, "│"); ok && strings.TrimSpace(lab) != "" {
				labels = append(labels, strings.TrimSpace(lab))
			}
		}
		if len(labels) < 2 {
			t.Errorf("%s: y labels %q", tc.name, labels)
		}
	}
}
