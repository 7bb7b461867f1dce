package tui

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/trainer"
)

// lrFinder is Setup's learning-rate finder: f runs the range test on the
// form's spec off the UI path, F applies its suggestion.
type lrFinder struct {
	running bool
	res     *trainer.LRFindResult
	err     error
	label   string // what the test ran on, e.g. "digits · adam"
	// key is the spec the test ran on (lrFinderKey), "" when none: a
	// suggestion made for one network must never set another's rate.
	key string
}

// lrFinderKey identifies what the range test depends on: the whole spec
// but its learning rate, which the test sweeps itself and F sets.
func lrFinderKey(spec trainer.Spec) string {
	spec.Optimizer.LR = 0
	return specText(spec)
}

// stale reports whether the finder holds a test of a spec other than
// spec (the form changed since f).
func (f lrFinder) stale(spec trainer.Spec) bool {
	return f.key != "" && f.key != lrFinderKey(spec)
}

// active reports whether the finder has something to show.
func (f lrFinder) active() bool { return f.running || f.res != nil || f.err != nil }

// findLR starts the range test on spec.
func findLR(spec trainer.Spec, key string) tea.Cmd {
	return func() tea.Msg {
		data, err := datasets.Build(spec.Data)
		if err != nil {
			return lrFoundMsg{key: key, err: err}
		}
		res, err := trainer.FindLR(context.Background(), spec, data, trainer.LRFindOptions{})
		return lrFoundMsg{key: key, res: res, err: err}
	}
}

// start marks the test as running and returns its Cmd, unless one runs.
func (f *lrFinder) start(spec trainer.Spec) tea.Cmd {
	if f.running {
		return nil
	}
	f.running, f.res, f.err = true, nil, nil
	f.label = spec.Data.Label() + " · " + spec.Optimizer.Name
	f.key = lrFinderKey(spec)
	return findLR(spec.Clone(), f.key)
}

// receive takes the test's outcome; ok is false for a test of a spec the
// finder no longer holds (the form changed, or esc closed it, meanwhile).
func (f *lrFinder) receive(msg lrFoundMsg) (ok bool) {
	if msg.key != f.key || !f.running {
		return false
	}
	f.running, f.res, f.err = false, msg.res, msg.err
	return true
}

// brief is the outcome in one status line, for a Setup too narrow for the
// panel (under 70 columns f ran and showed nothing).
func (f lrFinder) brief() (text string, isErr bool) {
	switch {
	case f.err != nil:
		return "lr-find: " + f.err.Error(), true
	case f.res == nil || !(f.res.Suggested > 0) || !finite(f.res.Suggested):
		return "lr-find: no suggestion", true
	}
	return fmt.Sprintf("lr-find: %s (%s) · F applies it · 70+ columns show the curve", numfmt.Short(f.res.Suggested), f.res.Rule), false
}

// apply sets spec's learning rate to the suggestion and says so; ok is
// false when there is none.
func (f lrFinder) apply(spec *trainer.Spec) (text string, ok bool) {
	if f.stale(*spec) { // Setup clears a stale finder; this is the last guard
		return "the learning-rate suggestion was for another spec: press f to find one for this one", false
	}
	if f.res == nil || !(f.res.Suggested > 0) || !finite(f.res.Suggested) {
		return "no learning-rate suggestion yet: press f to find one", false
	}
	// The rate as it is said, to six digits, so that the form shows
	// 0.0500031 and not 0.05000306842491094.
	said := numfmt.Short(f.res.Suggested)
	spec.Optimizer.LR = f.res.Suggested
	if v, err := strconv.ParseFloat(said, 64); err == nil && v > 0 {
		spec.Optimizer.LR = v
	}
	return fmt.Sprintf("learning rate set to %s (%s)", said, f.res.Rule), true
}

// view is the finder's panel: the curve and the suggestion.
func (f lrFinder) view(st *Styles, w, h int) string {
	lines := []string{st.Title.Render("learning-rate finder")}
	switch {
	case f.running:
		lines = append(lines, st.Subtle.Render(wrap("running the range test on "+f.label+"…", w)))
	case f.err != nil:
		lines = append(lines, st.Error.Render(wrap(f.err.Error(), w)))
	case f.res != nil:
		// The chart takes what the text leaves: the reason for a min ÷ 10
		// runs to several lines in a narrow panel, and F must stay in view.
		said := wrap(LRSuggestion(f.res), w)
		lines = append(lines, st.Subtle.Render(truncate(f.label, w)))
		lines = append(lines, LRChart(f.res, w, max(h-4-lipgloss.Height(said), 4)))
		lines = append(lines, said)
		lines = append(lines, st.Accent.Render("F applies it"))
	}
	return strings.Join(lines, "\n")
}

// chartStyles are the styles of charts drawn outside a screen.
var chartStyles = DefaultStyles()

// LRSuggestion says in words what the finder suggests and why.
func LRSuggestion(res *trainer.LRFindResult) string {
	minimum := numfmt.Short(res.MinLR)
	why := "the steepest descent of the smoothed loss (minimum at " + minimum + ")"
	switch {
	case res.Rule != "min/10":
	case !res.Descended && res.Noise > 0 && res.Drop > trainer.LRDescentNoise*res.Noise:
		why = "the minimum's rate " + minimum + " ÷ 10; the smoothed loss fell from its early level in too few steps to tell a descent from a dip"
	case !res.Descended && res.Noise > 0 && res.Drop > 0:
		// It read "fell no further than its noise" when it fell 4× it.
		why = fmt.Sprintf("the minimum's rate %s ÷ 10; the smoothed loss fell %s from its early level, %.1f× its noise (a descent needs %d×), so a steepest point could be a dip",
			minimum, numfmt.Value(res.Drop), res.Drop/res.Noise, trainer.LRDescentNoise)
	case !res.Descended:
		why = "the minimum's rate " + minimum + " ÷ 10; the smoothed loss did not fall from its early level, so a steepest point would be a dip"
	case res.SteepestLR > 0:
		why = "the minimum's rate " + minimum + " ÷ 10, under the steepest descent at " + numfmt.Short(res.SteepestLR) + ", which lies within a decade of the minimum"
	default:
		why = "the minimum's rate " + minimum + " ÷ 10"
	}
	end := ""
	if res.Diverged && len(res.Points) > 0 {
		end = fmt.Sprintf("; the loss diverged at %s", numfmt.Short(res.Points[len(res.Points)-1].LR))
	}
	return fmt.Sprintf("suggested learning rate %s: %s%s", numfmt.Short(res.Suggested), why, end)
}

// LRChart draws the smoothed loss against the learning rate, log x, in
// w×h cells, with the suggestion as a vertical line. Losses far above the
// start (the divergence) are clipped, so the descent keeps its detail.
func LRChart(res *trainer.LRFindResult, w, h int) string {
	st := &chartStyles
	if res == nil || w < 16 || h < 4 {
		return ""
	}
	var pts []canvas.Float64Point
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range res.Points {
		if finite(p.Smoothed) && p.LR > 0 && finite(math.Log10(p.LR)) {
			lo = math.Min(lo, p.Smoothed)
			pts = append(pts, canvas.Float64Point{X: math.Log10(p.LR), Y: p.Smoothed})
		}
	}
	if len(pts) == 0 {
		return st.Subtle.Render(truncate("no finite loss to draw", w))
	}
	ceil := pts[0].Y * 1.5
	for i := range pts {
		pts[i].Y = math.Min(pts[i].Y, math.Max(ceil, lo))
		hi = math.Max(hi, pts[i].Y)
	}
	lo, hi = plotRange(lo, hi)
	x0, x1 := plotRange(pts[0].X, pts[len(pts)-1].X)
	lc := linechart.New(w, h, x0, x1, lo, hi, linechart.WithXYSteps(4, 2),
		linechart.WithStyles(st.Axis, st.Axis, st.Text),
		linechart.WithXLabelFormatter(func(int, float64) string { return "" }), // decadeTicks label x
		linechart.WithYLabelFormatter(axisLabel))
	lc.DrawXYAxisAndLabel()
	drawEpochTicks(&lc, decadeTicks(x0, x1, lc.GraphWidth()), st.Axis)
	if s := res.Suggested; s > 0 && finite(math.Log10(s)) && math.Log10(s) >= x0 && math.Log10(s) <= x1 {
		lc.DrawBrailleLineWithStyle(canvas.Float64Point{X: math.Log10(s), Y: lo}, canvas.Float64Point{X: math.Log10(s), Y: hi}, st.Good)
	}
	drawPolyline(&lc, pts, st.TrainSeries, 0)
	return lc.View()
}

// decadeTicks labels a log10 axis from lo to hi drawn over cells columns:
// "1eK" at the column of each whole K (every 2nd, 3rd… decade when they
// would touch), as epochTicks does for epochs. ntcharts' labels sat every
// 4th column, each rounded to its nearest decade, so "1e-5" could stand
// 0.4 of a decade from 1e-5.
func decadeTicks(lo, hi float64, cells int) []xTick {
	if cells < 1 || !finite(lo) || !finite(hi) || hi <= lo {
		return nil
	}
	first, last := math.Ceil(lo), math.Floor(hi)
	col := func(v float64) int { return int(math.Round((v - lo) / (hi - lo) * float64(cells-1))) }
	for every := 1.0; every <= math.Max(last-first, 1); every++ {
		var ticks []xTick
		fits := true
		for k := math.Ceil(first/every) * every; k <= last; k += every {
			t := xTick{col: col(k), label: fmt.Sprintf("1e%d", int(k))}
			if n := len(ticks); n > 0 && t.col-ticks[n-1].col < len(ticks[n-1].label)+1 {
				fits = false
				break
			}
			ticks = append(ticks, t)
		}
		if fits {
			return fitTicks(ticks, cells)
		}
	}
	return nil
}
