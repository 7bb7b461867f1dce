package trainer

import "math"

// bestTracker follows a monitored metric epoch by epoch, as early stopping
// and the choice of the best epoch do: the best value so far, its epoch,
// and the epochs since it last improved by more than minDelta in the
// metric's direction (down for val_loss and val_cost, up for
// val_accuracy). The first value observed is the first best, even NaN.
// It is not safe for concurrent use.
type bestTracker struct {
	lower    bool
	minDelta float64
	best     float64
	epoch    int // the best epoch; 0 before the first observation
	wait     int // epochs since the best
}

// newBestTracker returns a tracker of monitor (val_loss, val_cost, …).
func newBestTracker(monitor string, minDelta float64) bestTracker {
	b := bestTracker{lower: LowerIsBetter(monitor), minDelta: minDelta, best: math.Inf(1)}
	if !b.lower {
		b.best = math.Inf(-1)
	}
	return b
}

// improves reports whether v would be a new best.
func (b *bestTracker) improves(v float64) bool {
	if b.epoch == 0 {
		return true
	}
	if b.lower {
		return v < b.best-b.minDelta
	}
	return v > b.best+b.minDelta
}

// observe records epoch's value v and reports whether it is the new best.
func (b *bestTracker) observe(epoch int, v float64) bool {
	if b.improves(v) {
		b.best, b.epoch, b.wait = v, epoch, 0
		return true
	}
	b.wait++
	return false
}

// exhausted reports whether patience epochs have passed without a new
// best; patience 0 never stops.
func (b *bestTracker) exhausted(patience int) bool { return patience > 0 && b.wait >= patience }
