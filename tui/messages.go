package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"workbench/analysis"
	"workbench/datasets"
	"workbench/sessions"
	"workbench/sweeps"
	"workbench/trainer"
)

// runEventsMsg carries a batch of events of one run, in order.
type runEventsMsg struct {
	id     string
	events []trainer.Event
	closed bool // the channel closed after these events
}

// runStartedMsg reports a run that started (or failed to start).
type runStartedMsg struct {
	run *liveRun
	err error
}

// boundaryMsg carries a decision-boundary grid computed off the UI path.
type boundaryMsg struct {
	id   string
	grid *boundaryGrid
}

// runsLoadedMsg carries saved runs: the whole list (full) or what changed
// between change sequences from and seq, for the list whose query is key.
type runsLoadedMsg struct {
	runs      []*sessions.Run
	err       error
	key       string
	full      bool
	from, seq int64
	changed   []string // IDs to drop before adding runs (incremental)
}

// runDetailMsg carries one saved run's details for the Runs screen.
type runDetailMsg struct {
	run *sessions.FullRun
	err error
	// reload: a refresh of the open run, dropped if it was closed meanwhile.
	reload bool
}

// compareLoadedMsg carries the runs to compare.
type compareLoadedMsg struct {
	cmp   *sessions.Comparison
	evals map[string]*sessions.Evaluations
	err   error
}

// presetEditedMsg says that Setup's form departs from the preset it
// applied (edited), or matches it again.
type presetEditedMsg struct {
	name   string
	edited bool
}

// filesListedMsg carries a folder's listing for the CSV picker with id.
type filesListedMsg struct {
	id      int64
	dir     string
	entries []fileEntry
	hidden  int // files left out: not CSV
	err     error
}

// statusMsg shows a line in the status bar; err marks it as an error.
type statusMsg struct {
	text string
	err  bool
}

// datasetLoadedMsg carries a dataset for the Setup screen's info panel.
type datasetLoadedMsg struct {
	key   string // the data spec it was built for
	table *datasets.Table
	cols  []datasets.Column // a CSV file's columns, when its header reads
	err   error
}

// editSpecMsg asks the root to open Setup prefilled with a spec.
type editSpecMsg struct {
	spec trainer.Spec
	from string // the run it was cloned from, said in the status; or ""
	// edit: from is a run on Train whose spec is being edited to train
	// again (e), not a clone from Runs.
	edit bool
}

// startRunsMsg asks the root to start training these specs.
type startRunsMsg struct {
	specs []trainer.Spec
}

// compareRunsMsg asks the root to open Compare on these saved runs.
type compareRunsMsg struct{ ids []string }

// refreshTickMsg polls the store for runs written by other processes.
type refreshTickMsg struct{}

// storeChangedMsg is a change the store pushed (PostgreSQL): the IDs of
// the runs written elsewhere ("" for any), and the channel to wait on next.
type storeChangedMsg struct {
	ids []string
	ch  <-chan string
}

// runsChangedMsg says the store changed (a run finished or was deleted).
type runsChangedMsg struct{}

// startSweepMsg asks the root to run a sweep.
type startSweepMsg struct{ spec sweeps.Spec }

// sweepTrialMsg carries a sweep's newly started trial; the root keeps
// listening on ch for the next.
type sweepTrialMsg struct {
	run *liveRun
	ch  <-chan tea.Msg
}

// stopSweepMsg asks the root to stop sweep id (X on Train). The root
// cancels it in its own Update, so the sweep's end is said after.
type stopSweepMsg struct {
	id   string
	stop func()
}

// sweepDoneMsg reports the end of a sweep.
type sweepDoneMsg struct {
	res *sweeps.Result
	err error
}

// runEndedMsg tells the root that a live run's stream closed.
type runEndedMsg struct {
	id     string
	status string
}

// analysisDoneMsg carries the result of an ensemble, compression or
// importance action on the Runs screen (one of the three is set).
type analysisDoneMsg struct {
	ensemble   *analysis.EnsembleResult
	compress   *analysis.CompressResult
	importance *analysis.ImportanceResult
	err        error
}

// sweepLoadedMsg carries a stored sweep's report for the sweep view.
type sweepLoadedMsg struct {
	id  string
	rep *sweeps.Report
	err error
}

// shownMsg tells a screen that it became the active one.
type shownMsg struct{}

// stopRunsMsg asks the Train screen to stop every live run (they are saved
// as stopped).
type stopRunsMsg struct{}

// networkMsg carries a network view computed off the UI path.
type networkMsg struct {
	id  string
	net *netData
}

// lrFoundMsg carries the learning-rate finder's outcome.
type lrFoundMsg struct {
	key string // the spec the test ran on (lrFinderKey)
	res *trainer.LRFindResult
	err error
}
