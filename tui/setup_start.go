package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sweeps"
	"workbench/trainer"
)

// validate returns why training cannot start, or "".
func (m *setupModel) validate() string {
	if len(m.invalid) > 0 {
		for _, f := range m.fields {
			if r, ok := m.invalid[f.key]; ok {
				return fmt.Sprintf("fix %s first: %s", f.label, r)
			}
		}
	}
	if m.dataErr != nil {
		return setupHint(m.dataErr.Error())
	}
	if err := m.spec.Validate(); err != nil {
		return setupHint(err.Error())
	}
	if task, ok := m.task(); ok {
		if err := m.spec.CheckTask(task); err != nil {
			return setupHint(err.Error())
		}
		if why := m.checkObjective(); why != "" {
			return why
		}
		if m.table != nil { // a model too big for this machine is refused before it is built
			inputs := m.table.D + len(m.spec.Data.Crosses)
			if _, err := trainer.CheckMemory(&m.spec, task, inputs, m.table.Meta.Classes(), m.table.N, 0); err != nil {
				return strings.Replace(err.Error(), " or raise the limit with --max-memory", "", 1)
			}
		}
	}
	return ""
}

// start asks the root to train the spec, or reports why it cannot.
func (m setupModel) start() tea.Cmd {
	if why := m.validate(); why != "" {
		return func() tea.Msg { return statusMsg{text: why, err: true} }
	}
	if len(m.sweep) > 0 {
		sw := m.sweepSpec()
		n, err := sweeps.Budget(sw)
		if err != nil {
			msg := setupHint(err.Error())
			return func() tea.Msg { return statusMsg{text: msg, err: true} }
		}
		return tea.Batch(func() tea.Msg { return startSweepMsg{spec: sw} },
			func() tea.Msg { return statusMsg{text: fmt.Sprintf("sweep of %d trials started", n)} })
	}
	spec := m.spec.Clone()
	spec.DropUnused() // the form keeps them for a switch back to a synthetic set
	return func() tea.Msg { return startRunsMsg{specs: []trainer.Spec{spec}} }
}

// summary is the one-line architecture, when the data shape is known.
func (m setupModel) summary() string {
	task, ok := m.task()
	if !ok || m.table == nil {
		return ""
	}
	inputs := m.table.D + len(m.spec.Data.Crosses)
	est := trainer.EstimateMemory(&m.spec, inputs, trainer.OutputsFor(task, m.table.Meta.Classes()), m.table.N)
	return trainer.Summary(m.spec.Model, task, inputs, m.table.Meta.Classes()) + " · ~" + trainer.FormatBytes(est.Total)
}
