package tui

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/numfmt"
	"workbench/sessions"
	"workbench/sweeps"
)

// sweepCompareTop is how many of the brushed trials enter compares.
const sweepCompareTop = 4

// sweepViewModel shows one sweep: its trials in parallel coordinates and
// each hyperparameter's importance. It reloads while the sweep runs.
type sweepViewModel struct {
	id      string
	rep     *sweeps.Report
	err     error
	par     parcoordsModel
	keys    SweepKeys
	styles  *Styles
	w, h    int
	focused bool
}

func newSweepView(st *Styles, id string) sweepViewModel {
	m := sweepViewModel{id: id, par: newParcoords(st), keys: DefaultSweepKeys(), styles: st}
	m.par.Focus()
	return m
}

func (m *sweepViewModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.par.SetSize(w, max(h-1-m.importanceLines(), 1))
}
func (m *sweepViewModel) Focus()       { m.focused = true; m.par.Focus() }
func (m *sweepViewModel) Blur()        { m.focused = false; m.par.Blur() }
func (m sweepViewModel) Focused() bool { return m.focused }

// loadSweep reads a sweep's report off the UI path.
func loadSweep(store sessions.Store, id string) tea.Cmd {
	if store == nil {
		return nil
	}
	return func() tea.Msg {
		rep, err := sweeps.Load(context.Background(), store, id)
		return sweepLoadedMsg{id: id, rep: rep, err: err}
	}
}

// setReport shows a freshly loaded report.
func (m *sweepViewModel) setReport(rep *sweeps.Report) {
	m.rep = rep
	axes, trials := parcoordsData(rep)
	m.par.setData(axes, trials, rep.Lower)
	m.SetSize(m.w, m.h)
}

func (m sweepViewModel) Update(msg tea.Msg) (sweepViewModel, tea.Cmd) {
	switch msg := msg.(type) {
	case sweepLoadedMsg:
		if msg.id != m.id {
			return m, nil
		}
		m.err = msg.err
		if msg.err == nil {
			m.setReport(msg.rep)
		}
		return m, nil
	case tea.KeyMsg:
		if !m.focused {
			return m, nil
		}
		if key.Matches(msg, m.keys.Compare) {
			ids := m.brushedBest(sweepCompareTop)
			if len(ids) < 2 {
				return m, func() tea.Msg { return statusMsg{text: "fewer than two trials in the brush", err: true} }
			}
			return m, func() tea.Msg { return compareRunsMsg{ids: ids} }
		}
		var cmd tea.Cmd
		m.par, cmd = m.par.Update(msg)
		return m, cmd
	}
	return m, nil
}

// brushedBest returns the best n trials inside the brush, best first.
func (m sweepViewModel) brushedBest(n int) []string {
	if m.rep == nil {
		return nil
	}
	in := map[string]bool{}
	for _, id := range m.par.Brushed() {
		in[id] = true
	}
	var ids []string
	for _, t := range m.rep.Trials { // ranked best first
		if in[t.RunID] && t.HasObj && len(ids) < n {
			ids = append(ids, t.RunID)
		}
	}
	return ids
}

// importanceLines is the height of the importance block.
func (m sweepViewModel) importanceLines() int {
	if m.rep == nil {
		return 0
	}
	return 2 + min(len(m.rep.Importance.Params), 6)
}

func (m sweepViewModel) View() string {
	st := m.styles
	if m.err != nil {
		return st.Error.Render("sweep " + m.id + ": " + m.err.Error())
	}
	if m.rep == nil {
		return st.Subtle.Render("loading sweep " + m.id + "…")
	}
	rep := m.rep
	sw := rep.Sweep
	head := fmt.Sprintf("sweep %s %s · %s · %d trials · %s", sw.ID, sw.Name, sw.Status, len(rep.Trials), sw.Objective)
	if len(rep.Trials) > 0 && rep.Trials[0].HasObj {
		head += " best " + numfmt.Value(rep.Trials[0].Objective)
	}
	lines := []string{st.Title.Render(truncate(head, m.w))}
	lines = append(lines, m.par.View())
	lines = append(lines, m.importanceView()...)
	return plain.MaxHeight(m.h).MaxWidth(m.w).Render(strings.Join(lines, "\n"))
}

// importanceView is a bar per hyperparameter: its share of the
// objective's variance.
func (m sweepViewModel) importanceView() []string {
	st := m.styles
	imp := m.rep.Importance
	how := map[string]string{sweeps.ImportanceGrid: "exact fANOVA of the grid", sweeps.ImportanceForest: "fANOVA on a random forest"}[imp.Method]
	head := fmt.Sprintf("importance: share of %s variance", m.rep.Sweep.Objective)
	if how != "" {
		head += fmt.Sprintf(" (%s, %d trials)", how, imp.Trials)
	}
	if imp.Note != "" {
		head += " · " + st.Bad.Render(imp.Note)
	}
	out := []string{truncateANSI(st.Header.Render(head), m.w)}
	nameW := 14
	barW := max(min(m.w-nameW-10, 40), 4)
	for i, p := range imp.Params {
		if i == 6 {
			break
		}
		share := p.Share
		if math.IsNaN(share) {
			share = 0
		}
		share = math.Min(math.Max(share, 0), 1)
		full := int(math.Round(share * float64(barW)))
		bar := st.Accent.Render(strings.Repeat("█", full)) + st.Subtle.Render(strings.Repeat("░", barW-full))
		out = append(out, fmt.Sprintf("  %-*s %s %s", nameW, truncate(p.Field, nameW), bar, strconv.Itoa(int(math.Round(share*100)))+"%"))
	}
	out = append(out, st.Subtle.Render(truncate("←→ axis · ↑↓ move brush · +/- widen/narrow · x clear · enter compare the best in the brush · esc back", m.w)))
	return out
}

// parcoordsData turns a report into axes (one per field, then the
// objective) and a polyline per trial.
func parcoordsData(rep *sweeps.Report) ([]parAxis, []parTrial) {
	var axes []parAxis
	dists := map[string]sweeps.Dist{}
	for _, d := range rep.Spec.Random {
		dists[d.Field] = d
	}
	for _, f := range rep.Fields {
		a := parAxis{name: f}
		var vals []string
		seen := map[string]bool{}
		numeric := true
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, t := range rep.Trials {
			v := t.Params[f]
			if !seen[v] {
				seen[v] = true
				vals = append(vals, v)
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				numeric = false
				continue
			}
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		d, isDist := dists[f]
		switch {
		case isDist && d.Kind == "choice":
			a.labels = append([]string{}, d.Items...)
		case isDist:
			a.lo, a.hi = d.Min, d.Max
			if d.Kind == "log" {
				a.log, a.lo, a.hi = true, math.Log10(d.Min), math.Log10(d.Max)
			}
		case numeric && len(vals) > 0:
			a.lo, a.hi = lo, hi
			if lo > 0 && hi/lo >= 100 {
				a.log, a.lo, a.hi = true, math.Log10(lo), math.Log10(hi)
			}
		default:
			sortLabels(vals)
			a.labels = vals
		}
		axes = append(axes, a)
	}
	obj := parAxis{name: rep.Sweep.Objective, objective: true}
	obj.lo, obj.hi = math.Inf(1), math.Inf(-1)
	for _, t := range rep.Trials {
		if t.HasObj && !math.IsNaN(t.Objective) && !math.IsInf(t.Objective, 0) {
			obj.lo, obj.hi = math.Min(obj.lo, t.Objective), math.Max(obj.hi, t.Objective)
		}
	}
	if math.IsInf(obj.lo, 0) {
		obj.lo, obj.hi = 0, 1
	}
	axes = append(axes, obj)
	var trials []parTrial
	for _, t := range rep.Trials {
		pt := parTrial{id: t.RunID, vals: make([]float64, len(axes)), obj: math.NaN()}
		if t.HasObj {
			pt.obj = t.Objective
		}
		for i, f := range rep.Fields {
			pt.vals[i] = axisValue(axes[i], t.Params[f])
		}
		pt.vals[len(axes)-1] = pt.obj
		trials = append(trials, pt)
	}
	return axes, trials
}

// axisValue reads a trial's text value on axis a (NaN when it has none).
func axisValue(a parAxis, v string) float64 {
	if a.labels != nil {
		for i, l := range a.labels {
			if l == v {
				return float64(i)
			}
		}
		return math.NaN()
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// sortLabels orders categories numerically when they are all numbers,
// else leaves them in first-seen order.
func sortLabels(vals []string) {
	nums := make([]float64, len(vals))
	for i, v := range vals {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return
		}
		nums[i] = x
	}
	for i := 1; i < len(vals); i++ {
		for j := i; j > 0 && nums[j] < nums[j-1]; j-- {
			nums[j], nums[j-1] = nums[j-1], nums[j]
			vals[j], vals[j-1] = vals[j-1], vals[j]
		}
	}
}
