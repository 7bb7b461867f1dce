package tui

import (
	"math"

	"workbench/trainer"
)

var nan = math.NaN()

// maxHealthEpochs bounds the layer-health history kept per run for the
// sparklines: past it the older half is dropped.
const maxHealthEpochs = 1024

// runInside is what a live run shows of its inside: the newest weights for
// the network view, the view last computed, and the layer health with its
// warnings. Only the UI goroutine touches it.
type runInside struct {
	snap      *trainer.Snapshot // the newest weights
	drawn     *trainer.Snapshot // the weights behind net
	net       *netData
	netIn     *netInput
	computing bool
	view      string  // the view last drawn, for viewKey
	viewKey   viewKey // what it was drawn from

	epochs   []int
	layers   [][]trainer.LayerHealth
	watch    trainer.HealthWatch
	warnings []trainer.HealthWarning
	sawEpoch bool // an epoch ended
	ended    bool // the run finished, whatever its status
}

// viewKey is everything the network view depends on: a frame with the same
// key reuses the last drawing.
type viewKey struct {
	net           *netData
	col, row      int
	w, h          int
	epochs, warns int
	lastEpoch     int
	focused       bool
	ended         bool
}

// fold takes one of the run's events.
func (in *runInside) fold(ev trainer.Event) {
	switch e := ev.(type) {
	case trainer.EpochEvent:
		in.sawEpoch = true
		if e.Model != nil {
			in.snap = e.Model
		}
		if e.Layers == nil {
			return
		}
		if len(in.epochs) >= maxHealthEpochs {
			h := len(in.epochs) / 2
			in.epochs = append(in.epochs[:0], in.epochs[h:]...)
			in.layers = append(in.layers[:0], in.layers[h:]...)
		}
		in.epochs = append(in.epochs, e.Epoch)
		in.layers = append(in.layers, e.Layers)
		in.warnings = append(in.warnings, in.watch.Observe(e.Epoch, e.Layers)...)
	case trainer.FinishedEvent:
		in.ended = true
		if e.Model != nil {
			in.snap = e.Model
		}
	}
}

// series returns one layer's values of a health measure over the kept
// epochs; a missing layer is a gap.
func (in *runInside) series(layer int, f func(trainer.LayerHealth) float64) []float64 {
	out := make([]float64, len(in.layers))
	for i, ls := range in.layers {
		out[i] = nan
		for _, l := range ls {
			if l.Layer == layer {
				out[i] = f(l)
			}
		}
	}
	return out
}
