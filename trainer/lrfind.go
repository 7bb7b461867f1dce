package trainer

import (
	"context"
	"fmt"
	"math"

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
	// MinLR is the learning rate at the lowest smoothed loss; SteepestLR
	// where the smoothed loss falls fastest against log(lr), before the
	// minimum (0 if there was no descent).
	MinLR      float64 `json:"min_lr"`
	SteepestLR float64 `json:"steepest_lr"`
	// Suggested is the learning rate to use and Rule says how it was
	// chosen: "steepest" (SteepestLR) or "min/10" (MinLR ÷ 10).
	Suggested float64 `json:"suggested"`
	Rule      string  `json:"rule"`
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
	res := &LRFindResult{}
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

// suggest picks the learning rate. The steepest descent of the smoothed
// loss against log(lr), found with a central difference and searched
// between the first tenth of the points (where the average is still
// settling) and the minimum, is the usual choice; when that stretch is too
// short to trust (fewer than 5 points) or does not descend, the minimum's
// rate ÷ 10 is used instead.
func (res *LRFindResult) suggest() {
	pts := res.Points
	imin := 0
	for i, p := range pts {
		if p.Smoothed < pts[imin].Smoothed {
			imin = i
		}
	}
	res.MinLR = pts[imin].LR
	lo := max(len(pts)/10, 1)
	steep, slope := -1, 0.0
	for i := lo; i < imin && i+1 < len(pts); i++ {
		d := (pts[i+1].Smoothed - pts[i-1].Smoothed) / (math.Log(pts[i+1].LR) - math.Log(pts[i-1].LR))
		if d < slope {
			steep, slope = i, d
		}
	}
	if steep >= 0 {
		res.SteepestLR = pts[steep].LR
	}
	if steep >= 0 && imin-lo >= 5 {
		res.Suggested, res.Rule = res.SteepestLR, "steepest"
		return
	}
	res.Suggested, res.Rule = res.MinLR/10, "min/10"
}
