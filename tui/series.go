package tui

import (
	"math"

	"github.com/charmbracelet/lipgloss"
)

// maxSeriesBuckets bounds a series' memory. A series keeps every point
// until it has this many; past that it keeps buckets of stride
// consecutive points, each as its lowest and highest point, and doubles
// the stride (merging neighbouring buckets, which all hold stride points)
// whenever the buckets run out. Every bucket spans the same number of
// epochs, so the start of a long run keeps as much detail as its end and
// a spike survives in its bucket. A million-epoch run keeps at most
// 2·maxSeriesBuckets+2 points.
const maxSeriesBuckets = 2048

// seriesPoint is one point of a series.
type seriesPoint struct{ x, y float64 }

// bucket is stride consecutive points of a series (fewer in the last
// one), as its lowest and highest point.
type bucket struct {
	lo, hi seriesPoint
	n      int
}

func (b *bucket) fold(p seriesPoint) {
	if b.n == 0 || p.y < b.lo.y {
		b.lo = p
	}
	if b.n == 0 || p.y > b.hi.y {
		b.hi = p
	}
	b.n++
}

// series is one curve of a chart. It is not safe for concurrent use.
type series struct {
	name        string
	style       lipgloss.Style
	buckets     []bucket
	stride      int           // points per bucket; 0 before the first point
	first, last seriesPoint   // kept exactly: the curve starts and ends where the run does
	pts         []seriesPoint // the points to draw, rebuilt when stale
	stale       bool
}

func (s *series) add(x, y float64) {
	if !finite(y) || !finite(x) {
		return
	}
	p := seriesPoint{x, clampPlot(y)}
	if s.stride == 0 {
		s.stride, s.first = 1, p
	}
	s.last, s.stale = p, true
	if n := len(s.buckets); n > 0 && s.buckets[n-1].n < s.stride {
		s.buckets[n-1].fold(p)
		return
	}
	if len(s.buckets) == maxSeriesBuckets {
		s.merge()
		if n := len(s.buckets); s.buckets[n-1].n < s.stride {
			s.buckets[n-1].fold(p)
			return
		}
	}
	var b bucket
	b.fold(p)
	s.buckets = append(s.buckets, b)
}

// merge doubles the stride, folding each pair of neighbouring buckets into
// one.
func (s *series) merge() {
	n := len(s.buckets) / 2
	for i := 0; i < n; i++ {
		a, b := s.buckets[2*i], s.buckets[2*i+1]
		if b.lo.y < a.lo.y {
			a.lo = b.lo
		}
		if b.hi.y > a.hi.y {
			a.hi = b.hi
		}
		a.n += b.n
		s.buckets[i] = a
	}
	if len(s.buckets)%2 == 1 {
		s.buckets[n] = s.buckets[len(s.buckets)-1]
		n++
	}
	s.buckets = s.buckets[:n]
	s.stride *= 2
}

// points returns the series' points in x order: its first seriesPoint, each
// bucket's lowest and highest point, and its last seriesPoint.
func (s *series) points() []seriesPoint {
	if !s.stale {
		return s.pts
	}
	s.stale = false
	s.pts = s.pts[:0]
	if s.stride == 0 {
		return s.pts
	}
	push := func(p seriesPoint) {
		if n := len(s.pts); n == 0 || p.x > s.pts[n-1].x {
			s.pts = append(s.pts, p)
		}
	}
	push(s.first)
	for _, b := range s.buckets {
		a, c := b.lo, b.hi
		if c.x < a.x {
			a, c = c, a
		}
		push(a)
		push(c)
	}
	push(s.last)
	return s.pts
}

// values returns the y of each of the series' points.
func (s *series) values() []float64 {
	pts := s.points()
	ys := make([]float64, len(pts))
	for i, p := range pts {
		ys[i] = p.y
	}
	return ys
}

// emaWeight is TensorBoard's default smoothing.
const emaWeight = 0.6

// transformed returns the points to draw: smoothed with a debiased EMA,
// and in log10 when logY (non-positive values are dropped).
func (s *series) transformed(smooth, logY bool) (xs, ys []float64) {
	last, num := 0.0, 0
	for _, p := range s.points() {
		y := p.y
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
		xs = append(xs, p.x)
		ys = append(ys, y)
	}
	return xs, ys
}
