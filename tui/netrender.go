package tui

import (
	"math"
	"strings"

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

// netPairStyles[top][bottom] draws a half-block cell: the foreground is
// the top pixel, the background the bottom one. netFgStyles colour a glyph.
var netPairStyles, netFgStyles = func() ([netLevels][netLevels]lipgloss.Style, [netLevels]lipgloss.Style) {
	var pair [netLevels][netLevels]lipgloss.Style
	var fg [netLevels]lipgloss.Style
	for i := range netLevels {
		fg[i] = lipgloss.NewStyle().Foreground(lipgloss.Color(netColor(i).Hex()))
		for j := range netLevels {
			pair[i][j] = lipgloss.NewStyle().Foreground(lipgloss.Color(netColor(i).Hex())).Background(lipgloss.Color(netColor(j).Hex()))
		}
	}
	return pair, fg
}()

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
	lines := make([]string, h)
	var b strings.Builder
	for r := 0; r < h; r++ {
		b.Reset()
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
			b.WriteString(netPairStyles[ti][bi].Render("▀"))
		}
		lines[r] = b.String()
	}
	return lines
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
	lines := make([]string, h)
	var b strings.Builder
	for r := 0; r < h; r++ {
		b.Reset()
		for c := 0; c < w; c++ {
			if c >= len(counts) || !finite(counts[c]) {
				b.WriteByte(' ')
				continue
			}
			eighths := int(math.Round(math.Max(0, math.Min(1, counts[c])) * float64(h*8)))
			lvl := max(0, min(8, eighths-(h-1-r)*8))
			g := string(barGlyphs[lvl])
			if ascii || lvl == 0 {
				b.WriteString(g)
				continue
			}
			i, _ := netLevel(sign[c])
			b.WriteString(netFgStyles[i].Render(g))
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

// sparkline draws the last w values as bars scaled between their finite
// minimum and maximum; a flat series is a row of ▄, a gap a blank.
func sparkline(vals []float64, w int) string {
	if w <= 0 {
		return ""
	}
	if len(vals) > w {
		vals = vals[len(vals)-w:]
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
