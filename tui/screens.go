package tui

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
	"workbench/trainer"
)

// screen is all the root knows of a screen, as soft-serve's pages are
// routed: the App holds them in a slice, routes by index, pushes sizes
// down, and talks to them only through messages. Each screen's Handle
// folds a message into the screen and returns what to do next.
type screen interface {
	// Init returns the screen's first command.
	Init() tea.Cmd
	// Handle updates the screen with msg.
	Handle(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	Focus()
	Blur()
	// AwaitingInput reports whether the screen takes text, so that global
	// keys pass through to it.
	AwaitingInput() bool
	// Help is the screen's key map.
	Help() help.KeyMap
	// Title names the screen on the tab bar.
	Title() string
}

var (
	_ screen = (*setupModel)(nil)
	_ screen = (*trainModel)(nil)
	_ screen = (*runsModel)(nil)
	_ screen = (*compareModel)(nil)
)

// liveScreen is a screen that holds runs training in this process: the
// root asks it how many run, to confirm quitting and to quit once they
// are saved.
type liveScreen interface {
	Running() int
	// Paused counts the runs of Running that are paused.
	Paused() int
	// Saved returns a channel per live run that closes once the run is
	// recorded to its end.
	Saved() []<-chan struct{}
}

// Setup.

func (m *setupModel) Init() tea.Cmd       { return m.loadDataset() }
func (m *setupModel) AwaitingInput() bool { return m.awaitingInput() }
func (m *setupModel) Help() help.KeyMap {
	switch {
	case m.picking:
		return pickerKeys
	case m.choosingCols:
		return columnKeys
	case m.editing && m.input.ShowSuggestions:
		return pathKeys // the CSV path row, which completes with tab
	case m.editing:
		return typingKeys
	}
	return m.keys
}
func (m *setupModel) Title() string { return "Setup" }

func (m *setupModel) Handle(msg tea.Msg) tea.Cmd {
	defer m.refreshDerived()
	if e, ok := msg.(editSpecMsg); ok { // edit a run's spec: a fresh form on its data
		m.setSpec(e.spec)
		m.table, m.dataKey = nil, ""
		return m.loadDataset()
	}
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return tea.Batch(cmd, m.presetState())
}

// Train.

func (m *trainModel) Init() tea.Cmd       { return nil }
func (m *trainModel) AwaitingInput() bool { return m.awaitingInput() }
func (m *trainModel) Help() help.KeyMap   { return m.helpKeys() }
func (m *trainModel) Title() string       { return "Train" }
func (m *trainModel) Running() int        { return m.running() }
func (m *trainModel) Paused() int         { return m.paused() }

func (m *trainModel) Saved() []<-chan struct{} {
	var out []<-chan struct{}
	for _, r := range m.runs {
		if r.rec != nil {
			out = append(out, r.rec.Done())
		}
	}
	return out
}

func (m *trainModel) Handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case runStartedMsg:
		return m.add(msg.run)
	case sweepTrialMsg:
		return m.add(msg.run)
	case stopRunsMsg:
		for _, r := range m.runs {
			if !r.closed && r.handle != nil {
				r.handle.Stop()
			}
		}
		return nil
	case tea.WindowSizeMsg:
		return m.redrawBoundaries()
	}
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

// Runs.

func (m *runsModel) Init() tea.Cmd       { return m.load() }
func (m *runsModel) AwaitingInput() bool { return m.awaitingInput() }
func (m *runsModel) Help() help.KeyMap {
	if m.filtering {
		return filterKeys
	}
	if m.confirm != "" || m.replace != "" { // the list's keys said nothing of y
		return confirmKeys
	}
	if m.detail != nil && !m.sweepOpen {
		k := m.keys
		if sessions.NotRerunnable(&m.detail.Run) != nil { // an ensemble or a compressed copy
			return ModeKeys{k.Back, k.Clone, k.Export, k.Scroll}
		}
		return ModeKeys{k.Back, k.Clone, k.Rerun, k.Export, k.Scroll}
	}
	if m.sweepOpen {
		return m.sweep.keys
	}
	if m.panel != nil {
		return ModeKeys{m.keys.Back}
	}
	return m.keys
}
func (m *runsModel) Title() string { return "Runs" }

func (m *runsModel) Handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case refreshTickMsg: // polling (SQLite): a run open while it trains follows its curve
		if m.detail != nil && m.detail.Status == trainer.StatusRunning {
			return tea.Batch(m.load(), m.reloadDetail([]string{m.detail.ID}))
		}
		return m.load()
	case shownMsg, runsChangedMsg: // the store may have changed
		return m.load()
	case storeChangedMsg: // the store pushed a change: the list, and the open run's curve
		return tea.Batch(m.load(), m.reloadDetail(msg.ids))
	}
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

// Compare.

func (m *compareModel) Init() tea.Cmd       { return nil }
func (m *compareModel) AwaitingInput() bool { return false }
func (m *compareModel) Help() help.KeyMap {
	if m.cmp == nil { // nothing to compare: its keys would do nothing
		return ModeKeys{}
	}
	return m.keys
}
func (m *compareModel) Title() string { return "Compare" }

func (m *compareModel) Handle(msg tea.Msg) tea.Cmd {
	if c, ok := msg.(compareRunsMsg); ok {
		if m.store == nil {
			return nil
		}
		return loadCompare(m.store, c.ids)
	}
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}
