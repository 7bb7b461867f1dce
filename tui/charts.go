package tui

import (
	"math"
	"strconv"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// maxSeriesPoints bounds a series' memory: past it, neighbouring points
// are merged pairwise, so a million-epoch run keeps a few thousand points.
const maxSeriesPoints = 4096

// series is one curve of a chart.
type series struct {
	name   string
	style  lipgloss.Style
	xs, ys []float64
}

func (s *series) add(x, y float64) {
	if !finite(y) || !finite(x) {
		return
	}
	y = clampPlot(y)
	s.xs = append(s.xs, x)
	s.ys = append(s.ys, y)
	if len(s.xs) > maxSeriesPoints {
		n := len(s.xs) / 2
		for i := 0; i < n; i++ {
			s.xs[i] = (s.xs[2*i] + s.xs[2*i+1]) / 2
			s.ys[i] = (s.ys[2*i] + s.ys[2*i+1]) / 2
		}
		if len(s.xs)%2 == 1 {
			s.xs[n], s.ys[n] = s.xs[len(s.xs)-1], s.ys[len(s.ys)-1]
			n++
		}
		s.xs, s.ys = s.xs[:n], s.ys[:n]
	}
}

// emaWeight is TensorBoard's default smoothing.
const emaWeight = 0.6

// transformed returns the points to draw: smoothed with a debiased EMA,
// and in log10 when logY (non-positive values are dropped).
func (s *series) transformed(smooth, logY bool) (xs, ys []float64) {
	last, num := 0.0, 0
	for i, y := range s.ys {
		if smooth {
			last = last*emaWeight + (1-emaWeight)*y
			num++
			y = last / (1 - math.Pow(emaWeight, float64(num)))
		}
		if logY {
			if y <= 0 {
				continue
			}
			y = math.Log10(y)
		}
		xs = append(xs, s.xs[i])
		ys = append(ys, y)
	}
	return xs, ys
}

// chart draws several series with ntcharts' line chart, using braille
// lines. It caches its drawing until the data or size changes.
type chart struct {
	title        string
	w, h         int
	logY, smooth bool
	series       []*series
	dirty        bool
	cache        string
	styles       *Styles
	empty        string // said when there is no point; "" is waitingText
}

// waitingText is what a chart or panel of a run says before the run's
// first epoch; noEpochsText is what it says when the run ended before
// that epoch did, and never will have one.
const (
	waitingText  = "waiting for the first epoch…"
	noEpochsText = "no epochs: the run stopped before its first epoch ended"
)

// setEmpty sets what the chart says while it has no point.
func (c *chart) setEmpty(s string) {
	if c != nil && c.empty != s {
		c.empty, c.dirty = s, true
	}
}

func newChart(title string, st *Styles) *chart { return &chart{title: title, styles: st, dirty: true} }

func (c *chart) setSize(w, h int) {
	if w != c.w || h != c.h {
		c.w, c.h, c.dirty = w, h, true
	}
}

func (c *chart) get(name string, style lipgloss.Style) *series {
	for _, s := range c.series {
		if s.name == name {
			return s
		}
	}
	s := &series{name: name, style: style}
	c.series = append(c.series, s)
	return s
}

func (c *chart) add(name string, style lipgloss.Style, x, y float64) {
	c.get(name, style).add(x, y)
	c.dirty = true
}

func (c *chart) reset() { c.series, c.dirty = nil, true }

// view returns the chart, redrawing it only when dirty.
func (c *chart) view() string {
	if !c.dirty {
		return c.cache
	}
	c.dirty = false
	c.cache = c.draw()
	return c.cache
}

// viewAt returns the chart drawn at w×h cells, leaving c as it is: a
// narrower copy shares the pane with other charts.
func (c *chart) viewAt(w, h int) string {
	if w == c.w && h == c.h {
		return c.view()
	}
	cp := *c
	cp.setSize(w, h)
	return cp.draw()
}

func (c *chart) draw() string {
	if c.w < 12 || c.h < 5 {
		return ""
	}
	title := c.title
	if c.logY {
		title += " (log)"
	}
	if c.smooth {
		title += " (smoothed)"
	}
	// Without colour the series differ by dash pattern, and so does the
	// legend's glyph.
	mono := lipgloss.ColorProfile() == termenv.Ascii
	var legend []string
	for i, s := range c.series {
		glyph := "━"
		if mono {
			glyph = dashGlyphs[i%len(dashGlyphs)]
		}
		legend = append(legend, s.style.Render(glyph+" "+s.name))
	}
	head := plain.MaxWidth(c.w).Render(c.styles.Header.Render(title) + "  " + strings.Join(legend, " "))
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	type pts struct{ xs, ys []float64 }
	all := make([]pts, len(c.series))
	for i, s := range c.series {
		xs, ys := s.transformed(c.smooth, c.logY)
		all[i] = pts{xs, ys}
		for j := range xs {
			minX, maxX = math.Min(minX, xs[j]), math.Max(maxX, xs[j])
			minY, maxY = math.Min(minY, ys[j]), math.Max(maxY, ys[j])
		}
	}
	if math.IsInf(minX, 0) {
		say := c.empty
		if say == "" {
			say = waitingText
		}
		body := lipgloss.Place(c.w, c.h-1, lipgloss.Center, lipgloss.Center, c.styles.Subtle.Render(ansi.Wrap(say, max(c.w, 1), "")))
		return head + "\n" + body
	}
	dataMinX, dataMaxX := minX, maxX
	if maxX <= minX {
		maxX = minX + 1
	}
	minY, maxY = plotRange(minY, maxY)
	yfmt := func(i int, v float64) string {
		if c.logY {
			return axisLabel(i, math.Pow(10, v))
		}
		return axisLabel(i, v)
	}
	lc := linechart.New(c.w, c.h-1, minX, maxX, minY, maxY,
		linechart.WithXYSteps(4, 2),
		linechart.WithStyles(c.styles.Axis, c.styles.Axis, c.styles.Text),
		linechart.WithYLabelFormatter(yfmt),
		linechart.WithXLabelFormatter(func(int, float64) string { return "" }), // drawEpochTicks labels x
	)
	lc.DrawXYAxisAndLabel()
	drawEpochTicks(&lc, epochTicks(minX, maxX, dataMinX, dataMaxX, lc.GraphWidth()), c.styles.Axis)
	buckets := max(lc.GraphWidth()*2, 2)
	for i, s := range c.series {
		xs, ys := downsample(all[i].xs, all[i].ys, buckets)
		pts := make([]canvas.Float64Point, len(xs))
		for j := range xs {
			pts[j] = canvas.Float64Point{X: xs[j], Y: ys[j]}
		}
		pattern := 0
		if mono {
			pattern = i
		}
		drawPolyline(&lc, pts, s.style, pattern)
	}
	return head + "\n" + lc.View()
}

// downsample keeps the minimum and maximum of each of n buckets of x, in
// the order they occur, so spikes survive.
func downsample(xs, ys []float64, n int) ([]float64, []float64) {
	if len(xs) <= 2*n {
		return xs, ys
	}
	lo, hi := xs[0], xs[len(xs)-1]
	width := (hi - lo) / float64(n)
	var ox, oy []float64
	i := 0
	for b := 0; b < n && i < len(xs); b++ {
		end := lo + width*float64(b+1)
		mi, ma := -1, -1
		for ; i < len(xs) && (xs[i] <= end || b == n-1); i++ {
			if mi < 0 || ys[i] < ys[mi] {
				mi = i
			}
			if ma < 0 || ys[i] > ys[ma] {
				ma = i
			}
		}
		if mi < 0 {
			continue
		}
		if mi > ma {
			mi, ma = ma, mi
		}
		ox, oy = append(ox, xs[mi]), append(oy, ys[mi])
		if ma != mi {
			ox, oy = append(ox, xs[ma]), append(oy, ys[ma])
		}
	}
	return ox, oy
}

// plotLimit bounds plotted values, so that the span of any two of them
// stays finite (1e308 − −1e308 would overflow to +Inf).
const plotLimit = 1e300

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// clampPlot limits a finite value to ±plotLimit.
func clampPlot(v float64) float64 { return math.Max(-plotLimit, math.Min(plotLimit, v)) }

// plotRange widens an empty or single-valued range so a chart can scale
// to it: a constant series sits in the middle of its panel.
func plotRange(lo, hi float64) (float64, float64) {
	if !finite(lo) || !finite(hi) {
		return 0, 1
	}
	if hi <= lo {
		pad := math.Max(math.Abs(lo)*0.05, 1e-3)
		lo, hi = clampPlot(lo-pad), clampPlot(hi+pad)
	}
	return lo, hi
}

// axisLabel formats an axis tick in at most 3 significant digits, never as
// "-0".
func axisLabel(_ int, v float64) string {
	s := strconv.FormatFloat(v, 'g', 3, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

// dashGlyphs are the legend glyphs of the dash patterns drawPolyline
// draws, by pattern number.
var dashGlyphs = []string{"━", "┅", "┈", "╍"}

// dashOn reports whether the k-th dot along a line is drawn in pattern p:
// solid, dashed (3 on, 3 off), dotted (1 in 3), long dash (6 on, 2 off).
func dashOn(p, k int) bool {
	switch p % len(dashGlyphs) {
	case 1:
		return (k/3)%2 == 0
	case 2:
		return k%3 == 0
	case 3:
		return k%8 < 6
	}
	return true
}

// drawPolyline draws a braille line through pts on lc in dash pattern
// pattern (0 is solid). It sets every segment in one braille grid and
// draws the grid once: ntcharts' DrawBrailleLineWithStyle allocates and
// draws a whole grid per segment, which made a frame of a long run cost
// tens of milliseconds.
func drawPolyline(lc *linechart.Model, pts []canvas.Float64Point, s lipgloss.Style, pattern int) {
	if len(pts) == 0 {
		return
	}
	g := graph.NewBrailleGrid(lc.GraphWidth(), lc.GraphHeight(), lc.MinX(), lc.MaxX(), lc.MinY(), lc.MaxY())
	prev := g.GridPoint(pts[0])
	g.Set(prev)
	k := 0
	for _, p := range pts[1:] {
		q := g.GridPoint(p)
		for _, c := range graph.GetLinePoints(prev, q) {
			if dashOn(pattern, k) {
				g.Set(c)
			}
			k++
		}
		prev = q
	}
	startX := 0
	if lc.YStep() > 0 {
		startX = lc.Origin().X + 1
	}
	graph.DrawBraillePatterns(&lc.Canvas, canvas.Point{X: startX, Y: 0}, g.BraillePatterns(), s)
}

// unitTicks labels an axis over [0, 1] drawn in about cells cells: only
// the cells within one cell of 0, 0.5 and 1 get a label (ntcharts labels
// cell i with i/cells, so the last cell is 1 − 1/cells, and it prints each
// label once).
func unitTicks(cells int) linechart.LabelFormatter {
	half := 1 / float64(max(cells-2, 1))
	return func(_ int, v float64) string {
		for _, t := range []struct {
			v float64
			s string
		}{{0, "0"}, {0.5, "0.5"}, {1, "1"}} {
			if math.Abs(v-t.v) <= half {
				return t.s
			}
		}
		return ""
	}
}
