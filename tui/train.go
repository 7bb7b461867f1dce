package tui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/sessions"
	"workbench/trainer"
)

// trainModel is the live Train screen: every run started in this session,
// one shown at a time.
type trainModel struct {
	runs         []*liveRun
	sel          int
	logY, smooth bool
	showTest     bool
	inputMode    string // "tag" or "note" while typing
	input        textinput.Model
	bar          progress.Model
	store        sessions.Store
	net          networkModel
	showSweep    bool // the ranked table of the selected trial's sweep

	keys    TrainKeys
	styles  *Styles
	w, h    int
	focused bool
}

func newTrain(st *Styles, store sessions.Store) trainModel {
	in := textinput.New()
	in.CharLimit = 500
	return trainModel{keys: DefaultTrainKeys(), styles: st, store: store, input: in, net: newNetwork(st),
		// The bar takes lipgloss's colour profile, which follows NO_COLOR and
		// the terminal: by default it asked termenv, which ignores NO_COLOR.
		bar: progress.New(progress.WithDefaultGradient(), progress.WithoutPercentage(), progress.WithColorProfile(lipgloss.ColorProfile()))}
}

func (m *trainModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.net.SetSize(w, h-2)
	for _, r := range m.runs {
		m.sizeCharts(r)
	}
}

// redrawBoundaries recomputes, at the current size, every boundary drawn
// at another size (after a resize); until then the old grid is clipped to
// its panel.
func (m *trainModel) redrawBoundaries() tea.Cmd {
	_, _, _, _, bw, bh := m.layout()
	var cmds []tea.Cmd
	for _, r := range m.runs {
		if r.grid == nil || (r.grid.w == bw && r.grid.h == bh) {
			continue
		}
		if r.nextSnap == nil {
			r.nextSnap = r.shownSnap
		}
		cmds = append(cmds, r.boundaryCmd(bw, bh))
	}
	return tea.Batch(cmds...)
}
func (m *trainModel) Focus()       { m.focused = true }
func (m *trainModel) Blur()        { m.focused = false }
func (m trainModel) Focused() bool { return m.focused }

func (m trainModel) awaitingInput() bool { return m.inputMode != "" }

// running counts the runs still training.
func (m trainModel) running() int {
	n := 0
	for _, r := range m.runs {
		if !r.closed {
			n++
		}
	}
	return n
}

// paused counts the runs still training that are paused.
func (m trainModel) paused() int {
	n := 0
	for _, r := range m.runs {
		if !r.closed && statusLabel(r) == "paused" {
			n++
		}
	}
	return n
}

func (m trainModel) selected() *liveRun {
	if m.sel < 0 || m.sel >= len(m.runs) {
		return nil
	}
	return m.runs[m.sel]
}

func (m trainModel) find(id string) *liveRun {
	for _, r := range m.runs {
		if r.id == id {
			return r
		}
	}
	return nil
}

// layout returns the sizes of the panes: the charts' width, the right
// column's width, each chart's height and the boundary's size in cells.
func (m trainModel) layout() (chartW, rightW, lossH, metricH, bw, bh int) {
	body := max(m.h-3, 4)
	rightW = 0
	if m.w >= 70 {
		rightW = min(max(m.w*2/5, 30), 70)
	}
	chartW = m.w - rightW
	lossH = max(body*3/5, 4)
	metricH = max(body-lossH, 3)
	if metricH < 5 { // a chart needs 5 rows: near 50×15 the lower one was blank rows
		lossH, metricH = body, 0
	}
	bw = max(rightW-4, 0)
	bh = max(min(body/2, bw/2), 0)
	return
}

func (m *trainModel) sizeCharts(r *liveRun) {
	cw, _, lh, mh, _, _ := m.layout()
	r.loss.setSize(cw, lh)
	r.metric.setSize(cw, mh)
	r.loss.logY, r.loss.smooth, r.metric.smooth = m.logY, m.smooth, m.smooth
	r.loss.dirty, r.metric.dirty = true, true
}

// add adopts a newly started run and shows it.
func (m *trainModel) add(r *liveRun) tea.Cmd {
	r.loss = newChart("loss", m.styles)
	r.metric = newChart(r.key, m.styles)
	m.sizeCharts(r)
	m.runs = append(m.runs, r)
	m.sel = len(m.runs) - 1
	return waitForEvents(r.id, r.queue, time.Time{})
}

func (m trainModel) Update(msg tea.Msg) (trainModel, tea.Cmd) {
	switch msg := msg.(type) {
	case runEventsMsg:
		r := m.find(msg.id)
		if r == nil {
			return m, nil // not ours (or forgotten): drop it
		}
		for _, ev := range msg.events {
			r.apply(ev, m.styles)
		}
		r.delivered = time.Now()
		var cmds []tea.Cmd
		if msg.closed {
			r.closed = true
			id, label := r.id, statusLabel(r)
			cmds = append(cmds, func() tea.Msg { return runsChangedMsg{} }, func() tea.Msg { return runEndedMsg{id: id, status: label} })
			if r.rec != nil && r.rec.Err() != nil {
				err := r.rec.Err()
				cmds = append(cmds, func() tea.Msg { return statusMsg{text: "the run was not saved: " + err.Error(), err: true} })
			}
		} else {
			cmds = append(cmds, waitForEvents(r.id, r.queue, r.delivered))
		}
		_, _, _, _, bw, bh := m.layout()
		cmds = append(cmds, r.boundaryCmd(bw, bh), m.net.refresh(m.selected()))
		return m, tea.Batch(cmds...)
	case boundaryMsg:
		r := m.find(msg.id)
		if r == nil {
			return m, nil
		}
		r.computing = false
		r.grid = msg.grid
		r.gridView = r.grid.render(r.plane, m.showTest)
		_, _, _, _, bw, bh := m.layout()
		return m, r.boundaryCmd(bw, bh)
	case networkMsg:
		if r := m.find(msg.id); r != nil {
			return m, m.net.receive(r, msg)
		}
		return m, nil
	case tea.KeyMsg:
		if !m.focused {
			return m, nil
		}
		if m.inputMode != "" {
			return m.updateInput(msg)
		}
		m, cmd := m.updateKeys(msg)
		return m, tea.Batch(cmd, m.net.refresh(m.selected()))
	}
	return m, nil
}

func (m trainModel) updateInput(msg tea.KeyMsg) (trainModel, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		m.inputMode = ""
		return m, nil
	case tea.KeyEnter:
		mode, text := m.inputMode, strings.TrimSpace(m.input.Value())
		m.inputMode = ""
		r := m.selected()
		if r == nil || m.store == nil {
			return m, func() tea.Msg { return statusMsg{text: "no store: tags and notes are not saved", err: true} }
		}
		store, id := m.store, r.id
		return m, func() tea.Msg {
			ctx := context.Background()
			run, err := store.GetRun(ctx, id)
			if err != nil {
				return statusMsg{text: err.Error(), err: true}
			}
			p := sessions.Patch{}
			if mode == "tag" {
				tags := append(run.Tags, strings.Fields(strings.ReplaceAll(text, ",", " "))...)
				p.Tags = &tags
			} else {
				p.Notes = &text
			}
			if err := store.UpdateRun(ctx, id, p); err != nil {
				return statusMsg{text: err.Error(), err: true}
			}
			return statusMsg{text: mode + " saved for " + id}
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

func (m trainModel) updateKeys(msg tea.KeyMsg) (trainModel, tea.Cmd) {
	k := m.keys
	r := m.selected()
	if m.net.Focused() && m.net.handles(msg) {
		m.net, _ = m.net.Update(msg)
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Network):
		if m.net.Focused() {
			m.net.Blur()
		} else {
			m.net.Focus()
		}
	case key.Matches(msg, k.NextRun), key.Matches(msg, k.PrevRun):
		if len(m.runs) == 0 {
			return m, nil
		}
		step := 1
		if key.Matches(msg, k.PrevRun) {
			step = len(m.runs) - 1
		}
		m.sel = (m.sel + step) % len(m.runs)
		// The status line named the run shown before, which read as
		// the state of the charts now on screen.
		return m, status(shownStatus(m.runs[m.sel]))
	case key.Matches(msg, k.LogY):
		m.logY = !m.logY
		for _, r := range m.runs {
			m.sizeCharts(r)
		}
	case key.Matches(msg, k.Smooth):
		m.smooth = !m.smooth
		for _, r := range m.runs {
			m.sizeCharts(r)
		}
	case key.Matches(msg, k.SweepTable):
		if r := m.selected(); r != nil && r.sweep != "" {
			m.showSweep = !m.showSweep
		} else { // it did nothing in silence
			return m, status("w shows a sweep's trials: this run is not a trial of a sweep")
		}
	case key.Matches(msg, k.TestPoints):
		m.showTest = !m.showTest
		for _, r := range m.runs {
			if r.grid != nil {
				r.gridView = r.grid.render(r.plane, m.showTest)
			}
		}
	case r == nil:
		return m, nil
	case key.Matches(msg, k.Pause):
		if r.closed {
			return m, runEnded(r)
		}
		if r.handle.Paused() {
			r.handle.Resume()
			return m, status("training " + r.id)
		}
		r.handle.Pause()
		return m, status("paused " + r.id + ": space resumes, n steps one epoch")
	case key.Matches(msg, k.Step):
		if r.closed {
			return m, runEnded(r)
		}
		if !r.handle.Paused() {
			r.handle.Pause()
		}
		r.handle.Step()
		return m, status("paused " + r.id + ": space resumes, n steps one epoch")
	case key.Matches(msg, k.Stop):
		if r.closed {
			return m, runEnded(r)
		}
		r.handle.Stop()
	case key.Matches(msg, k.StopSweep):
		switch {
		case r.sweep == "" || r.stopSweep == nil:
			return m, status("X stops a sweep: this run is not a trial of one (x stops the run)")
		case r.sweepCtx.Err() != nil:
			return m, status("sweep " + r.sweep + " has ended or is stopping")
		}
		id, stop := r.sweep, r.stopSweep
		return m, func() tea.Msg { return stopSweepMsg{id: id, stop: stop} }
	case key.Matches(msg, k.Restart):
		if !r.closed {
			r.handle.Stop()
		}
		spec := r.spec
		return m, func() tea.Msg { return startRunsMsg{specs: []trainer.Spec{spec}} }
	case key.Matches(msg, k.Edit):
		if !r.closed {
			r.handle.Stop()
		}
		spec, id := r.spec, r.id
		return m, func() tea.Msg { return editSpecMsg{spec: spec, from: id, edit: true} }
	case key.Matches(msg, k.Tag), key.Matches(msg, k.Annotate):
		m.inputMode = "tag"
		m.input.Placeholder = "tags, separated by spaces"
		if key.Matches(msg, k.Annotate) {
			m.inputMode = "note"
			m.input.Placeholder = "a note for this run"
		}
		m.input.Reset()
		return m, m.input.Focus()
	}
	return m, nil
}

// status says text on the status line.
func status(text string) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text} }
}

// shownStatus is what the status line says of run r when Train turns to
// it: the words the line would hold had r been the last run started,
// paused or ended.
func shownStatus(r *liveRun) string {
	switch label := statusLabel(r); {
	case r.closed || r.fin != nil:
		return r.id + " " + label
	case label == "paused":
		return "paused " + r.id + ": space resumes, n steps one epoch"
	}
	return "training " + r.id
}

// runEnded answers space, n and x on a run that has ended, which would
// otherwise do nothing at all.
func runEnded(r *liveRun) tea.Cmd {
	return status(r.id + " has ended (" + statusLabel(r) + "): r trains it again")
}
