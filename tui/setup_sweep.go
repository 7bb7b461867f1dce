package tui

import (
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sweeps"
)

// setupSearchTrials is the trial budget of a sweep started from Setup with
// a range (uniform:, log:, int: or choice:) on some field.
const setupSearchTrials = 20

// isRange reports whether sweep values are a distribution to search
// rather than a list.
func isRange(raw string) bool {
	kind, _, ok := strings.Cut(raw, ":")
	return ok && (kind == "uniform" || kind == "log" || kind == "int" || kind == "choice")
}

// sweepSpec builds the sweep of the marked fields: lists are grid axes,
// ranges are searched by TPE (random search when there is a grid too).
func (m *setupModel) sweepSpec() sweeps.Spec {
	s := sweeps.Spec{Base: m.spec.Clone(), Seed: 1, Objective: m.objective}
	s.Base.DropUnused()
	for _, f := range m.fields {
		raw, ok := m.sweep[f.key]
		switch {
		case !ok:
		case isRange(raw):
			d, _ := sweeps.ParseDist(f.sweep + "=" + raw)
			s.Random = append(s.Random, d)
		default:
			p, _ := sweeps.ParseAxis(f.sweep + "=" + raw)
			s.Grid = append(s.Grid, p)
		}
	}
	if len(s.Random) > 0 {
		s.Trials = setupSearchTrials
		if len(s.Grid) == 0 {
			s.Sampler = sweeps.SamplerTPE
		}
	}
	return s
}

// markSweep sets (or with an empty text clears) the values to sweep f over.
func (m *setupModel) markSweep(f *field, raw string) tea.Cmd {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		delete(m.sweep, f.key)
		m.rebuild() // the objective line goes with the last mark
		return nil
	}
	if isRange(raw) {
		d, err := sweeps.ParseDist(f.sweep + "=" + raw)
		if err == nil {
			_, err = sweeps.Expand(sweeps.Spec{Base: m.spec.Clone(), Random: []sweeps.Dist{d}, Trials: 1})
		}
		if err != nil {
			msg := sweepMarkError(f, raw, err)
			return func() tea.Msg { return statusMsg{text: msg, err: true} }
		}
		m.sweep[f.key] = raw
		m.rebuild()
		return func() tea.Msg {
			return statusMsg{text: fmt.Sprintf("searching %s over %s (TPE, %d trials); t starts the sweep", f.label, raw, setupSearchTrials)}
		}
	}
	p, err := sweeps.ParseAxis(f.sweep + "=" + raw)
	if err == nil {
		_, err = sweeps.Expand(sweeps.Spec{Base: m.spec.Clone(), Grid: []sweeps.Param{p}})
	}
	if err != nil {
		msg := sweepMarkError(f, raw, err)
		return func() tea.Msg { return statusMsg{text: msg, err: true} }
	}
	m.sweep[f.key] = raw
	m.rebuild() // the objective line comes with the first mark
	n := len(p.Values)
	return func() tea.Msg {
		return statusMsg{text: fmt.Sprintf("sweeping %s over %d values; t starts the sweep", f.label, n)}
	}
}

// sweepMarkError says why the values to sweep f over are refused in the
// form's terms: its label and the text typed, not the --random flag and
// the spec path the parser names ("--random \"optimizer.lr=log:1e-4:abc\":
// want FIELD=log:LO:HI" became "learning rate ⟳ log:1e-4:abc: want
// log:LO:HI, two numbers").
func sweepMarkError(f *field, raw string, err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "--random "); ok {
		if _, after, ok := strings.Cut(rest, `": `); ok {
			msg = after
		}
	}
	msg = strings.TrimPrefix(msg, "sweep: ")
	for _, list := range []string{"random", "grid"} { // the axis is the field itself
		if rest, ok := strings.CutPrefix(msg, list+" field "+strconv.Quote(f.sweep)+": "); ok {
			msg = rest
		}
	}
	msg = strings.TrimPrefix(msg, f.key+": ")
	msg = strings.ReplaceAll(msg, "FIELD=", "")
	return fmt.Sprintf("%s ⟳ %s: %s", f.label, raw, setupHint(msg))
}
