package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/sweeps"
	"workbench/trainer"
)

// setupModel is the Setup screen: the dataset, the network and the
// hyperparameters, edited from the keyboard.
type setupModel struct {
	spec    trainer.Spec
	fields  []field
	cursor  int // 0 is the Train button; i > 0 is fields[i-1]
	offset  int
	editing bool
	replace bool // the input's text is the old value, selected (setup_edit.go)
	input   textinput.Model
	pending string            // a dataset choice awaiting enter ("open CSV…")
	invalid map[string]string // field key → reason
	typed   map[string]string // field key → the invalid text typed
	sweep   map[string]string // field key → values to sweep, as typed
	sweepIn bool              // the input edits sweep values
	// objective ranks a marked sweep's trials (setup_objective.go); ""
	// is the task's key metric.
	objective string
	preset    int
	applied   *appliedPreset // the preset in the form, or nil (presets.go)
	lrf       lrFinder       // f and F (lrfind.go)

	table   *datasets.Table
	dataKey string
	dataErr error
	columns []datasets.Column // a CSV file's header, with types (setup_csv.go)
	failed  bool              // the last load failed, and said so on the status line

	// Choosing a CSV file, and the columns to ignore (setup_csv.go).
	files        csvFiles
	picking      bool
	cols         colPicker
	choosingCols bool

	// What View shows of the spec, computed after each change (see
	// refreshDerived) so that View validates and expands nothing.
	derived struct {
		summary string // the one-line architecture
		why     string // why training cannot start, or ""
		trials  int    // the sweep's trial count, when fields are marked
		hint    string // a scaling hint for the loaded table, or ""
		hintKey string // the table and scaling the hint was computed for
	}

	keys    SetupKeys
	styles  *Styles
	w, h    int
	focused bool
}

// refreshDerived recomputes what View shows of the spec.
func (m *setupModel) refreshDerived() {
	m.derived.summary = m.summary()
	m.derived.why = m.validate()
	// The hint scans the table: only when the table or the scaling changed.
	if key := fmt.Sprintf("%p|%s", m.table, m.spec.Data.Scale); key != m.derived.hintKey {
		m.derived.hintKey, m.derived.hint = key, ""
		if m.table != nil {
			if h := datasets.RangeHint(m.table, m.spec.Data.Scale); h != "" {
				m.derived.hint = h + ": try standard scaling (Data › scaling)"
			}
		}
	}
	m.derived.trials = 0
	if len(m.sweep) > 0 {
		if n, err := sweeps.Budget(m.sweepSpec()); err == nil {
			m.derived.trials = n
		}
	}
}

func newSetup(st *Styles) setupModel {
	m := setupModel{keys: DefaultSetupKeys(), styles: st, invalid: map[string]string{}, typed: map[string]string{}, sweep: map[string]string{}}
	m.input = textinput.New()
	m.input.Prompt = "› "
	m.input.CharLimit = 512
	m.setSpec(trainer.DefaultSpec())
	m.refreshDerived()
	return m
}

// setSpec loads a spec into the form.
func (m *setupModel) setSpec(s trainer.Spec) {
	m.spec = s.Clone()
	m.invalid, m.typed, m.sweep = map[string]string{}, map[string]string{}, map[string]string{}
	m.pending, m.applied, m.objective = "", nil, ""
	m.rebuild()
}

func (m *setupModel) rebuild() {
	m.fields = buildFields(&m.spec)
	if len(m.sweep) > 0 {
		m.fields = append(m.fields, m.objectiveField())
	} else {
		delete(m.invalid, objectiveKey)
		delete(m.typed, objectiveKey)
	}
	m.columnSteps()
	m.cursor = min(m.cursor, len(m.fields))
}

func (m *setupModel) SetSize(w, h int) {
	m.w, m.h = w, h
	if m.picking {
		m.files.SetHeight(max(h-6, 3)) // the panel's border and the picker's three lines of heading
	}
}
func (m *setupModel) Focus()       { m.focused = true }
func (m *setupModel) Blur()        { m.focused = false; m.editing = false; m.input.Blur() }
func (m setupModel) Focused() bool { return m.focused }

// awaitingInput reports whether keys go to a text field.
func (m setupModel) awaitingInput() bool { return m.editing || m.picking || m.choosingCols }

// dataSpecKey identifies the data the info panel shows.
func dataSpecKey(d datasets.Spec) string {
	return fmt.Sprintf("%s|%s|%d|%g|%d|%s|%s|%s|%q", d.Name, d.Path, d.Samples, d.Noise, d.Seed, d.Target, d.Task, d.Missing, d.Ignore)
}

// loadDataset loads the dataset for the info panel off the UI path.
func (m *setupModel) loadDataset() tea.Cmd {
	k := dataSpecKey(m.spec.Data)
	if k == m.dataKey {
		return nil
	}
	m.dataKey, m.dataErr = k, nil
	d := m.spec.Data
	return func() tea.Msg {
		var t *datasets.Table
		var cols []datasets.Column
		var err error
		if d.Path != "" {
			cols, _ = datasets.Columns(d.Path) // the header, even when the data do not load
			p, perr := datasets.Build(datasets.Spec{Path: d.Path, Target: d.Target, Task: d.Task, Missing: d.Missing, Ignore: d.Ignore, Split: datasets.DefaultSplit})
			if perr != nil {
				err = perr
			} else {
				t = &datasets.Table{Meta: p.Meta, X: p.Train.X, Y: p.Train.Y, N: p.Train.N, D: p.Train.D}
				if t.Meta.Rows == 0 {
					t.Meta.Rows = p.Train.N + p.Val.N + p.Test.N
				}
			}
		} else {
			t, err = datasets.Open(d.Name, d.Samples, d.Noise, d.Seed)
		}
		return datasetLoadedMsg{key: k, table: t, cols: cols, err: err}
	}
}

// task is the dataset's task, when known.
func (m *setupModel) task() (datasets.Task, bool) {
	if m.table != nil {
		return m.table.Meta.Task, true
	}
	for _, i := range datasets.List() {
		if i.Name == m.spec.Data.Name {
			return i.Task, true
		}
	}
	return 0, false
}

// fitLoss switches the loss to the task's default when it does not fit.
func (m *setupModel) fitLoss() {
	task, ok := m.task()
	if !ok {
		return
	}
	m.spec.FitLoss(task)
}

func (m setupModel) Update(msg tea.Msg) (setupModel, tea.Cmd) {
	m, cmd := m.update(msg)
	if m.lrf.stale(m.spec) {
		// Any change to the spec (a preset, the data, a layer, a field)
		// leaves the finder's curve and suggestion about another network:
		// the panel goes back to the dataset, and F has nothing to apply
		// (it says to press f). The status line keeps what the change said.
		m.lrf = lrFinder{}
	}
	return m, cmd
}

func (m setupModel) update(msg tea.Msg) (setupModel, tea.Cmd) {
	switch msg := msg.(type) {
	case datasetLoadedMsg:
		if msg.key != m.dataKey {
			return m, nil // stale
		}
		failed := m.failed
		m.table, m.dataErr, m.columns, m.failed = msg.table, msg.err, msg.cols, msg.err != nil
		m.rebuild()
		if msg.err != nil {
			m.table = nil
			text := setupHint(msg.err.Error())
			return m, func() tea.Msg { return statusMsg{text: text, err: true} }
		}
		m.fitLoss()
		m.rebuild()
		if p := m.applied; p != nil && !p.edited {
			p.spec = specText(m.spec) // the loss the data's task takes is the preset's
		}
		// The error on the status line no longer applies; and a CSV file
		// reloads only when its settings change (missing values, ignored
		// columns, target), so its rows are said again: the line kept
		// "4 rows" after impute made it 6.
		if failed || m.spec.Data.Path != "" {
			text := fmt.Sprintf("%s loaded: %d rows", msg.table.Meta.Name, msg.table.Meta.Rows)
			return m, func() tea.Msg { return statusMsg{text: text} }
		}
		return m, nil
	case lrFoundMsg:
		if !m.lrf.receive(msg) {
			return m, nil // a test of a spec the form no longer holds
		}
		if m.w < infoMinWidth { // no panel to show it: the status line says it
			text, isErr := m.lrf.brief()
			return m, func() tea.Msg { return statusMsg{text: text, err: isErr} }
		}
		return m, nil
	case tea.KeyMsg:
		if !m.focused {
			return m, nil
		}
		switch {
		case m.picking:
			return m.updateFiles(msg)
		case m.choosingCols:
			return m.updateColumns(msg)
		case m.editing:
			return m.updateEditing(msg)
		}
		return m.updateKeys(msg)
	}
	if m.picking { // the picker's folder listings
		var cmd tea.Cmd
		m.files, cmd = m.files.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m setupModel) current() *field {
	if m.cursor <= 0 || m.cursor > len(m.fields) {
		return nil
	}
	return &m.fields[m.cursor-1]
}

func (m setupModel) updateEditing(msg tea.KeyMsg) (setupModel, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		m.editing, m.sweepIn, m.replace = false, false, false
		m.input.Blur()
		return m, nil
	case tea.KeyEnter:
		m.editing, m.replace = false, false
		m.input.Blur()
		v := m.input.Value()
		f := m.current()
		if f == nil {
			return m, nil
		}
		if m.sweepIn {
			m.sweepIn = false
			return m, m.markSweep(f, v)
		}
		return m, m.commit(f, v)
	}
	return m, m.editKey(msg)
}

// commit sets field f to v, marking it invalid with the reason if it does
// not parse.
func (m *setupModel) commit(f *field, v string) tea.Cmd {
	key, label := f.key, f.label
	if _, bad := m.invalid[key]; !bad && v == m.value(f) {
		return nil // unchanged (an effective default such as "tuned" is not typed back)
	}
	before, _ := m.params()
	if err := m.assign(f, v); err != nil {
		m.invalid[key], m.typed[key] = err.Error(), v
		return nil
	}
	_, wasBad := m.invalid[key]
	delete(m.invalid, key)
	delete(m.typed, key)
	if dataSpecKey(m.spec.Data) != m.dataKey {
		// The data changes: what loaded (or failed to) no longer applies.
		// Set gave a built-in set of another task its loss; a CSV's task
		// is known once it loads, and fitLoss runs then.
		m.table = nil
		m.fitLoss()
	}
	m.rebuild()
	warn := m.growthWarning(label, before)
	if wasBad && warn == nil {
		// A line such as "fix learning rate first: not a number" stayed
		// after the value was fixed.
		text := label + " = " + m.value(f)
		warn = func() tea.Msg { return statusMsg{text: text} }
	}
	return tea.Batch(m.loadDataset(), warn)
}

func (m setupModel) updateKeys(msg tea.KeyMsg) (setupModel, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		if m.cursor > 0 {
			m.cursor--
		}
	case key.Matches(msg, k.Down):
		if m.cursor < len(m.fields) {
			m.cursor++
		}
	case key.Matches(msg, k.Left), key.Matches(msg, k.Right):
		f := m.current()
		if f == nil {
			return m, nil
		}
		dir := 1
		if key.Matches(msg, k.Left) {
			dir = -1
		}
		cur := m.value(f)
		if f.key == "data.name" && m.pending != "" {
			cur = m.pending
		}
		next, ok := f.step(cur, dir)
		if !ok {
			return m, nil
		}
		if f.key == "data.name" && next == openCSV {
			m.pending = openCSV
			return m, nil
		}
		m.pending = ""
		return m, m.commit(f, next)
	case key.Matches(msg, k.Edit):
		f := m.current()
		if f == nil {
			return m, m.start()
		}
		switch {
		// The row reads "open CSV…" while a CSV is the data too: enter
		// opens the picker there as well, to choose another file (it
		// typed over the words "open CSV…", which then did nothing).
		case f.key == "data.name" && (m.pending == openCSV || m.pending == "" && f.get(&m.spec) == openCSV):
			return m, m.openFiles()
		case f.key == "data.ignore":
			return m, m.openColumns()
		case m.typed[f.key] != "":
			return m, m.startEdit(m.typed[f.key])
		default:
			return m, m.startEdit(m.value(f))
		}
	case key.Matches(msg, k.Train):
		return m, m.start()
	case key.Matches(msg, k.Cancel) && m.lrf.active():
		m.lrf = lrFinder{} // the panel shows the dataset again
		return m, nil
	case key.Matches(msg, k.FindLR):
		if why := m.validate(); why != "" {
			return m, func() tea.Msg { return statusMsg{text: why, err: true} }
		}
		return m, m.lrf.start(m.spec)
	case key.Matches(msg, k.ApplyLR):
		text, ok := m.lrf.apply(&m.spec)
		m.rebuild()
		return m, func() tea.Msg { return statusMsg{text: text, err: !ok} }
	case key.Matches(msg, k.Sweep):
		f := m.current()
		if f == nil {
			return m, nil
		}
		if f.sweep == "" {
			return m, func() tea.Msg { return statusMsg{text: f.label + " cannot be swept", err: true} }
		}
		m.sweepIn = true
		cmd := m.startEdit(m.sweep[f.key])
		m.input.Placeholder = f.sweepHint
		return m, cmd
	case key.Matches(msg, k.Preset):
		m.preset = (m.preset + 1) % len(presets)
		m.applyPreset(m.preset)
		return m, tea.Batch(m.loadDataset(), status(presetLine(m.applied.name, false)))
	case key.Matches(msg, k.AddLayer):
		h := m.spec.Model.Hidden
		l := trainer.LayerSpec{Units: 4, Activation: "tanh"}
		at := len(h)
		if f := m.current(); f != nil && f.layer >= 0 {
			at = f.layer + 1
			l = h[f.layer]
		} else if len(h) > 0 {
			l = h[len(h)-1]
		}
		before, _ := m.params()
		onLayer := m.current() != nil && m.current().layer >= 0
		was := m.cursorKey()
		m.spec.Model.Hidden = append(h[:at:at], append([]trainer.LayerSpec{l}, h[at:]...)...)
		m.rebuild()
		if !onLayer { // the rows inserted above moved epochs' row to learning rate
			m.seek(was)
		}
		return m, m.layerStatus(fmt.Sprintf("layer %d added (%d %s)", at+1, l.Units, l.Activation), before)
	case key.Matches(msg, k.DelLayer):
		if f := m.current(); f != nil && f.layer >= 0 {
			before, _ := m.params()
			h := m.spec.Model.Hidden
			m.spec.Model.Hidden = append(h[:f.layer:f.layer], h[f.layer+1:]...)
			m.rebuild()
			return m, m.layerStatus(fmt.Sprintf("layer %d removed", f.layer+1), before)
		}
		// It did nothing and said nothing, the last line staying as it was.
		return m, status("d removes the layer under the cursor: move to one of its fields")
	case key.Matches(msg, k.LayerUp), key.Matches(msg, k.LayerDown):
		f := m.current()
		if f == nil || f.layer < 0 {
			return m, status("K and J move the layer under the cursor: move to one of its fields")
		}
		to := f.layer - 1
		if key.Matches(msg, k.LayerDown) {
			to = f.layer + 1
		}
		h := m.spec.Model.Hidden
		if to < 0 || to >= len(h) {
			where := map[bool]string{true: "first", false: "last"}[to < 0]
			return m, status(fmt.Sprintf("layer %d is already the %s", f.layer+1, where))
		}
		h[f.layer], h[to] = h[to], h[f.layer]
		perLayer := 0
		for _, g := range m.fields {
			if g.layer == f.layer {
				perLayer++
			}
		}
		m.cursor += (to - f.layer) * perLayer // stay on the same field of the moved layer
		m.rebuild()
		// It said nothing, the line keeping "layer 3 added".
		return m, status(fmt.Sprintf("layer %d moved %s: now layer %d", f.layer+1, map[bool]string{true: "up", false: "down"}[to < f.layer], to+1))
	}
	return m, nil
}
