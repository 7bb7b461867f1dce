package tui

import "github.com/charmbracelet/bubbles/key"

// GlobalKeys work on every screen, except while a field takes text.
type GlobalKeys struct {
	Quit, Help, NextScreen, PrevScreen, Setup, Train, Runs, Compare key.Binding
}

// DefaultGlobalKeys returns the global key map.
func DefaultGlobalKeys() GlobalKeys {
	return GlobalKeys{
		Quit:       key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		NextScreen: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next screen")),
		PrevScreen: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev screen")),
		Setup:      key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "setup")),
		Train:      key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "train")),
		Runs:       key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "runs")),
		Compare:    key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "compare")),
	}
}

// ShortHelp is one row.
func (k GlobalKeys) ShortHelp() []key.Binding { return []key.Binding{k.NextScreen, k.Help, k.Quit} }

// FullHelp is columns.
func (k GlobalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Setup, k.Train, k.Runs, k.Compare}, {k.NextScreen, k.PrevScreen, k.Help, k.Quit}}
}

// SetupKeys drive the Setup screen.
type SetupKeys struct {
	Up, Down, Left, Right, Edit, Train, Preset, AddLayer, DelLayer, LayerUp, LayerDown, Sweep, Cancel key.Binding
	FindLR, ApplyLR                                                                                   key.Binding
}

// DefaultSetupKeys returns the Setup key map.
func DefaultSetupKeys() SetupKeys {
	return SetupKeys{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "decrease")),
		Right:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "increase")),
		Edit:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "type a value")),
		Train:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "train")),
		Preset:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "next preset")),
		AddLayer:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add layer")),
		DelLayer:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "remove layer")),
		LayerUp:   key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "move layer up")),
		LayerDown: key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "move layer down")),
		Sweep:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "sweep this field")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		FindLR:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "find a learning rate")),
		ApplyLR:   key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "apply the found rate")),
	}
}

func (k SetupKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Train, k.Up, k.Left, k.Edit, k.Preset, k.AddLayer}
}
func (k SetupKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Left, k.Right, k.Edit, k.Cancel}, {k.Train, k.Preset, k.Sweep, k.FindLR, k.ApplyLR}, {k.AddLayer, k.DelLayer, k.LayerUp, k.LayerDown}}
}

// TrainKeys drive the live Train screen.
type TrainKeys struct {
	Pause, Step, Stop, Restart, Edit, Tag, Annotate, NextRun, PrevRun, LogY, Smooth, TestPoints, Network key.Binding
	// SweepTable shows the ranked trials of the selected trial's sweep;
	// StopSweep stops that whole sweep (x stops one trial, and the sweep
	// goes on to the next).
	SweepTable, StopSweep key.Binding
}

// DefaultTrainKeys returns the Train key map.
func DefaultTrainKeys() TrainKeys {
	return TrainKeys{
		Pause:      key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "pause/resume")),
		Step:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "step an epoch")),
		Stop:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "stop")),
		StopSweep:  key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "stop the whole sweep")),
		Restart:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "restart")),
		Edit:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit & restart")),
		Tag:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tag")),
		Annotate:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "annotate")),
		NextRun:    key.NewBinding(key.WithKeys("right", "l", "]"), key.WithHelp("→", "next run")),
		PrevRun:    key.NewBinding(key.WithKeys("left", "h", "["), key.WithHelp("←", "prev run")),
		LogY:       key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "log y")),
		Smooth:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "smoothing")),
		TestPoints: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "test points")),
		Network:    key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "network view")),
		SweepTable: key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "sweep's trials")),
	}
}

func (k TrainKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Pause, k.Step, k.Stop, k.Restart, k.Edit, k.LogY, k.Smooth}
}
func (k TrainKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Pause, k.Step, k.Stop, k.Restart, k.Edit}, {k.Tag, k.Annotate, k.NextRun, k.PrevRun}, {k.LogY, k.Smooth, k.TestPoints, k.Network, k.SweepTable, k.StopSweep}}
}

// RunsKeys drive the Runs screen.
type RunsKeys struct {
	Up, Down, Open, Back, Filter, Select, Sort, Reverse, Clone, Rerun, Delete, Export, Compare, Confirm key.Binding
	Combine, Shrink, Explain                                                                            key.Binding
	// Metric picks the metric of the BEST VAL and TEST columns.
	Metric key.Binding
	// Sweep opens the sweep of the run under the cursor.
	Sweep key.Binding
	// Top and Bottom jump to the first and last run.
	Top, Bottom key.Binding
	// Scroll names Up and Down in an open run, where they scroll its
	// metrics (help only: Up and Down match the keys).
	Scroll key.Binding
}

// DefaultRunsKeys returns the Runs key map.
func DefaultRunsKeys() RunsKeys {
	return RunsKeys{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:     key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "first run")),
		Bottom:  key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "last run")),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Select:  key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "select")),
		Sort:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort column")),
		Reverse: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Metric:  key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "metric columns")),
		Clone:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "clone to setup")),
		Rerun:   key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "re-run")),
		Delete:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Export:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "export")),
		Compare: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "compare selected")),
		Confirm: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "confirm")),
		Sweep:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "open its sweep")),
		Combine: key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "ensemble selected")),
		Shrink:  key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "compress (prune 50%, int8)")),
		Explain: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "importances")),
		Scroll:  key.NewBinding(key.WithKeys("up", "k", "down", "j"), key.WithHelp("↑↓", "scroll metrics")),
	}
}

func (k RunsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Filter, k.Select, k.Compare, k.Sort, k.Clone, k.Delete}
}
func (k RunsKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.Open, k.Back, k.Filter}, {k.Select, k.Compare, k.Sort, k.Reverse, k.Metric}, {k.Clone, k.Rerun, k.Delete, k.Export, k.Sweep}, {k.Combine, k.Shrink, k.Explain}}
}

// CompareKeys drive the Compare screen.
type CompareKeys struct {
	Metric, LogY, Smooth, Up, Down, PageUp, PageDown key.Binding
}

// DefaultCompareKeys returns the Compare key map.
func DefaultCompareKeys() CompareKeys {
	return CompareKeys{
		Metric:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "next metric")),
		LogY:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "log y")),
		Smooth:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "smoothing")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "page down")),
	}
}

func (k CompareKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Metric, k.LogY, k.Smooth, k.Down}
}
func (k CompareKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Metric, k.LogY, k.Smooth}, {k.Up, k.Down, k.PageUp, k.PageDown}}
}

// ParcoordsKeys drive the parallel-coordinates view of a sweep.
type ParcoordsKeys struct {
	Left, Right, Up, Down, Widen, Narrow, Clear, ClearAll key.Binding
}

// DefaultParcoordsKeys returns the parallel-coordinates key map.
func DefaultParcoordsKeys() ParcoordsKeys {
	return ParcoordsKeys{
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "prev axis")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next axis")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "brush up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "brush down")),
		Widen:    key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "widen brush")),
		Narrow:   key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "narrow brush")),
		Clear:    key.NewBinding(key.WithKeys("backspace", "x"), key.WithHelp("x", "clear brush")),
		ClearAll: key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "clear all brushes")),
	}
}

func (k ParcoordsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Left, k.Right, k.Up, k.Down, k.Widen, k.Narrow, k.Clear}
}
func (k ParcoordsKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Left, k.Right}, {k.Up, k.Down, k.Widen, k.Narrow}, {k.Clear, k.ClearAll}}
}

// SweepKeys drive the sweep view, with the parallel-coordinates keys.
type SweepKeys struct {
	Compare, Back key.Binding
	Par           ParcoordsKeys
}

func (k SweepKeys) ShortHelp() []key.Binding {
	return append(k.Par.ShortHelp(), k.Compare, k.Back)
}
func (k SweepKeys) FullHelp() [][]key.Binding {
	return append(k.Par.FullHelp(), []key.Binding{k.Compare, k.Back})
}

// DefaultSweepKeys returns the sweep view's key map.
func DefaultSweepKeys() SweepKeys {
	return SweepKeys{
		Compare: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "compare the best in the brush")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Par:     DefaultParcoordsKeys(),
	}
}

// ModeKeys are the keys of one mode of a screen (typing a value, picking
// a file, a run's detail), one row. While a screen takes text or a pick
// the help line shows them alone, since the global keys then type letters.
type ModeKeys []key.Binding

func (k ModeKeys) ShortHelp() []key.Binding  { return k }
func (k ModeKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k} }

func helpOnly(keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, desc))
}

// The help of each way of taking input.
var (
	typingKeys = ModeKeys{helpOnly("enter", "set"), helpOnly("esc", "cancel")}
	// pathKeys type a file path, which tab completes.
	pathKeys = ModeKeys{helpOnly("enter", "set"), helpOnly("tab", "complete"), helpOnly("esc", "cancel")}
	// confirmKeys answer a question such as "delete run …? y to confirm".
	confirmKeys = ModeKeys{helpOnly("y", "confirm"), helpOnly("any other key", "cancel")}
	pickerKeys  = ModeKeys{helpOnly("↑/↓", "choose"), helpOnly("→", "open"), helpOnly("←", "up"), helpOnly("enter", "pick"),
		helpOnly("tab", "complete a typed path"), helpOnly("esc", "cancel")}
	columnKeys = ModeKeys{helpOnly("space", "mark"), helpOnly("enter", "apply"), helpOnly("esc", "cancel")}
	filterKeys = ModeKeys{helpOnly("enter", "apply"), helpOnly("esc", "cancel")}
)
