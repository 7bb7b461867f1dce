package trainer

import (
	"fmt"
	"math"
)

// The layer-health rules. A rule fires when its condition holds for a
// layer on HealthPatience epochs in a row, once per streak; it can fire
// again only after the condition has cleared for HealthPatience epochs in
// a row, so that a value hovering at a threshold does not repeat it.
//
//   - dead: more than DeadLimit of the layer's units are dead (output 0
//     on every validation row). Too high a learning rate pushes ReLU
//     units to where they never fire again.
//   - saturated: more than SaturatedLimit of a tanh or sigmoid layer's
//     units are saturated. Their gradient is near 0, so they stop
//     learning. (A network that fits well may saturate some units; half
//     of them is not yet a warning.)
//   - vanishing: the layer's gradient norm is below VanishLimit times the
//     output layer's, so the layer barely learns while the output does.
//   - large updates: one optimizer step changes the layer's weights by
//     more than UpdateLimit of their norm, so training jumps around
//     instead of descending.
const (
	HealthPatience = 3
	DeadLimit      = 0.5
	SaturatedLimit = 0.5
	VanishLimit    = 1e-3
	UpdateLimit    = 0.25
)

// HealthWarning is a rule that fired for a layer.
type HealthWarning struct {
	Layer int    `json:"layer"`
	Rule  string `json:"rule"`  // dead, saturated, vanishing or large_updates
	Since int    `json:"since"` // the first epoch of the streak
	Epoch int    `json:"epoch"` // the epoch at which it fired
	Text  string `json:"text"`  // the warning in words, with advice
}

// HealthWatch applies the rules to a run's epochs in order. It is not safe
// for concurrent use; the zero value is ready.
type HealthWatch struct {
	streak map[[2]int]int // (layer, rule) → first epoch of the current streak, 0 = none
	fired  map[[2]int]bool
	clear  map[[2]int]int // epochs in a row the condition has not held since it fired
}

var healthRules = []string{"dead", "saturated", "vanishing", "large_updates"}

// Observe takes an epoch's layer health and returns the warnings that fire
// at this epoch (usually none).
func (w *HealthWatch) Observe(epoch int, layers []LayerHealth) []HealthWarning {
	if w.streak == nil {
		w.streak, w.fired, w.clear = map[[2]int]int{}, map[[2]int]bool{}, map[[2]int]int{}
	}
	var out []HealthWarning
	for _, l := range layers {
		for ri, rule := range healthRules {
			k := [2]int{l.Layer, ri}
			if !ruleHolds(rule, l) {
				w.streak[k] = 0
				if w.fired[k] {
					if w.clear[k]++; w.clear[k] >= HealthPatience {
						w.fired[k], w.clear[k] = false, 0
					}
				}
				continue
			}
			w.clear[k] = 0
			if w.streak[k] == 0 {
				w.streak[k] = epoch
			}
			since := w.streak[k]
			if w.fired[k] || epoch-since+1 < HealthPatience {
				continue
			}
			w.fired[k] = true
			out = append(out, HealthWarning{Layer: l.Layer, Rule: rule, Since: since, Epoch: epoch, Text: warningText(rule, l, since)})
		}
	}
	return out
}

func ruleHolds(rule string, l LayerHealth) bool {
	switch rule {
	case "dead":
		return l.Dead > DeadLimit
	case "saturated":
		return l.Saturated > SaturatedLimit
	case "vanishing":
		return l.RelGrad < VanishLimit
	case "large_updates":
		return l.UpdateRatio > UpdateLimit
	}
	return false
}

func warningText(rule string, l LayerHealth, since int) string {
	pct := func(f float64) int { return int(math.Round(100 * f)) }
	switch rule {
	case "dead":
		return fmt.Sprintf("layer %d: %d%% of %s units are dead since epoch %d: lower the learning rate or use leaky_relu",
			l.Layer, pct(l.Dead), l.Activation, since)
	case "saturated":
		return fmt.Sprintf("layer %d: %d%% of %s units are saturated since epoch %d: lower the learning rate, scale the inputs or use relu",
			l.Layer, pct(l.Saturated), l.Activation, since)
	case "vanishing":
		return fmt.Sprintf("gradients vanish in layer %d since epoch %d (%.2g of the output layer's): use relu, batch norm or fewer layers",
			l.Layer, since, l.RelGrad)
	}
	return fmt.Sprintf("layer %d: each step moves the weights by %d%% of their size since epoch %d: lower the learning rate",
		l.Layer, pct(l.UpdateRatio), since)
}

// HealthWarnings applies the rules to a whole history of layer health, one
// entry per epoch in order, and returns every warning that fired.
func HealthWarnings(epochs []int, layers [][]LayerHealth) []HealthWarning {
	var w HealthWatch
	var out []HealthWarning
	for i, ls := range layers {
		out = append(out, w.Observe(epochs[i], ls)...)
	}
	return out
}
