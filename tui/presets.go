package tui

import (
	"encoding/json"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/trainer"
)

// preset is a named starting spec; its name says what it is and, when it
// departs from the Playground's network, why.
type preset struct {
	name string
	spec func() trainer.Spec
}

var presets = []preset{
	// The Playground's own default (src/state.ts): it learns the circle in
	// well under 100 epochs.
	{"Playground default (circle, 4,2 tanh, SGD 0.03)", trainer.DefaultSpec},
	{"spiral (16,16 ReLU + Adam: 4,2 tanh cannot fit it)", func() trainer.Spec {
		s := trainer.DefaultSpec()
		s.Data = datasets.Spec{Name: "spiral", Samples: 500, Split: trainer.PlaygroundSplit, Seed: 1}
		s.Model = trainer.ModelSpec{Init: "he_uniform", Hidden: []trainer.LayerSpec{{Units: 16, Activation: "relu"}, {Units: 16, Activation: "relu"}}}
		s.Optimizer, s.Epochs = trainer.OptimizerSpec{Name: "adam", LR: 0.01}, 200
		return s
	}},
	{"seed example (MSE + Adam)", func() trainer.Spec {
		s := trainer.DefaultSpec()
		s.Data = datasets.Spec{Name: "seed-example", Split: datasets.DefaultSplit, Seed: 1}
		s.Model.Hidden = []trainer.LayerSpec{{Units: 4, Activation: "tanh"}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "mse", trainer.OptimizerSpec{Name: "adam", LR: 0.05}, 0, 500
		return s
	}},
	{"breast-cancer diagnosis", func() trainer.Spec {
		s := trainer.DefaultSpec()
		s.Data = datasets.Spec{Name: "breast-cancer", Split: datasets.DefaultSplit, Seed: 1, Scale: "standard"}
		s.Model = trainer.ModelSpec{Init: "he_uniform", Hidden: []trainer.LayerSpec{{Units: 16, Activation: "relu", Dropout: 0.2}}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "bce", trainer.OptimizerSpec{Name: "adam", LR: 0.001}, 32, 200
		s.EarlyStop = trainer.EarlyStopSpec{Monitor: "val_loss", Patience: 15}
		return s
	}},
	{"credit risk (cost of a bad loan 5×)", func() trainer.Spec {
		s := trainer.DefaultSpec()
		s.Data = datasets.Spec{Name: "credit", Split: datasets.DefaultSplit, Seed: 1, Scale: "standard", Positive: "bad"}
		s.Model = trainer.ModelSpec{Init: "he_uniform", Hidden: []trainer.LayerSpec{{Units: 32, Activation: "relu", Dropout: 0.2}}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "bce", trainer.OptimizerSpec{Name: "adam", LR: 0.001}, 32, 100
		s.EarlyStop = trainer.EarlyStopSpec{Monitor: "val_loss", Patience: 10}
		s.Decision = trainer.DecisionSpec{CostFP: 1, CostFN: 5}
		return s
	}},
	{"digits", func() trainer.Spec {
		s := trainer.DefaultSpec()
		s.Data = datasets.Spec{Name: "digits", Split: datasets.DefaultSplit, Seed: 1, Scale: "minmax"}
		s.Model = trainer.ModelSpec{Init: "he_uniform", Hidden: []trainer.LayerSpec{{Units: 64, Activation: "relu"}}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "ce", trainer.OptimizerSpec{Name: "adam", LR: 0.001}, 64, 50
		s.EarlyStop = trainer.EarlyStopSpec{Monitor: "val_loss", Patience: 5}
		return s
	}},
}

// appliedPreset is the preset p last put in the form, and whether the form
// departs from it: the status line said "preset: digits" after a layer's
// units changed.
type appliedPreset struct {
	name   string
	spec   string // the preset's spec as specText writes it
	edited bool
}

// specText is a spec as JSON, to compare two specs field by field.
func specText(s trainer.Spec) string {
	b, err := json.Marshal(s)
	if err != nil {
		return "" // unreachable for a spec the form holds
	}
	return string(b)
}

// presetLine is the status line that names a preset.
func presetLine(name string, edited bool) string {
	if edited {
		return "preset: " + name + " (edited)"
	}
	return "preset: " + name
}

// applyPreset puts preset i in the form.
func (m *setupModel) applyPreset(i int) {
	at := m.cursorKey()
	m.setSpec(presets[i].spec())
	m.seek(at)
	m.table = nil
	m.applied = &appliedPreset{name: presets[i].name, spec: specText(m.spec)}
}

// presetState notes whether the form departs from the applied preset (a
// changed spec, an invalid value typed, fields marked to sweep) and, when
// that changed, tells the root, which updates the status line if it still
// names the preset.
func (m *setupModel) presetState() tea.Cmd {
	p := m.applied
	if p == nil {
		return nil
	}
	edited := len(m.invalid) > 0 || len(m.sweep) > 0 || specText(m.spec) != p.spec
	if edited == p.edited {
		return nil
	}
	p.edited = edited
	msg := presetEditedMsg{name: p.name, edited: edited}
	return func() tea.Msg { return msg }
}
