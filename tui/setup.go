package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/sweeps"
	"workbench/trainer"
)

// preset is a named starting spec.
type preset struct {
	name string
	spec func() trainer.Spec
}

var presets = []preset{
	{"Playground default", trainer.DefaultSpec},
	{"seed example (MSE + Adam)", func() trainer.Spec {
		s := trainer.DefaultSpec()
		s.Data = datasets.Spec{Name: "seed-example", Split: datasets.DefaultSplit, Seed: 1}
		s.Model.Hidden = []trainer.LayerSpec{{Units: 4, Activation: "tanh"}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "mse", trainer.OptimizerSpec{Name: "adam", LR: 0.05}, 0, 500
		return s
	}},
	{"breast-cancer diagnosis", func() trainer.Spec {
		s := trainer.DefaultSpec()
		s.Data = datasets.Spec{Name: "breast-cancer", Split: datasets.DefaultSplit, Seed: 1, Scale: "standard"}
		s.Model = trainer.ModelSpec{Init: "he_uniform", Hidden: []trainer.LayerSpec{{Units: 16, Activation: "relu", Dropout: 0.2}}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "bce", trainer.OptimizerSpec{Name: "adam", LR: 0.001}, 32, 200
		s.EarlyStop = trainer.EarlyStopSpec{Monitor: "val_loss", Patience: 15}
		return s
	}},
	{"credit risk (cost of a bad loan 5×)", func() trainer.Spec {
		s := trainer.DefaultSpec()
		s.Data = datasets.Spec{Name: "credit", Split: datasets.DefaultSplit, Seed: 1, Scale: "standard", Positive: "bad"}
		s.Model = trainer.ModelSpec{Init: "he_uniform", Hidden: []trainer.LayerSpec{{Units: 32, Activation: "relu", Dropout: 0.2}}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "bce", trainer.OptimizerSpec{Name: "adam", LR: 0.001}, 32, 100
		s.EarlyStop = trainer.EarlyStopSpec{Monitor: "val_loss", Patience: 10}
		s.Decision = trainer.DecisionSpec{CostFP: 1, CostFN: 5}
		return s
	}},
	{"digits", func() trainer.Spec {
		s := trainer.DefaultSpec()
		s.Data = datasets.Spec{Name: "digits", Split: datasets.DefaultSplit, Seed: 1, Scale: "minmax"}
		s.Model = trainer.ModelSpec{Init: "he_uniform", Hidden: []trainer.LayerSpec{{Units: 64, Activation: "relu"}}}
		s.Loss, s.Optimizer, s.BatchSize, s.Epochs = "ce", trainer.OptimizerSpec{Name: "adam", LR: 0.001}, 64, 50
		s.EarlyStop = trainer.EarlyStopSpec{Monitor: "val_loss", Patience: 5}
		return s
	}},
}

// setupModel is the Setup screen: the dataset, the network and the
// hyperparameters, edited from the keyboard.
type setupModel struct {
	spec    trainer.Spec
	fields  []field
	cursor  int // 0 is the Train button; i > 0 is fields[i-1]
	offset  int
	editing bool
	input   textinput.Model
	pending string            // a dataset choice awaiting enter ("open CSV…")
	invalid map[string]string // field key → reason
	typed   map[string]string // field key → the invalid text typed
	sweep   map[string]string // field key → values to sweep, as typed
	sweepIn bool              // the input edits sweep values
	preset  int

	table   *datasets.Table
	dataKey string
	dataErr error

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
				m.derived.hint = strings.Replace(h, "try --scale standard", "try standard scaling (Data › scaling)", 1)
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
	m.pending = ""
	m.rebuild()
}

func (m *setupModel) rebuild() {
	m.fields = buildFields(&m.spec)
	m.cursor = min(m.cursor, len(m.fields))
}

func (m *setupModel) SetSize(w, h int) { m.w, m.h = w, h }
func (m *setupModel) Focus()           { m.focused = true }
func (m *setupModel) Blur()            { m.focused = false; m.editing = false; m.input.Blur() }
func (m setupModel) Focused() bool     { return m.focused }

// awaitingInput reports whether keys go to a text field.
func (m setupModel) awaitingInput() bool { return m.editing }

// dataSpecKey identifies the data the info panel shows.
func dataSpecKey(d datasets.Spec) string {
	return fmt.Sprintf("%s|%s|%d|%g|%d|%s", d.Name, d.Path, d.Samples, d.Noise, d.Seed, d.Target)
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
		var err error
		if d.Path != "" {
			p, perr := datasets.Build(datasets.Spec{Path: d.Path, Target: d.Target, Task: d.Task, Missing: d.Missing, Ignore: d.Ignore, Split: datasets.DefaultSplit})
			if perr != nil {
				err = perr
			} else {
				t = &datasets.Table{Meta: p.Meta, X: p.Train.X, Y: p.Train.Y, N: p.Train.N, D: p.Train.D}
				t.Meta.Rows = p.Train.N + p.Val.N + p.Test.N
			}
		} else {
			t, err = datasets.Open(d.Name, d.Samples, d.Noise, d.Seed)
		}
		return datasetLoadedMsg{key: k, table: t, err: err}
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
	switch msg := msg.(type) {
	case datasetLoadedMsg:
		if msg.key != m.dataKey {
			return m, nil // stale
		}
		m.table, m.dataErr = msg.table, msg.err
		if msg.err != nil {
			m.table = nil
			return m, func() tea.Msg { return statusMsg{text: msg.err.Error(), err: true} }
		}
		m.fitLoss()
		m.rebuild()
		return m, nil
	case tea.KeyMsg:
		if !m.focused {
			return m, nil
		}
		if m.editing {
			return m.updateEditing(msg)
		}
		return m.updateKeys(msg)
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
		m.editing, m.sweepIn = false, false
		m.input.Blur()
		return m, nil
	case tea.KeyEnter:
		m.editing = false
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
		if f.key == "data.name" && m.pending == openCSV {
			m.pending = ""
			if strings.TrimSpace(v) == "" {
				return m, nil
			}
			m.spec.Data = datasets.Spec{Path: strings.TrimSpace(v), Split: m.spec.Data.Split, Seed: m.spec.Data.Seed, Scale: m.spec.Data.Scale}
			m.table = nil
			m.rebuild()
			return m, m.loadDataset()
		}
		return m, m.commit(f, v)
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// commit sets field f to v, marking it invalid with the reason if it does
// not parse.
func (m *setupModel) commit(f *field, v string) tea.Cmd {
	key := f.key
	if err := f.set(&m.spec, v); err != nil {
		m.invalid[key], m.typed[key] = err.Error(), v
		return nil
	}
	delete(m.invalid, key)
	delete(m.typed, key)
	if key == "data.name" || key == "data.path" || key == "data.target" {
		// Set gave a built-in set of another task its loss; a CSV's task
		// is known once it loads, and fitLoss runs then.
		m.table = nil
		m.fitLoss()
	}
	m.rebuild()
	return m.loadDataset()
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
		cur := f.get(&m.spec)
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
		m.editing = true
		m.input.Reset()
		switch {
		case f.key == "data.name" && m.pending == openCSV:
			m.input.Placeholder = "path/to/data.csv"
		case m.typed[f.key] != "":
			m.input.SetValue(m.typed[f.key])
		default:
			m.input.SetValue(f.get(&m.spec))
		}
		m.input.CursorEnd()
		return m, m.input.Focus()
	case key.Matches(msg, k.Train):
		return m, m.start()
	case key.Matches(msg, k.Sweep):
		f := m.current()
		if f == nil {
			return m, nil
		}
		if f.sweep == "" {
			return m, func() tea.Msg { return statusMsg{text: f.label + " cannot be swept", err: true} }
		}
		m.editing, m.sweepIn = true, true
		m.input.Reset()
		m.input.Placeholder = "values, e.g. 0.001,0.01,0.1, or a range for TPE: log:1e-4:0.1 (empty: no sweep)"
		m.input.SetValue(m.sweep[f.key])
		m.input.CursorEnd()
		return m, m.input.Focus()
	case key.Matches(msg, k.Preset):
		m.preset = (m.preset + 1) % len(presets)
		m.setSpec(presets[m.preset].spec())
		m.table = nil
		name := presets[m.preset].name
		return m, tea.Batch(m.loadDataset(), func() tea.Msg { return statusMsg{text: "preset: " + name} })
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
		m.spec.Model.Hidden = append(h[:at:at], append([]trainer.LayerSpec{l}, h[at:]...)...)
		m.rebuild()
	case key.Matches(msg, k.DelLayer):
		if f := m.current(); f != nil && f.layer >= 0 {
			h := m.spec.Model.Hidden
			m.spec.Model.Hidden = append(h[:f.layer:f.layer], h[f.layer+1:]...)
			m.rebuild()
		}
	case key.Matches(msg, k.LayerUp), key.Matches(msg, k.LayerDown):
		f := m.current()
		if f == nil || f.layer < 0 {
			return m, nil
		}
		to := f.layer - 1
		if key.Matches(msg, k.LayerDown) {
			to = f.layer + 1
		}
		h := m.spec.Model.Hidden
		if to < 0 || to >= len(h) {
			return m, nil
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
	}
	return m, nil
}

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
	s := sweeps.Spec{Base: m.spec.Clone(), Seed: 1}
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
		return nil
	}
	if isRange(raw) {
		d, err := sweeps.ParseDist(f.sweep + "=" + raw)
		if err == nil {
			_, err = sweeps.Expand(sweeps.Spec{Base: m.spec.Clone(), Random: []sweeps.Dist{d}, Trials: 1})
		}
		if err != nil {
			msg := err.Error()
			return func() tea.Msg { return statusMsg{text: msg, err: true} }
		}
		m.sweep[f.key] = raw
		return func() tea.Msg {
			return statusMsg{text: fmt.Sprintf("searching %s over %s (TPE, %d trials); t starts the sweep", f.label, raw, setupSearchTrials)}
		}
	}
	p, err := sweeps.ParseAxis(f.sweep + "=" + raw)
	if err == nil {
		_, err = sweeps.Expand(sweeps.Spec{Base: m.spec.Clone(), Grid: []sweeps.Param{p}})
	}
	if err != nil {
		msg := err.Error()
		return func() tea.Msg { return statusMsg{text: msg, err: true} }
	}
	m.sweep[f.key] = raw
	n := len(p.Values)
	return func() tea.Msg {
		return statusMsg{text: fmt.Sprintf("sweeping %s over %d values; t starts the sweep", f.label, n)}
	}
}

// validate returns why training cannot start, or "".
func (m *setupModel) validate() string {
	if len(m.invalid) > 0 {
		for _, f := range m.fields {
			if r, ok := m.invalid[f.key]; ok {
				return fmt.Sprintf("fix %s first: %s", f.label, r)
			}
		}
	}
	if m.dataErr != nil {
		return m.dataErr.Error()
	}
	if err := m.spec.Validate(); err != nil {
		return err.Error()
	}
	if task, ok := m.task(); ok {
		if err := m.spec.CheckTask(task); err != nil {
			return err.Error()
		}
	}
	return ""
}

// start asks the root to train the spec, or reports why it cannot.
func (m setupModel) start() tea.Cmd {
	if why := m.validate(); why != "" {
		return func() tea.Msg { return statusMsg{text: why, err: true} }
	}
	if len(m.sweep) > 0 {
		sw := m.sweepSpec()
		n, err := sweeps.Budget(sw)
		if err != nil {
			msg := err.Error()
			return func() tea.Msg { return statusMsg{text: msg, err: true} }
		}
		return tea.Batch(func() tea.Msg { return startSweepMsg{spec: sw} },
			func() tea.Msg { return statusMsg{text: fmt.Sprintf("sweep of %d trials started", n)} })
	}
	spec := m.spec.Clone()
	return func() tea.Msg { return startRunsMsg{specs: []trainer.Spec{spec}} }
}

// summary is the one-line architecture, when the data shape is known.
func (m setupModel) summary() string {
	task, ok := m.task()
	if !ok || m.table == nil {
		return ""
	}
	inputs := m.table.D + len(m.spec.Data.Crosses)
	return trainer.Summary(m.spec.Model, task, inputs, m.table.Meta.Classes())
}

func (m setupModel) View() string {
	if m.w < 20 || m.h < 5 {
		return ""
	}
	infoW := 0
	if m.w >= 70 {
		infoW = min(max(m.w*2/5, 30), 60)
	}
	formW := m.w - infoW
	form := m.viewForm(formW, m.h)
	if infoW == 0 {
		return form
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, form, m.viewInfo(infoW, m.h))
}

func (m setupModel) viewForm(w, h int) string {
	st := m.styles
	var lines []string
	sum := m.derived.summary
	switch {
	case m.dataErr != nil:
		sum = "the data did not load: fix the dataset fields"
	case sum == "":
		sum = "loading the dataset…"
	}
	lines = append(lines, st.Subtle.Render(truncate(sum, w-2)))
	btn := "[ ▶ Train ]  t or enter"
	if n := m.derived.trials; n > 0 {
		btn = fmt.Sprintf("[ ▶ Sweep %d trials ]  t or enter", n)
	}
	if why := m.derived.why; why != "" {
		btn = "[ ▶ Train ]  " + st.Invalid.Render(truncate(why, max(w-16, 10)))
	}
	if m.cursor == 0 {
		lines = append(lines, st.Selected.Render("› ")+st.Focus.Render(btn))
	} else {
		lines = append(lines, "  "+btn)
	}
	labelW := 22
	showHint := w >= 78
	body := []string{}
	cursorLine := 0
	section := ""
	for i, f := range m.fields {
		if f.section != section {
			section = f.section
			body = append(body, st.Header.Render(section))
		}
		val := f.get(&m.spec)
		if f.key == "data.name" && m.pending != "" {
			val = m.pending + "  (enter to choose a file)"
		}
		if t, ok := m.typed[f.key]; ok {
			val = t
		}
		focused := m.cursor == i+1
		mark := "  "
		if focused {
			mark = st.Selected.Render("› ")
			cursorLine = len(body)
		}
		label := fmt.Sprintf("%-*s", labelW, truncate(f.label, labelW))
		var valStr string
		switch {
		case focused && m.editing:
			valStr = m.input.View()
		case m.invalid[f.key] != "":
			valStr = st.Invalid.Render(val + "  ✗ " + m.invalid[f.key])
		case focused:
			valStr = st.Focus.Render("‹ " + val + " ›")
		default:
			valStr = st.Text.Render(val)
		}
		if sw, ok := m.sweep[f.key]; ok && !(focused && m.editing) {
			valStr += st.Accent.Render("  ⟳ " + sw)
		}
		line := mark + label + valStr
		if showHint && !m.editing {
			line += "  " + st.Subtle.Render(f.hint)
		}
		body = append(body, plain.MaxWidth(w).Render(line))
	}
	room := h - len(lines) - 1
	if !showHint {
		room--
	}
	off := m.offset
	if cursorLine < off {
		off = cursorLine
	}
	if cursorLine >= off+room {
		off = cursorLine - room + 1
	}
	off = max(0, min(off, max(0, len(body)-room)))
	end := min(len(body), off+room)
	lines = append(lines, body[off:end]...)
	if !showHint {
		if f := m.current(); f != nil {
			lines = append(lines, st.Subtle.Render(truncate("range: "+f.hint, w-2)))
		}
	}
	return plain.Width(w).Height(h).MaxHeight(h).Render(strings.Join(lines, "\n"))
}

func (m setupModel) viewInfo(w, h int) string {
	st := m.styles
	inner := w - 4
	var b []string
	switch {
	case m.dataErr != nil:
		b = append(b, st.Error.Render("cannot load the data"), wrap(m.dataErr.Error(), inner))
	case m.table == nil:
		b = append(b, st.Subtle.Render("loading…"))
	default:
		meta := m.table.Meta
		b = append(b, st.Title.Render(meta.Name), wrap(meta.Description, inner), "")
		b = append(b, fmt.Sprintf("%s · %d rows × %d features", meta.Task, meta.Rows, meta.Features))
		if m.derived.hint != "" {
			b = append(b, st.Bad.Render(wrap(m.derived.hint, inner)))
		}
		if len(meta.ClassNames) > 0 && len(meta.ClassCounts) == len(meta.ClassNames) {
			for i, c := range meta.ClassNames {
				if i >= 5 {
					b = append(b, st.Subtle.Render(fmt.Sprintf("… %d more classes", len(meta.ClassNames)-5)))
					break
				}
				frac := float64(meta.ClassCounts[i]) / float64(max(meta.Rows, 1))
				bar := strings.Repeat("█", int(frac*float64(max(inner-22, 4))+0.5))
				b = append(b, fmt.Sprintf("%-10s %4d %s", truncate(c, 10), meta.ClassCounts[i], st.Accent.Render(bar)))
			}
		}
		if m.table.D == 2 {
			ph := max(3, h-len(b)-6)
			b = append(b, "", scatter(m.table, inner, min(ph, 10), st))
		}
		b = append(b, "", st.Subtle.Render(wrap("source: "+meta.Source, inner)))
		if meta.License != "" {
			b = append(b, st.Subtle.Render(wrap("licence: "+meta.License, inner)))
		}
	}
	content := strings.Join(b, "\n")
	return st.Panel.Width(w - 2).Height(h - 2).MaxHeight(h).Render(plain.MaxHeight(h - 2).Render(content))
}

// scatter draws a 2-D table's points as characters, class 1 as 'o'.
func scatter(t *datasets.Table, w, h int, st *Styles) string {
	if w < 4 || h < 2 {
		return ""
	}
	x0, x1, y0, y1 := t.X[0], t.X[0], t.X[1], t.X[1]
	for i := 0; i < t.N; i++ {
		x, y := t.X[2*i], t.X[2*i+1]
		x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
	}
	if x1 == x0 {
		x1 = x0 + 1
	}
	if y1 == y0 {
		y1 = y0 + 1
	}
	grid := make([][]rune, h)
	for r := range grid {
		grid[r] = []rune(strings.Repeat("·", w))
	}
	for i := 0; i < t.N; i++ {
		c := int((t.X[2*i] - x0) / (x1 - x0) * float64(w-1))
		r := int((y1 - t.X[2*i+1]) / (y1 - y0) * float64(h-1))
		ch := '*'
		if t.Meta.Task == datasets.Binary {
			ch = 'x'
			if t.Y[i] >= 0.5 {
				ch = 'o'
			}
		}
		grid[r][c] = ch
	}
	lines := make([]string, h)
	for r, row := range grid {
		var sb strings.Builder
		for _, ch := range row {
			switch ch {
			case 'o':
				sb.WriteString(st.TrainSeries.Render("o"))
			case 'x':
				sb.WriteString(st.ValSeries.Render("x"))
			case '·':
				sb.WriteString(st.Subtle.Render("·"))
			default:
				sb.WriteRune(ch)
			}
		}
		lines[r] = sb.String()
	}
	return strings.Join(lines, "\n")
}

func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func wrap(s string, w int) string {
	if w < 8 {
		return truncate(s, w)
	}
	return plain.Width(w).Render(s)
}
