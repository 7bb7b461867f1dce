package tui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

// screenID names a screen.
type screenID int

// The screens, in tab order.
const (
	screenSetup screenID = iota
	screenTrain
	screenRuns
	screenCompare
	numScreens
)

var screenNames = []string{"1 Setup", "2 Train", "3 Runs", "4 Compare"}

// The smallest terminal the app draws in.
const (
	MinWidth  = 50
	MinHeight = 15
)

// refreshEvery is how often the Runs screen polls the store, so runs
// written by other processes appear.
const refreshEvery = 2 * time.Second

// Options configures the app.
type Options struct {
	// StoreErr explains a missing store; the app then runs without saving.
	StoreErr error
	// Spec, when set, prefills Setup.
	Spec *trainer.Spec
	// CrashDir is where a crash file goes; empty means the system's
	// temporary directory.
	CrashDir string
}

// App is the root model: it routes messages to the four screens.
type App struct {
	store    sessions.Store
	opts     Options
	screen   screenID
	setup    setupModel
	train    trainModel
	runs     runsModel
	compare  compareModel
	w, h     int
	showHelp bool
	help     help.Model
	status   string
	statusOK bool
	keys     GlobalKeys
	confirm  bool // asking whether to stop runs and quit
	quitting bool
	// sweeps counts running sweeps; cancelSweeps stops them all.
	sweeps       int
	sweepCtx     context.Context
	cancelSweeps context.CancelFunc
	styles       *Styles
	// ctx is the parent of every run started here.
	ctx context.Context
	// crashFile is set once a panic was caught (see crashed).
	crashFile   string
	quitProgram func()
	// noRefresh turns off polling the store, and viewHook runs at the
	// start of View; tests set them.
	noRefresh bool
	viewHook  func()
}

// New returns the app on store, which may be nil.
func New(store sessions.Store, o Options) *App {
	st := DefaultStyles()
	a := &App{store: store, opts: o, styles: &st, keys: DefaultGlobalKeys(), help: help.New(), ctx: context.Background()}
	a.setup = newSetup(a.styles)
	if o.Spec != nil {
		a.setup.setSpec(*o.Spec)
	}
	a.train = newTrain(a.styles, store)
	a.runs = newRuns(a.styles, store)
	a.compare = newCompare(a.styles, store)
	a.setup.Focus()
	a.statusOK = true
	a.sweepCtx, a.cancelSweeps = context.WithCancel(a.ctx)
	if o.StoreErr != nil {
		a.status, a.statusOK = "store unavailable, runs will not be saved: "+o.StoreErr.Error(), false
	}
	return a
}

// Init loads the first dataset and the saved runs.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{a.setup.loadDataset(), a.runs.load()}
	if !a.noRefresh && a.store != nil {
		cmds = append(cmds, refreshTick())
	}
	return tea.Batch(cmds...)
}

func refreshTick() tea.Cmd {
	return tea.Tick(refreshEvery, func(time.Time) tea.Msg { return refreshTickMsg{} })
}

// awaitingInput reports whether the active screen takes text.
func (a *App) awaitingInput() bool {
	switch a.screen {
	case screenSetup:
		return a.setup.awaitingInput()
	case screenTrain:
		return a.train.awaitingInput()
	case screenRuns:
		return a.runs.awaitingInput()
	}
	return false
}

// contentSize is the screens' area: the terminal less the tab bar and the
// status and help lines.
func (a *App) contentSize() (int, int) { return a.w, max(a.h-3, 1) }

func (a *App) resize() {
	w, h := a.contentSize()
	a.setup.SetSize(w, h)
	a.train.SetSize(w, h)
	a.runs.SetSize(w, h)
	a.compare.SetSize(w, h)
}

func (a *App) show(s screenID) tea.Cmd {
	a.setup.Blur()
	a.train.Blur()
	a.runs.Blur()
	a.compare.Blur()
	a.screen = s
	switch s {
	case screenSetup:
		a.setup.Focus()
	case screenTrain:
		a.train.Focus()
	case screenRuns:
		a.runs.Focus()
		return a.runs.load()
	case screenCompare:
		a.compare.Focus()
	}
	return nil
}

// Update routes: the window size first, then global keys (unless a field
// takes text), then keys to the active screen, and data to every screen.
// A panic is caught: see crashed.
func (a *App) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	if a.crashFile != "" {
		return a, tea.Quit
	}
	defer func() {
		if p := recover(); p != nil {
			a.crashed(p)
			model, cmd = a, tea.Quit
		}
	}()
	return a.update(msg)
}

func (a *App) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.w, a.h = msg.Width, msg.Height
		a.help.Width = msg.Width
		a.resize()
		return a, a.train.redrawBoundaries()
	case tea.KeyMsg:
		return a.updateKey(msg)
	case statusMsg:
		a.status, a.statusOK = msg.text, !msg.err
		return a, nil
	case editSpecMsg:
		a.setup.setSpec(msg.spec)
		a.setup.table, a.setup.dataKey = nil, ""
		return a, tea.Batch(a.show(screenSetup), a.setup.loadDataset())
	case startRunsMsg:
		var cmds []tea.Cmd
		for _, s := range msg.specs {
			cmds = append(cmds, startRun(a.ctx, s, a.store))
		}
		a.status, a.statusOK = "starting…", true
		return a, tea.Batch(cmds...)
	case runStartedMsg:
		if msg.err != nil {
			a.status, a.statusOK = "cannot start: "+msg.err.Error(), false
			return a, nil
		}
		if a.quitting {
			msg.run.handle.Stop()
		}
		cmd := a.train.add(msg.run)
		a.status, a.statusOK = "training "+msg.run.id, true
		return a, tea.Batch(cmd, a.show(screenTrain))
	case startSweepMsg:
		if a.store == nil {
			a.status, a.statusOK = "sweeps need the session store, which is unavailable", false
			return a, nil
		}
		a.sweeps++
		return a, startSweep(a.sweepCtx, msg.spec, a.store)
	case sweepTrialMsg:
		if a.quitting {
			msg.run.handle.Stop()
		}
		cmd := a.train.add(msg.run)
		return a, tea.Batch(cmd, a.show(screenTrain), waitSweep(msg.ch))
	case sweepDoneMsg:
		a.sweeps--
		if a.quitting && a.train.running() == 0 && a.sweeps == 0 {
			return a, tea.Quit
		}
		if msg.err != nil {
			a.status, a.statusOK = "sweep: "+msg.err.Error(), false
			return a, nil
		}
		top := topTrials(msg.res, 4)
		a.status, a.statusOK = fmt.Sprintf("sweep %s %s: comparing the top %d trials", msg.res.ID, msg.res.Status, len(top)), true
		if len(top) < 2 {
			return a, a.runs.load()
		}
		return a, tea.Batch(a.runs.load(), loadCompare(a.store, top), a.show(screenCompare))
	case compareRunsMsg:
		if a.store == nil {
			return a, nil
		}
		return a, tea.Batch(loadCompare(a.store, msg.ids), a.show(screenCompare))
	case refreshTickMsg:
		if a.quitting {
			return a, nil
		}
		return a, tea.Batch(a.runs.load(), refreshTick())
	case runEndedMsg:
		// "training <id>" no longer applies once the run ended.
		if a.status == "training "+msg.id {
			a.status, a.statusOK = msg.id+" "+msg.status, true
		}
		return a, nil
	case compareLoadedMsg:
		if msg.err == nil && !a.statusOK {
			a.status, a.statusOK = "", true // an earlier error no longer applies
		}
	case runsChangedMsg:
		cmd := a.runs.load()
		if a.quitting && a.train.running() == 0 && a.sweeps == 0 {
			return a, tea.Quit
		}
		return a, cmd
	}
	// Data messages go to every screen that keeps state.
	var cmds []tea.Cmd
	var cmd tea.Cmd
	a.setup, cmd = a.setup.Update(msg)
	cmds = append(cmds, cmd)
	a.train, cmd = a.train.Update(msg)
	cmds = append(cmds, cmd)
	a.runs, cmd = a.runs.Update(msg)
	cmds = append(cmds, cmd)
	a.compare, cmd = a.compare.Update(msg)
	cmds = append(cmds, cmd)
	if a.quitting && a.train.running() == 0 && a.sweeps == 0 {
		cmds = append(cmds, tea.Quit)
	}
	return a, tea.Batch(cmds...)
}

func (a *App) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if a.confirm {
		switch msg.String() {
		case "y", "Y", "enter":
			a.confirm, a.quitting = false, true
			a.status = "stopping runs…"
			a.cancelSweeps()
			for _, r := range a.train.runs {
				if !r.closed {
					r.handle.Stop()
				}
			}
			if a.train.running() == 0 && a.sweeps == 0 {
				return a, tea.Quit
			}
		default:
			a.confirm = false
		}
		return a, nil
	}
	if msg.String() == "ctrl+c" || !a.awaitingInput() {
		switch {
		case key.Matches(msg, a.keys.Quit):
			if a.train.running() > 0 || a.sweeps > 0 {
				a.confirm = true
				return a, nil
			}
			return a, tea.Quit
		case key.Matches(msg, a.keys.Help):
			a.showHelp = !a.showHelp
			return a, nil
		case a.showHelp && msg.String() == "esc":
			a.showHelp = false
			return a, nil
		case key.Matches(msg, a.keys.NextScreen):
			return a, a.show((a.screen + 1) % numScreens)
		case key.Matches(msg, a.keys.PrevScreen):
			return a, a.show((a.screen + numScreens - 1) % numScreens)
		case key.Matches(msg, a.keys.Setup):
			return a, a.show(screenSetup)
		case key.Matches(msg, a.keys.Train):
			return a, a.show(screenTrain)
		case key.Matches(msg, a.keys.Runs):
			return a, a.show(screenRuns)
		case key.Matches(msg, a.keys.Compare):
			return a, a.show(screenCompare)
		}
	}
	var cmd tea.Cmd
	switch a.screen {
	case screenSetup:
		a.setup, cmd = a.setup.Update(msg)
	case screenTrain:
		a.train, cmd = a.train.Update(msg)
	case screenRuns:
		a.runs, cmd = a.runs.Update(msg)
	case screenCompare:
		a.compare, cmd = a.compare.Update(msg)
	}
	return a, cmd
}

// screenHelp is the active screen's key map.
func (a *App) screenHelp() help.KeyMap {
	switch a.screen {
	case screenSetup:
		return a.setup.keys
	case screenTrain:
		return a.train.keys
	case screenRuns:
		return a.runs.keys
	}
	return a.compare.keys
}

// combinedHelp joins the screen's keys and the global ones.
type combinedHelp struct{ screen, global help.KeyMap }

func (c combinedHelp) ShortHelp() []key.Binding {
	return append(c.screen.ShortHelp(), c.global.ShortHelp()...)
}
func (c combinedHelp) FullHelp() [][]key.Binding {
	return append(c.screen.FullHelp(), c.global.FullHelp()...)
}

// View draws the tab bar, the active screen, the status line and the help.
// A panic is caught: see crashed.
func (a *App) View() (out string) {
	if a.crashFile != "" {
		return a.crashView()
	}
	defer func() {
		if p := recover(); p != nil {
			a.crashed(p)
			out = a.crashView()
		}
	}()
	if a.viewHook != nil {
		a.viewHook()
	}
	return a.view()
}

func (a *App) view() string {
	if a.w == 0 {
		return ""
	}
	st := a.styles
	if a.w < MinWidth || a.h < MinHeight {
		msg := fmt.Sprintf("workbench needs a terminal of at least %d×%d; this one is %d×%d.", MinWidth, MinHeight, a.w, a.h)
		if a.w < 40 {
			msg = fmt.Sprintf("too small:\nneed %d×%d", MinWidth, MinHeight)
		}
		return plain.Width(a.w).MaxWidth(a.w).MaxHeight(a.h).Render(msg)
	}
	var tabs []string
	for i, n := range screenNames {
		if screenID(i) == a.screen {
			tabs = append(tabs, st.TabActive.Render(n))
		} else {
			tabs = append(tabs, st.Tab.Render(n))
		}
	}
	bar := st.Title.Render("workbench") + " " + strings.Join(tabs, "")
	if n := a.train.running(); n > 0 {
		bar += st.Accent.Render(fmt.Sprintf("  ⟳ %d training", n))
	}
	_, h := a.contentSize()
	var body string
	switch a.screen {
	case screenSetup:
		body = a.setup.View()
	case screenTrain:
		body = a.train.View()
	case screenRuns:
		body = a.runs.View()
	case screenCompare:
		body = a.compare.View()
	}
	if a.showHelp {
		a.help.ShowAll = true
		body = st.Dialog.Render(st.Title.Render("keys") + "\n\n" + a.help.View(combinedHelp{a.screenHelp(), a.keys}) + "\n\n" + st.Subtle.Render("? or esc closes"))
		body = lipgloss.Place(a.w, h, lipgloss.Center, lipgloss.Center, body)
	}
	if a.confirm {
		n := a.train.running()
		q := fmt.Sprintf("%d run(s) still training.\nStop them (saved as stopped) and quit?\n\n y  quit    any other key  stay", n)
		body = lipgloss.Place(a.w, h, lipgloss.Center, lipgloss.Center, st.Dialog.Render(q))
	}
	body = plain.Width(a.w).Height(h).MaxHeight(h).MaxWidth(a.w).Render(body)
	status := a.status
	sst := st.StatusBar
	if !a.statusOK {
		sst = st.Error
	}
	a.help.ShowAll = false
	short := a.help.View(combinedHelp{a.screenHelp(), a.keys})
	return truncateANSI(bar, a.w) + "\n" + body + "\n" + truncateANSI(sst.Render(status), a.w) + "\n" + truncateANSI(short, a.w)
}

// topTrials returns the run IDs of a sweep's best n trials by objective.
func topTrials(res *sweeps.Result, n int) []string {
	var ok []sweeps.TrialResult
	for _, t := range res.Trials {
		if t.HasObj && t.RunID != "" {
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
