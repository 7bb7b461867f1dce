package tui

import (
	"math"
	"strings"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/lucasb-eyer/go-colorful"
	"github.com/muesli/termenv"
)

// netLevels quantizes the boundary's colour scale, −1 (orange) through 0
// (white) to 1 (blue), so that every style is built once.
const netLevels = 21

// netColor is level i's colour on the boundary's scale.
func netColor(i int) colorful.Color {
	t := float64(i)/float64(netLevels-1)*2 - 1
	if t < 0 {
		return whiteColor.BlendRgb(negColor, -t)
	}
	return whiteColor.BlendRgb(posColor, t)
}

// netFgStyles colour a glyph at each level.
var netFgStyles = func() [netLevels]lipgloss.Style {
	var fg [netLevels]lipgloss.Style
	for i := range netLevels {
		fg[i] = lipgloss.NewStyle().Foreground(lipgloss.Color(netColor(i).Hex()))
	}
	return fg
}()

// netSGR holds the escape sequences of the levels' colours for one colour
// profile. Maps are drawn cell by cell, and a lipgloss Render per cell
// cost milliseconds per map; raw sequences, written only where the colour
// changes, cost microseconds.
type netSGR struct {
	fg, bg [netLevels]string // SGR parameters, such as 38;2;8;119;189
}

var (
	netSGRMu    sync.Mutex
	netSGRCache = map[termenv.Profile]*netSGR{}
)

// sgrFor returns the sequences for profile p, built once per profile. It
// is safe for concurrent use.
func sgrFor(p termenv.Profile) *netSGR {
	netSGRMu.Lock()
	defer netSGRMu.Unlock()
	if s, ok := netSGRCache[p]; ok {
		return s
	}
	s := &netSGR{}
	for i := range netLevels {
		c := p.Color(netColor(i).Hex())
		if c != nil {
			s.fg[i], s.bg[i] = c.Sequence(false), c.Sequence(true)
		}
	}
	netSGRCache[p] = s
	return s
}

// netLevel is the level of v in [−1, 1]; ok is false for a non-finite v.
func netLevel(v float64) (int, bool) {
	if !finite(v) {
		return netLevels / 2, false
	}
	v = math.Max(-1, math.Min(1, v))
	return int(math.Round((v + 1) / 2 * float64(netLevels-1))), true
}

// netShade is the colourless rendering of v in [−1, 1], the boundary's
// shades: blank for −1 through ▓ for 1, ? when not finite.
func netShade(v float64) rune {
	if !finite(v) {
		return '?'
	}
	p := (math.Max(-1, math.Min(1, v)) + 1) / 2
	switch {
	case p < 0.2:
		return ' '
	case p < 0.4:
		return '·'
	case p < 0.6:
		return '░'
	case p < 0.8:
		return '▒'
	}
	return '▓'
}

func asciiProfile() bool { return lipgloss.ColorProfile() == termenv.Ascii }

// renderMap draws a map of w × 2h pixel values as h lines of half-blocks.
func renderMap(vals []float64, w, h int) []string {
	ascii := asciiProfile()
	sgr := sgrFor(lipgloss.ColorProfile())
	lines := make([]string, h)
	var b strings.Builder
	for r := 0; r < h; r++ {
		b.Reset()
		last := [2]int{-1, -1}
		for c := 0; c < w; c++ {
			top, bot := math.NaN(), math.NaN()
			if i := 2*r*w + c; i < len(vals) {
				top = vals[i]
			}
			if i := (2*r+1)*w + c; i < len(vals) {
				bot = vals[i]
			}
			if ascii {
				b.WriteRune(netShade(meanFinite(top, bot)))
				continue
			}
			ti, _ := netLevel(top)
			bi, _ := netLevel(bot)
			if pair := [2]int{ti, bi}; pair != last {
				last = pair
				writeSGR(&b, sgr.fg[ti], sgr.bg[bi])
			}
			b.WriteString("▀")
		}
		if !ascii {
			b.WriteString("\x1b[0m")
		}
		lines[r] = b.String()
	}
	return lines
}

// writeSGR writes the escape sequence that sets the given SGR parameters.
func writeSGR(b *strings.Builder, params ...string) {
	b.WriteString("\x1b[0")
	for _, p := range params {
		if p != "" {
			b.WriteByte(';')
			b.WriteString(p)
		}
	}
	b.WriteByte('m')
}

func meanFinite(a, b float64) float64 {
	switch {
	case finite(a) && finite(b):
		return (a + b) / 2
	case finite(a):
		return a
	}
	return b
}

var barGlyphs = []rune(" ▁▂▃▄▅▆▇█")

// renderHistogram draws counts in [0, 1] as h lines of vertical bars, each
// bin coloured by its sign on the boundary's scale.
func renderHistogram(counts, sign []float64, w, h int) []string {
	ascii := asciiProfile()
	sgr := sgrFor(lipgloss.ColorProfile())
	lines := make([]string, h)
	var b strings.Builder
	for r := 0; r < h; r++ {
		b.Reset()
		last := -1
		for c := 0; c < w; c++ {
			if c >= len(counts) || !finite(counts[c]) {
				b.WriteByte(' ')
				continue
			}
			eighths := int(math.Round(math.Max(0, math.Min(1, counts[c])) * float64(h*8)))
			lvl := max(0, min(8, eighths-(h-1-r)*8))
			if !ascii && lvl > 0 {
				if i, _ := netLevel(sign[c]); i != last {
					last = i
					writeSGR(&b, sgr.fg[i])
				}
			}
			b.WriteRune(barGlyphs[lvl])
		}
		if !ascii {
			b.WriteString("\x1b[0m")
		}
		lines[r] = b.String()
	}
	return lines
}

// linkGlyph draws a weight of relative size rel (|w| over the largest
// shown) as a line of at most n cells: ━ strong, ─ medium, ╌ weak,
// coloured blue for positive and orange for negative, with its sign at the
// end that points to the selected unit (the right end when toRight).
func linkGlyph(w, rel float64, n int, toRight bool) string {
	if n < 2 || !finite(w) || !finite(rel) {
		return strings.Repeat(" ", max(n, 0))
	}
	rel = math.Max(0, math.Min(1, rel))
	length := max(1, int(math.Round(rel*float64(n-1))))
	ch := "╌"
	switch {
	case rel > 0.66:
		ch = "━"
	case rel > 0.33:
		ch = "─"
	}
	sign := "+"
	lvl := netLevels - 1
	if w < 0 {
		sign, lvl = "-", 0
	}
	line := strings.Repeat(ch, length)
	var s string
	if toRight {
		s = line + sign
	} else {
		s = sign + line
	}
	if !asciiProfile() {
		s = netFgStyles[lvl].Render(s)
	}
	pad := strings.Repeat(" ", n-length-1)
	if toRight {
		return s + pad
	}
	return pad + s
}

// sparkline draws values as at most w bars scaled between their finite
// minimum and maximum; a longer series is averaged into w buckets, so the
// whole history shows. A flat series is a row of ▄, a gap a blank.
func sparkline(vals []float64, w int) string {
	if w <= 0 {
		return ""
	}
	if len(vals) > w {
		vals = buckets(vals, w)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	var b strings.Builder
	for _, v := range vals {
		switch {
		case !finite(v):
			b.WriteByte(' ')
		case !(hi > lo) || !finite(hi-lo):
			b.WriteRune('▄')
		default:
			b.WriteRune(barGlyphs[1+int(math.Round((v-lo)/(hi-lo)*7))])
		}
	}
	return b.String() + strings.Repeat(" ", w-len(vals))
}

// buckets averages the finite values of vals into n buckets of nearly
// equal size; a bucket with none is NaN.
func buckets(vals []float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		lo, hi := i*len(vals)/n, (i+1)*len(vals)/n
		s, k := 0.0, 0
		for _, v := range vals[lo:hi] {
			if finite(v) {
				s += v
				k++
			}
		}
		out[i] = math.NaN()
		if k > 0 {
			out[i] = s / float64(k)
		}
	}
	return out
}
