package tui

import (
	"context"
	"fmt"
	"math"
	"sort"
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
// each hyperparameter's importance. It reloads while the sweep runs. Like
// every model it is changed only in Update and is not safe for concurrent
// use.
type sweepViewModel struct {
	id      string
	rep     *sweeps.Report
	err     error
	loading bool // a load is in flight; reloads wait for it
	par     parcoordsModel
	keys    SweepKeys
	styles  *Styles
	w, h    int
	focused bool
}

func newSweepView(st *Styles, id string) sweepViewModel {
	m := sweepViewModel{id: id, loading: true, par: newParcoords(st), keys: DefaultSweepKeys(), styles: st}
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
		m.err, m.loading = msg.err, false
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
	n := 2 + min(len(m.rep.Importance.Params), 6)
	if m.rep.Importance.Note != "" {
		n++
	}
	return n
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
	name := sw.ID
	if sw.Name != "" {
		name += " " + sw.Name
	}
	head := fmt.Sprintf("sweep %s · %s · %d trials · %s", name, sw.Status, len(rep.Trials), sw.Objective)
	if len(rep.Trials) > 0 && rep.Trials[0].Standing().Candidate() { // a pruned trial is never best
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
	how := imp.How()
	head := fmt.Sprintf("importance: share of %s variance", m.rep.Sweep.Objective)
	if how != "" {
		head += fmt.Sprintf(" (%s, %d trials)", how, imp.Trials)
	}
	out := []string{truncateANSI(st.Header.Render(head), m.w)}
	if imp.Note != "" {
		// On a line of its own: after the head, 80 columns cut it off.
		out = append(out, st.Bad.Render(truncate("  "+imp.Note, m.w)))
	}
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
		out = append(out, fmt.Sprintf("  %-*s %s %s", nameW, truncateMiddle(p.Field, nameW), bar, strconv.Itoa(int(math.Round(share*100)))+"%"))
	}
	out = append(out, st.Subtle.Render(truncate("←→ axis · ↑↓ move brush · +/- widen/narrow · x clear · enter compare the best in the brush · esc back", m.w)))
	return out
}

// parcoordsData turns a report into axes and a polyline per trial.
func parcoordsData(rep *sweeps.Report) ([]sweeps.CoordAxis, []parTrial) {
	axes, rows := rep.Coordinates()
	trials := make([]parTrial, len(rows))
	for i, row := range rows {
		trials[i] = parTrial{id: rep.Trials[i].RunID, vals: row, obj: row[len(row)-1]}
	}
	return axes, trials
}

// topTrials returns the run IDs of a sweep's best n trials by objective.
func topTrials(res *sweeps.Result, n int) []string {
	var ok []sweeps.TrialResult
	for _, t := range res.Trials {
		if t.Standing().Candidate() && t.RunID != "" { // pruned trials are never the best
			ok = append(ok, t)
		}
	}
	sort.SliceStable(ok, func(i, j int) bool {
		if res.Lower {
			return ok[i].Objective < ok[j].Objective
		}
		return ok[i].Objective > ok[j].Objective
	})
	var ids []string
	for i := 0; i < len(ok) && i < n; i++ {
		ids = append(ids, ok[i].RunID)
	}
	return ids
}
