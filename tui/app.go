package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/sessions"
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
	screens  []screen // by screenID
	w, h     int
	showHelp bool
	help     help.Model
	// status and statusOK are the active screen's status line; lines
	// hold every screen's (see statusline.go).
	status   string
	statusOK bool
	lines    [numScreens]statusLine
	// statusRows is how many rows the status line was laid out in (see
	// statusLines): the screens' height leaves them.
	statusRows int
	keys       GlobalKeys
	confirm    bool // asking whether to stop runs and quit
	quitting   bool
	// sweeps counts running sweeps; cancelSweeps stops them all.
	sweeps       int
	sweepCtx     context.Context
	cancelSweeps context.CancelFunc
	styles       *Styles
	// ctx is the parent of every run started here.
	ctx context.Context
	// watchCtx bounds the store's change listener (watchStore).
	watchCtx context.Context
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
	setup := newSetup(a.styles)
	if o.Spec != nil {
		setup.setSpec(*o.Spec)
		setup.refreshDerived()
	} else if last, objective, ok := lastSpec(store); ok {
		setup.setSpec(last)
		setup.objective = objective // shown once a field is marked to sweep
		setup.refreshDerived()
	}
	train, runs, compare := newTrain(a.styles, store), newRuns(a.styles, store), newCompare(a.styles, store)
	a.screens = []screen{screenSetup: &setup, screenTrain: &train, screenRuns: &runs, screenCompare: &compare}
	a.screens[screenSetup].Focus()
	a.statusOK = true
	for s := range a.lines {
		a.lines[s].ok = true
	}
	a.sweepCtx, a.cancelSweeps = context.WithCancel(a.ctx)
	a.watchCtx = a.ctx // the listener ends with the process
	if o.StoreErr != nil {
		a.sayAll("store unavailable, runs will not be saved: "+o.StoreErr.Error(), false)
	}
	return a
}

// Init loads the first dataset and the saved runs.
func (a *App) Init() tea.Cmd {
	var cmds []tea.Cmd
	for _, s := range a.screens {
		cmds = append(cmds, s.Init())
	}
	if !a.noRefresh && a.store != nil {
		cmds = append(cmds, refreshTick(), watchStore(a.watchCtx, a.store))
	}
	return tea.Batch(cmds...)
}

func refreshTick() tea.Cmd {
	return tea.Tick(refreshEvery, func(time.Time) tea.Msg { return refreshTickMsg{} })
}

// awaitingInput reports whether the active screen takes text.
func (a *App) awaitingInput() bool { return a.screens[a.screen].AwaitingInput() }

// running counts the runs training in this process.
func (a *App) running() int { return a.screens[screenTrain].(liveScreen).Running() }

// contentSize is the screens' area: the terminal less the tab bar, the
// status line's rows and the help line.
func (a *App) contentSize() (int, int) { return a.w, max(a.h-2-max(a.statusRows, 1), 1) }

func (a *App) resize() {
	a.statusRows = len(a.statusLines())
	w, h := a.contentSize()
	for _, s := range a.screens {
		s.SetSize(w, h)
	}
}

// show makes s the active screen and tells it so.
func (a *App) show(s screenID) tea.Cmd {
	for _, x := range a.screens {
		x.Blur()
	}
	a.switchLine(s)
	a.screen = s
	a.screens[s].Focus()
	return a.screens[s].Handle(shownMsg{})
}

// broadcast hands a data message to every screen.
func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(a.screens))
	for _, s := range a.screens {
		cmds = append(cmds, s.Handle(msg))
	}
	return tea.Batch(cmds...)
}

// quitIfDone quits once quitting was asked for and every run is saved.
func (a *App) quitIfDone() tea.Cmd {
	if a.quitting && a.running() == 0 && a.sweeps == 0 {
		return tea.Quit
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
	model, cmd = a.update(msg)
	a.dropStaleConfirm()
	if a.w > 0 && len(a.statusLines()) != a.statusRows { // a longer or shorter status takes rows from the screen
		a.resize()
	}
	return model, cmd
}

func (a *App) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.w, a.h = msg.Width, msg.Height
		a.help.Width = msg.Width
		a.resize()
		return a, a.broadcast(msg)
	case tea.KeyMsg:
		return a.updateKey(msg)
	case statusMsg:
		a.status, a.statusOK = msg.text, !msg.err
		return a, nil
	case presetEditedMsg:
		a.presetEdited(msg)
		return a, nil
	case editSpecMsg:
		switch {
		// Short enough for 80 columns with a run's ID: "…: change what
		// you like, then t trains it again" lost its last words there.
		case msg.edit: // Setup said nothing after e
			a.say(screenSetup, "the spec of "+msg.from+" is in Setup: edit it, then t trains it again", true)
		case msg.from != "":
			a.say(screenSetup, "cloned "+msg.from+" into Setup: edit it, then t trains it", true)
		}
		return a, tea.Batch(a.show(screenSetup), a.screens[screenSetup].Handle(msg))
	case startRunsMsg:
		var cmds []tea.Cmd
		if len(msg.specs) > 0 { // Setup restores it on the next launch
			cmds = append(cmds, saveLastSpec(a.store, msg.specs[0], false, ""))
		}
		for _, s := range msg.specs {
			cmds = append(cmds, startRun(a.ctx, s, a.store))
		}
		a.status, a.statusOK = "starting…", true
		return a, tea.Batch(cmds...)
	case runStartedMsg:
		if msg.err != nil {
			a.status, a.statusOK = "cannot start: "+setupHint(msg.err.Error()), false
			return a, nil
		}
		if a.quitting {
			msg.run.handle.Stop()
		}
		for s := range screenID(numScreens) { // the screen that asked has its answer on Train
			if a.lineOf(s).text == "starting…" {
				a.say(s, "", true)
			}
		}
		a.say(screenTrain, "training "+msg.run.id, true)
		return a, tea.Batch(a.screens[screenTrain].Handle(msg), a.show(screenTrain))
	case startSweepMsg:
		if a.store == nil {
			a.status, a.statusOK = "sweeps need the session store, which is unavailable", false
			return a, nil
		}
		a.sweeps++ // Setup restores the sweep's base and objective on the next launch
		return a, tea.Batch(saveLastSpec(a.store, msg.spec.Base, true, msg.spec.Objective), startSweep(a.sweepCtx, msg.spec, a.store))
	case sweepTrialMsg:
		if a.quitting {
			msg.run.handle.Stop()
		}
		a.say(screenTrain, "training "+msg.run.id, true) // Train turns to the trial
		return a, tea.Batch(a.screens[screenTrain].Handle(msg), a.show(screenTrain), waitSweep(msg.ch))
	case sweepDoneMsg:
		a.sweeps--
		if cmd := a.quitIfDone(); cmd != nil {
			return a, cmd
		}
		if msg.err != nil {
			a.sayHereAndOnTrain("sweep: "+msg.err.Error(), false)
			return a, nil
		}
		// The user stays where they are (the trials, the ranked table);
		// Compare is ready with the top trials when they go there.
		top := topTrials(msg.res, 4)
		changed := a.broadcast(runsChangedMsg{})
		if len(top) < 2 {
			a.sayHereAndOnTrain(fmt.Sprintf("sweep %s %s", msg.res.ID, msg.res.Status), true)
			return a, changed
		}
		a.sayHereAndOnTrain(fmt.Sprintf("sweep %s %s: the top %d trials are on Compare (4)", msg.res.ID, msg.res.Status, len(top)), true)
		return a, tea.Batch(changed, a.screens[screenCompare].Handle(compareRunsMsg{ids: top}))
	case stopSweepMsg:
		msg.stop() // here: the line it says cannot come after the sweep's end
		a.sayHereAndOnTrain("stopping sweep "+msg.id+": running trials are saved as stopped, the rest skipped", true)
		return a, nil
	case compareRunsMsg:
		return a, tea.Batch(a.show(screenCompare), a.screens[screenCompare].Handle(msg))
	case refreshTickMsg:
		if a.quitting {
			return a, nil
		}
		return a, tea.Batch(a.broadcast(msg), refreshTick())
	case storeChangedMsg:
		if a.quitting {
			return a, nil
		}
		var next tea.Cmd
		if msg.ch != nil {
			next = waitForStoreChange(msg.ch)
		}
		return a, tea.Batch(a.broadcast(msg), next)
	case runEndedMsg:
		// "training <id>" no longer applies once the run ended.
		if l := a.lineOf(screenTrain); l.text == "training "+msg.id || strings.HasPrefix(l.text, "paused "+msg.id+":") {
			a.say(screenTrain, msg.id+" "+msg.status, true)
		}
		return a, nil
	case compareLoadedMsg:
		if msg.err == nil && !a.lineOf(screenCompare).ok {
			a.say(screenCompare, "", true) // an earlier error no longer applies
		}
	}
	// Data messages go to every screen that keeps state.
	return a, tea.Batch(a.broadcast(msg), a.quitIfDone())
}

func (a *App) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if a.confirm {
		switch msg.String() {
		case "y", "Y", "enter":
			a.confirm, a.quitting = false, true
			a.sayAll("stopping runs…", true)
			a.cancelSweeps()
			return a, tea.Batch(a.screens[screenTrain].Handle(stopRunsMsg{}), a.quitIfDone())
		default:
			a.confirm = false
		}
		return a, nil
	}
	if msg.String() == "ctrl+c" || !a.awaitingInput() {
		switch {
		case key.Matches(msg, a.keys.Quit):
			if a.running() > 0 || a.sweeps > 0 {
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
	return a, a.screens[a.screen].Handle(msg)
}

// screenHelp is the active screen's key map.
func (a *App) screenHelp() help.KeyMap { return a.screens[a.screen].Help() }

// combinedHelp joins the screen's keys and the global ones.
type combinedHelp struct{ screen, global help.KeyMap }

func (c combinedHelp) ShortHelp() []key.Binding {
	return append(c.screen.ShortHelp(), c.global.ShortHelp()...)
}
func (c combinedHelp) FullHelp() [][]key.Binding {
	return append(c.screen.FullHelp(), c.global.FullHelp()...)
}

// fitShortHelp renders as many of bindings as fit in w cells, ending in
// " …" when some are left out. bubbles' help, when even its ellipsis no
// longer fits, adds the next item whole, which the width then cuts to a
// dangling "•".
func fitShortHelp(h help.Model, bindings []key.Binding, w int) string {
	h.Width = 0
	var on []key.Binding
	for _, b := range bindings {
		if b.Enabled() {
			on = append(on, b)
		}
	}
	tail := " " + h.Styles.Ellipsis.Inline(true).Render(h.Ellipsis)
	for n := len(on); n > 0; n-- {
		s := h.ShortHelpView(on[:n])
		if n < len(on) {
			s += tail
		}
		if lipgloss.Width(s) <= w {
			return s
		}
	}
	return ""
}

// fitFullHelp lays the help's columns out in rows of at most w cells, so
// that a narrow terminal shows every key (a row too wide for the dialog
// wrapped it into a broken frame).
func fitFullHelp(h help.Model, groups [][]key.Binding, w int) string {
	h.Width = 0
	gap := lipgloss.Width(h.FullSeparator)
	var rows []string
	var row []string
	rowW := 0
	for _, g := range groups {
		col := h.FullHelpView([][]key.Binding{g})
		if col == "" {
			continue
		}
		cw := lipgloss.Width(col)
		if len(row) > 0 && rowW+gap+cw > w {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			row = append(row, strings.Repeat(" ", gap))
			rowW += gap
		}
		row = append(row, col)
		rowW += cw
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return plain.MaxWidth(w).Render(strings.Join(rows, "\n\n"))
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
	for i, s := range a.screens {
		n := fmt.Sprintf("%d %s", i+1, s.Title())
		if screenID(i) == a.screen {
			// Brackets in place of the padding: the screen shown stays
			// marked under NO_COLOR, where bold and underline do not show.
			tabs = append(tabs, st.TabActive.UnsetPadding().Render("["+n+"]"))
		} else {
			tabs = append(tabs, st.Tab.Render(n))
		}
	}
	bar := st.Title.Render("workbench") + " " + strings.Join(tabs, "")
	bar += st.Accent.Render(a.trainingBadge())
	_, h := a.contentSize()
	body := a.screens[a.screen].View()
	if a.showHelp {
		keys := fitFullHelp(a.help, combinedHelp{a.screenHelp(), a.keys}.FullHelp(), a.w-st.Dialog.GetHorizontalFrameSize())
		body = st.Dialog.Render(st.Title.Render("keys") + "\n\n" + keys + "\n\n" + st.Subtle.Render("? or esc closes"))
		body = lipgloss.Place(a.w, h, lipgloss.Center, lipgloss.Center, body)
	}
	if a.confirm {
		q := a.quitQuestion()
		body = lipgloss.Place(a.w, h, lipgloss.Center, lipgloss.Center, st.Dialog.Render(q))
	}
	body = plain.Width(a.w).Height(h).MaxHeight(h).MaxWidth(a.w).Render(body)
	sst := st.StatusBar
	if !a.statusOK {
		sst = st.Error
	}
	bindings := combinedHelp{a.screenHelp(), a.keys}.ShortHelp()
	if a.awaitingInput() { // the global keys type letters then
		bindings = a.screenHelp().ShortHelp()
	}
	short := fitShortHelp(a.help, bindings, a.w)
	rows := a.statusLines()
	for i := range rows {
		rows[i] = truncateANSI(sst.Render(rows[i]), a.w)
	}
	return truncateANSI(bar, a.w) + "\n" + body + "\n" + strings.Join(rows, "\n") + "\n" + truncateANSI(short, a.w)
}
