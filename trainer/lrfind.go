package trainer

import (
	"context"
	"fmt"
	"math"
	"sort"

	"workbench/datasets"
)

// LRFindOptions tunes the learning-rate range test. Zero values take the
// defaults shown.
type LRFindOptions struct {
	Start, End float64 // the range of learning rates: 1e-7 to 10
	Steps      int     // optimizer steps over the range: 300
	// Smoothing is the weight of the loss's exponential moving average:
	// 0.9. (fastai's 0.98 lags by over a decade of rates at 300 steps
	// over 8 decades; 0.9 lags by about a quarter of one.)
	Smoothing float64
	// Diverge stops the test once the smoothed loss exceeds this many
	// times its minimum: 4.
	Diverge float64
	Workers int // the matrix worker pool (0 = GOMAXPROCS)
}

func (o *LRFindOptions) defaults() {
	if o.Start <= 0 {
		o.Start = 1e-7
	}
	if o.End <= 0 {
		o.End = 10
	}
	if o.Steps <= 1 {
		o.Steps = 300
	}
	if o.Smoothing <= 0 || o.Smoothing >= 1 {
		o.Smoothing = 0.9
	}
	if o.Diverge <= 1 {
		o.Diverge = 4
	}
}

// LRPoint is one step of the range test.
type LRPoint struct {
	LR       float64 `json:"lr"`
	Loss     float64 `json:"loss"`     // the batch's training loss
	Smoothed float64 `json:"smoothed"` // the debiased moving average
}

// LRFindResult is the outcome of a range test.
type LRFindResult struct {
	Points []LRPoint `json:"points"`
	// Diverged is true when the test stopped early because the smoothed
	// loss exploded (or became non-finite).
	Diverged bool `json:"diverged"`
	// MinLR is the largest learning rate whose smoothed loss is within the
	// noise of the lowest; SteepestLR where the smoothed loss falls fastest
	// against log(lr) on its way down to the minimum (0 if it never does).
	MinLR      float64 `json:"min_lr"`
	SteepestLR float64 `json:"steepest_lr"`
	// Suggested is the learning rate to use and Rule says how it was
	// chosen: "steepest" (SteepestLR) or "min/10" (MinLR ÷ 10); see
	// suggest.
	Suggested float64 `json:"suggested"`
	Rule      string  `json:"rule"`
	// Smoothing is the moving average's weight β; Noise the estimated
	// standard deviation of the smoothed loss, Drop how far it fell from
	// its early level to its minimum, and Descended whether that drop
	// stood out of the noise (see suggest).
	Smoothing float64 `json:"smoothing"`
	Noise     float64 `json:"noise"`
	Drop      float64 `json:"drop"`
	Descended bool    `json:"descended"`
}

// FindLR runs the learning-rate range test (Smith 2017, as fastai's
// lr_find): starting from spec's initial weights, it trains one step per
// learning rate, growing it exponentially from Start to End, and records
// the smoothed training loss until it diverges. It trains a throwaway
// model: nothing of spec or data changes. It returns an error for an
// invalid spec or data, or ctx's error if ctx ends first.
func FindLR(ctx context.Context, spec Spec, data *datasets.Prepared, o LRFindOptions) (*LRFindResult, error) {
	o.defaults()
	if !(o.End > o.Start) {
		return nil, fmt.Errorf("lr-find: the end rate %g is not above the start %g", o.End, o.Start)
	}
	r, err := newRunner(spec, data, Options{Workers: o.Workers})
	if err != nil {
		return nil, err
	}
	defer r.model.Close()
	res := &LRFindResult{Smoothing: o.Smoothing}
	nb := (data.Train.N + r.batch - 1) / r.batch
	growth := math.Pow(o.End/o.Start, 1/float64(o.Steps-1))
	avg, best := 0.0, math.Inf(1)
	for i := 0; i < o.Steps; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := i % nb
		if b == 0 {
			r.shuffle()
		}
		lr := o.Start * math.Pow(growth, float64(i))
		lo, hi := b*r.batch, min((b+1)*r.batch, data.Train.N)
		loss, _ := r.step(lo, hi, lr)
		if !finite(loss) {
			res.Diverged = true
			break
		}
		avg = o.Smoothing*avg + (1-o.Smoothing)*loss
		sm := avg / (1 - math.Pow(o.Smoothing, float64(i+1)))
		res.Points = append(res.Points, LRPoint{LR: lr, Loss: loss, Smoothed: sm})
		best = math.Min(best, sm)
		if i > 0 && sm > o.Diverge*best {
			res.Diverged = true
			break
		}
	}
	if len(res.Points) == 0 {
		return nil, fmt.Errorf("lr-find: the loss was not finite at the first step (learning rate %g)", o.Start)
	}
	res.suggest()
	return res, nil
}

// The suggestion's constants. A descent counts when the smoothed loss
// falls from its early level by more than descentNoise times its own noise;
// the rates whose smoothed loss lies within tieNoise times the noise of the
// lowest tie with it.
const (
	descentNoise = 6
	tieNoise     = 2
)

// LRDescentNoise is how many times its noise the smoothed loss must fall
// for the finder to count a descent (see LRFindResult.Descended).
const LRDescentNoise = descentNoise

// suggest picks the learning rate from the smoothed curve. A noisy loss
// (small batches, noisy labels) leaves dips in even the smoothed curve, and
// the old rule, the steepest two-point slope, took one for the descent (on
// xor with 30% label noise it said 1.7e-6 or 2.9 where 0.013 to 1 train
// well). Each step here is made to hold up against them:
//
//   - Noise: the raw loss's step-to-step scatter (the median absolute
//     difference, robust to the divergence) scaled by the moving average's
//     variance factor √((1−β)/(1+β)) gives σ, the noise of the smoothed
//     curve.
//   - Minimum: on a plateau many rates tie within the noise and the lowest
//     is wherever a dip fell, so MinLR is the largest rate whose smoothed
//     loss is within tieNoise·σ of the lowest: where the loss stops being
//     as low as it gets.
//   - Descent: it counts when the smoothed loss falls from its early level
//     (the median of the second tenth of the points; in the first the
//     average settles) to the minimum by more than descentNoise·σ, over at
//     least 5 points from where it last stood at that level. SteepestLR is
//     the most negative least-squares slope of the smoothed loss against
//     log(lr) over ±n/30 points (about a quarter of a decade at the
//     defaults) in that stretch: the window averages out the dips that a
//     two-point difference takes for slopes, and the stretch leaves out the
//     plateau, whose slopes are all noise.
//
// The suggestion is MinLR ÷ 10 (fastai's lr_min), or SteepestLR when a
// descent counts and the steepest point is lower. Without a descent any
// steepest point is a dip, and a decade under the minimum is the safe
// choice. With one, the steepest point is where training gains most per
// step; but when a short test only starts to learn right before the loss
// explodes (a tiny network under SGD), it lies within a decade of the
// divergence, where 100 epochs of training are unstable, so it is capped at
// MinLR ÷ 10.
func (res *LRFindResult) suggest() {
	pts := res.Points
	n := len(pts)
	sigma := res.noise()
	imin := lowest(pts)
	edge := imin
	for i := n - 1; i > imin; i-- {
		if pts[i].Smoothed <= pts[imin].Smoothed+tieNoise*sigma {
			edge = i
			break
		}
	}
	res.MinLR = pts[edge].LR
	lo := max(n/10, 1)
	early := make([]float64, 0, lo)
	for i := lo; i < min(2*lo, n); i++ {
		early = append(early, pts[i].Smoothed)
	}
	if len(early) == 0 {
		early = append(early, pts[0].Smoothed)
	}
	level := medianOf(early)
	res.Drop = level - pts[imin].Smoothed
	res.Noise = sigma
	// The descent starts where the smoothed loss last stood at its early
	// level; slopes on the plateau before it are the noise's.
	start := lo
	for i := imin - 1; i >= lo; i-- {
		if pts[i].Smoothed >= level-tieNoise*sigma {
			start = i
			break
		}
	}
	h := max(n/30, 2)
	steep, slope := -1, 0.0
	for i := start; i < imin; i++ {
		if d := windowSlope(pts[max(i-h, 0):min(i+h+1, n)]); d < slope {
			steep, slope = i, d
		}
	}
	if steep >= 0 {
		res.SteepestLR = pts[steep].LR
	}
	res.Descended = steep >= 0 && imin-start >= 5 && res.Drop > descentNoise*sigma
	res.Suggested, res.Rule = res.MinLR/10, "min/10"
	if res.Descended && res.SteepestLR < res.Suggested {
		res.Suggested, res.Rule = res.SteepestLR, "steepest"
	}
}

// noise estimates the standard deviation of the smoothed loss from the raw
// losses before the minimum (all of them when that is under 10 points).
func (res *LRFindResult) noise() float64 {
	pts := res.Points
	imin := lowest(pts)
	end := imin + 1
	if end < 10 {
		end = len(pts)
	}
	if end < 3 {
		return 0
	}
	d := make([]float64, 0, end-1)
	for i := 1; i < end; i++ {
		d = append(d, math.Abs(pts[i].Loss-pts[i-1].Loss))
	}
	// For Gaussian noise of deviation s the differences have deviation
	// s√2 and their median absolute value is 0.6745·s√2.
	raw := medianOf(d) / (0.6745 * math.Sqrt2)
	b := res.Smoothing
	if !(b > 0 && b < 1) {
		b = 0.9
	}
	return raw * math.Sqrt((1-b)/(1+b))
}

// lowest returns the index of the lowest smoothed loss in pts.
func lowest(pts []LRPoint) int {
	imin := 0
	for i, p := range pts {
		if p.Smoothed < pts[imin].Smoothed {
			imin = i
		}
	}
	return imin
}

// windowSlope is the least-squares slope of the smoothed loss against
// log(lr) over pts.
func windowSlope(pts []LRPoint) float64 {
	var mx, my float64
	for _, p := range pts {
		mx += math.Log(p.LR)
		my += p.Smoothed
	}
	k := float64(len(pts))
	mx, my = mx/k, my/k
	var sxy, sxx float64
	for _, p := range pts {
		dx := math.Log(p.LR) - mx
		sxy += dx * (p.Smoothed - my)
		sxx += dx * dx
	}
	if sxx == 0 {
		return 0
	}
	return sxy / sxx
}

// medianOf returns the median of v, reordering v.
func medianOf(v []float64) float64 {
	sort.Float64s(v)
	k := len(v)
	if k%2 == 1 {
		return v[k/2]
	}
	return (v[k/2-1] + v[k/2]) / 2
}
