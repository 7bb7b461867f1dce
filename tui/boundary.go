package tui

import (
	"math"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/lucasb-eyer/go-colorful"
	"github.com/muesli/termenv"

	"workbench/datasets"
	"workbench/trainer"
)

// boundaryGrid is a model's output over a grid of the input plane, in raw
// coordinates: w columns × 2h rows (two rows per terminal cell).
type boundaryGrid struct {
	w, h           int
	x0, x1, y0, y1 float64
	task           datasets.Task
	classes        int
	value          []float64 // per grid cell: P(class 1), the argmax class, or the value
	conf           []float64 // multiclass: the winning probability
	lo, hi         float64   // regression: value range for colours
}

// plane is what a boundary needs besides the weights: bounds, scaler,
// crosses and the points to draw.
type plane struct {
	x0, x1, y0, y1 float64
	scaler         datasets.Scaler
	crosses        []string
	task           datasets.Task
	classes        int
	train, test    []point
}

type point struct{ x, y, label float64 }

// newPlane returns the drawing plane of 2-D prepared data, or nil when the
// data is not 2-D.
func newPlane(p *datasets.Prepared) *plane {
	d := p.Train.D - len(p.Spec.Crosses)
	if d != 2 {
		return nil
	}
	pl := &plane{scaler: p.Scaler, crosses: p.Spec.Crosses, task: p.Task(), classes: p.Classes()}
	raw := func(s *datasets.Split) []point {
		out := make([]point, 0, s.N)
		rawX := make([]float64, len(s.X))
		pl.scaler.Inverse(rawX, s.X)
		for i := 0; i < s.N; i++ {
			out = append(out, point{rawX[i*s.D], rawX[i*s.D+1], s.Y[i]})
		}
		return out
	}
	pl.train, pl.test = raw(&p.Train), raw(&p.Test)
	pl.x0, pl.x1, pl.y0, pl.y1 = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, q := range append(append([]point{}, pl.train...), pl.test...) {
		pl.x0, pl.x1 = math.Min(pl.x0, q.x), math.Max(pl.x1, q.x)
		pl.y0, pl.y1 = math.Min(pl.y0, q.y), math.Max(pl.y1, q.y)
	}
	mx, my := math.Max((pl.x1-pl.x0)*0.05, 0.5), math.Max((pl.y1-pl.y0)*0.05, 0.5)
	pl.x0, pl.x1, pl.y0, pl.y1 = pl.x0-mx, pl.x1+mx, pl.y0-my, pl.y1+my
	return pl
}

// computeBoundary evaluates snap over a w×2h grid off the UI path.
func computeBoundary(id string, pl *plane, snap *trainer.Snapshot, w, h int) tea.Cmd {
	if pl == nil || snap == nil || w < 2 || h < 1 {
		return nil
	}
	return func() tea.Msg {
		g := &boundaryGrid{w: w, h: h, x0: pl.x0, x1: pl.x1, y0: pl.y0, y1: pl.y1, task: pl.task, classes: pl.classes}
		rows := 2 * h
		x := make([]float64, 0, w*rows*(2+len(pl.crosses)))
		for r := 0; r < rows; r++ {
			yv := pl.y1 - (float64(r)+0.5)/float64(rows)*(pl.y1-pl.y0)
			for c := 0; c < w; c++ {
				xv := pl.x0 + (float64(c)+0.5)/float64(w)*(pl.x1-pl.x0)
				x = datasets.CrossRow(x, xv, yv, pl.crosses)
			}
		}
		pl.scaler.Transform(x, x)
		out := snap.Predict(x, w*rows)
		n := w * rows
		g.value = make([]float64, n)
		switch pl.task {
		case datasets.Multiclass:
			g.conf = make([]float64, n)
			k := snap.Outputs
			for i := 0; i < n; i++ {
				row := out[i*k : (i+1)*k]
				b := 0
				for j, v := range row {
					if v > row[b] {
						b = j
					}
				}
				g.value[i], g.conf[i] = float64(b), row[b]
			}
		default:
			copy(g.value, out)
			g.lo, g.hi = math.Inf(1), math.Inf(-1)
			for _, v := range out {
				g.lo, g.hi = math.Min(g.lo, v), math.Max(g.hi, v)
			}
		}
		return boundaryMsg{id: id, grid: g}
	}
}

// Playground's colours: orange for class 0 (negative), blue for class 1.
var (
	negColor, _   = colorful.Hex("#f59322")
	posColor, _   = colorful.Hex("#0877bd")
	whiteColor, _ = colorful.Hex("#e8eaeb")
	classColors   = []string{"#f59322", "#0877bd", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}
)

// cellColor returns the colour of grid cell i.
func (g *boundaryGrid) cellColor(i int) colorful.Color {
	if !finite(g.value[i]) || (g.task == datasets.Multiclass && !finite(g.conf[i])) {
		return whiteColor // a diverged model predicts nothing
	}
	switch g.task {
	case datasets.Binary:
		p := g.value[i]
		if p < 0.5 {
			return whiteColor.BlendRgb(negColor, (0.5-p)*2)
		}
		return whiteColor.BlendRgb(posColor, (p-0.5)*2)
	case datasets.Multiclass:
		c, _ := colorful.Hex(classColors[int(g.value[i])%len(classColors)])
		return whiteColor.BlendRgb(c, math.Max(0, (g.conf[i]-1/float64(max(g.classes, 2)))*1.5))
	}
	t := 0.5
	if g.hi > g.lo {
		t = (g.value[i] - g.lo) / (g.hi - g.lo)
	}
	if t < 0.5 {
		return whiteColor.BlendRgb(negColor, (0.5-t)*2)
	}
	return whiteColor.BlendRgb(posColor, (t-0.5)*2)
}

// shade is the Ascii rendering of a cell: denser for class 1.
func (g *boundaryGrid) shade(i int) rune {
	v := g.value[i]
	if !finite(v) {
		return '?'
	}
	switch g.task {
	case datasets.Multiclass:
		return rune('0' + int(v)%10)
	case datasets.Regression:
		if g.hi > g.lo {
			v = (v - g.lo) / (g.hi - g.lo)
		}
	}
	switch {
	case v < 0.2:
		return ' '
	case v < 0.4:
		return '·'
	case v < 0.6:
		return '░'
	case v < 0.8:
		return '▒'
	}
	return '▓'
}

// render draws the grid with the plane's points: half-block cells in
// colour terminals, shades in colourless ones.
func (g *boundaryGrid) render(pl *plane, showTest bool) string {
	ascii := lipgloss.ColorProfile() == termenv.Ascii
	marks := map[int]point{}
	cellOf := func(q point) int {
		c := int((q.x - g.x0) / (g.x1 - g.x0) * float64(g.w))
		r := int((g.y1 - q.y) / (g.y1 - g.y0) * float64(g.h))
		if c < 0 || c >= g.w || r < 0 || r >= g.h {
			return -1
		}
		return r*g.w + c
	}
	for _, q := range pl.train {
		if i := cellOf(q); i >= 0 {
			marks[i] = q
		}
	}
	testMarks := map[int]bool{}
	if showTest {
		for _, q := range pl.test {
			if i := cellOf(q); i >= 0 {
				marks[i] = q
				testMarks[i] = true
			}
		}
	}
	var b strings.Builder
	for r := 0; r < g.h; r++ {
		for c := 0; c < g.w; c++ {
			top, bot := (2*r)*g.w+c, (2*r+1)*g.w+c
			q, marked := marks[r*g.w+c]
			if ascii {
				switch {
				case marked && testMarks[r*g.w+c]:
					b.WriteRune(map[bool]rune{true: '+', false: '-'}[q.label >= 0.5 && g.task != datasets.Multiclass])
				case marked:
					b.WriteRune(pointRune(q, g.task))
				default:
					b.WriteRune(g.shade(top))
				}
				continue
			}
			tc, bc := g.cellColor(top), g.cellColor(bot)
			if marked {
				fg := pointColor(q, g)
				ch := "●"
				if testMarks[r*g.w+c] {
					ch = "◆"
				}
				b.WriteString(lipgloss.NewStyle().Foreground(lipgloss.Color(fg)).Background(lipgloss.Color(tc.BlendRgb(bc, 0.5).Hex())).Render(ch))
				continue
			}
			b.WriteString(lipgloss.NewStyle().Foreground(lipgloss.Color(tc.Hex())).Background(lipgloss.Color(bc.Hex())).Render("▀"))
		}
		if r < g.h-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func pointRune(q point, task datasets.Task) rune {
	switch task {
	case datasets.Binary:
		if q.label >= 0.5 {
			return 'o'
		}
		return 'x'
	case datasets.Multiclass:
		return rune('a' + int(q.label)%26)
	}
	return '*'
}

func pointColor(q point, g *boundaryGrid) string {
	switch g.task {
	case datasets.Binary:
		if q.label >= 0.5 {
			return "#04507a"
		}
		return "#a35a00"
	case datasets.Multiclass:
		return classColors[int(q.label)%len(classColors)]
	}
	return "#222222"
}
