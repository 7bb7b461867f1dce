package tui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
)

// runColumn is a column of the Runs table.
type runColumn struct {
	title string
	sort  string // the store's sort key
	width int
	cell  func(r *sessions.Run) string
}

var runColumns = []runColumn{
	{"NAME/ID", "name", 22, func(r *sessions.Run) string {
		if r.Name != "" {
			return r.Name
		}
		return sessions.CleanText(r.ID)
	}},
	{"DATASET", "dataset", 13, func(r *sessions.Run) string { return r.Dataset }},
	{"ARCHITECTURE", "summary", 24, func(r *sessions.Run) string { return archOf(r.Summary) }},
	{"OPT", "optimizer", 8, func(r *sessions.Run) string { return r.Spec.Optimizer.Name }},
	{"LR", "lr", 7, func(r *sessions.Run) string { return numfmt.Short(r.Spec.Optimizer.LR) }},
	{"STATUS", "status", 14, func(r *sessions.Run) string { return string(r.Status) }}, // target_reached whole
	{"BEST VAL", "val_key", keyColumnWidth, func(r *sessions.Run) string { return keyCell(r, "best_val_") }},
	{"TEST", "test_key", keyColumnWidth, func(r *sessions.Run) string { return keyCell(r, "test_") }},
	{"TAGS", "tags", 12, func(r *sessions.Run) string { return strings.Join(r.Tags, ",") }},
	{"EPOCHS", "epochs", 9, func(r *sessions.Run) string {
		if r.Kind != sessions.KindTrain {
			// A derived run has no epochs of its own: say what it is, in
			// a word that fits the column.
			if r.Kind == sessions.KindCompressed {
				return "compr."
			}
			return truncate(r.Kind, 9)
		}
		return epochsCell(r.EpochsDone, r.EpochsTotal)
	}},
	{"TIME", "duration", 8, func(r *sessions.Run) string { return numfmt.Duration(r.Duration) }},
	{"DATE", "created", 11, func(r *sessions.Run) string { return r.Created.Local().Format("01-02 15:04") }},
}

// columnPriority orders the columns by how much they matter when space
// is short: who the run is, then its result (STATUS, BEST VAL, TEST),
// what it trained on and how far, then its settings (LR, OPT, the
// architecture), then when. fitColumns keeps a prefix of this order, so a
// setting never shows while a result is left out: at 50 columns LR took
// the room BEST VAL needed.
var columnPriority = []string{"NAME/ID", "STATUS", "BEST VAL", "DATASET", "TEST", "EPOCHS", "TAGS", "LR", "OPT", "ARCHITECTURE", "DATE", "TIME"}

// minNameWidth is how far NAME/ID may narrow to make room for the run's
// result (resultColumns).
const minNameWidth = 16

var resultColumns = map[string]bool{"STATUS": true, "BEST VAL": true, "TEST": true}

// fitColumns returns the columns that fit in w cells, in table order: the
// longest prefix of columnPriority that fits, NAME/ID giving up to
// 22 − minNameWidth cells before a result column is left out. With the
// widths of the content (contentWidths; nil for none) a column narrower
// than its default leaves room for more, and the room left over widens
// the columns whose cells are cut, in the order of columnPriority
// (EPOCHS read 29959/10… with 40 cells to spare).
func fitColumns(w int, content map[string]int) []runColumn {
	byTitle := map[string]runColumn{}
	for _, c := range runColumns {
		if n, ok := content[c.title]; ok && n < c.width {
			c.width = n
			if c.title == "NAME/ID" {
				c.width = max(n, minNameWidth)
			}
		}
		byTitle[c.title] = c
	}
	keep := map[string]bool{}
	used, nameW := 0, byTitle["NAME/ID"].width
	for _, t := range columnPriority {
		c := byTitle[t]
		need := used + c.width + 1
		if need > w && resultColumns[t] && need-w <= nameW-minNameWidth {
			nameW -= need - w // the name narrows for the column
			need = w
		}
		if need > w {
			break
		}
		keep[t], used = true, need
	}
	widths := map[string]int{}
	for t := range keep {
		widths[t] = byTitle[t].width
	}
	widths["NAME/ID"] = nameW
	for _, t := range columnPriority {
		if n := content[t]; keep[t] && n > widths[t] && used < w {
			grow := min(n-widths[t], w-used)
			widths[t] += grow
			used += grow
		}
	}
	var cols []runColumn
	for _, c := range runColumns {
		if keep[c.title] {
			c.width = widths[c.title]
			cols = append(cols, c)
		}
	}
	return cols
}

// epochsCell is "done/total", or "done/∞" for a run without a limit.
func epochsCell(done, total int) string {
	if total == 0 {
		return fmt.Sprintf("%d/∞", done)
	}
	return fmt.Sprintf("%d/%d", done, total)
}

func archOf(summary string) string {
	if i := strings.LastIndex(summary, ","); i > 0 {
		return summary[:i]
	}
	return summary
}

func keyCell(r *sessions.Run, prefix string) string {
	task, _ := datasets.ParseTask(r.Task)
	k := trainer.KeyMetric(task)
	if v, ok := r.Metrics[prefix+k]; ok {
		short := map[string]string{"accuracy": "acc", "r2": "r2"}[k]
		cell := short + " " + numfmt.Value(v)
		if utf8.RuneCountInString(cell) > keyColumnWidth {
			// A diverged run's R² of -1.916e+90 read "r2 -1.916e…",
			// its magnitude cut: the value alone fits whole.
			cell = numfmt.Value(v)
		}
		return cell
	}
	return "—"
}

// keyColumnWidth is the width of the BEST VAL and TEST columns.
const keyColumnWidth = 11

// runsModel is the Runs screen.
type runsModel struct {
	store     sessions.Store
	runs      []*sessions.Run
	cursor    int
	offset    int
	selected  map[string]bool
	sortCol   int
	desc      bool
	metric    string         // the metric of the BEST VAL and TEST columns; "" = the key metric (runs_metric.go)
	content   map[string]int // the columns' widths to show the runs' cells whole (colwidth.go)
	filter    string
	filterErr error // why filter is refused; the list then shows it, not the runs
	filtering bool
	input     textinput.Model
	detail    *sessions.FullRun
	detailOff int    // the first metric the open run's panel shows
	confirm   string // the ID awaiting delete confirmation
	replace   string // the ID whose export would replace a file, awaiting confirmation
	err       error
	// seq is the store's change sequence at the last load of the list
	// whose query() key is key; refreshes fetch only later changes.
	seq int64
	key string
	// sweep is the open sweep view (parallel coordinates, importance).
	sweep     sweepViewModel
	sweepOpen bool
	// panel is an analysis result (E, z, i) shown over the list until esc.
	panel *analysisDoneMsg

	keys    RunsKeys
	styles  *Styles
	w, h    int
	focused bool
}

func newRuns(st *Styles, store sessions.Store) runsModel {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "text in name, notes or ID"
	return runsModel{store: store, selected: map[string]bool{}, keys: DefaultRunsKeys(), styles: st, input: in,
		sortCol: len(runColumns) - 1, desc: true}
}

func (m *runsModel) SetSize(w, h int) { m.w, m.h = w, h; m.sweep.SetSize(w, h) }
func (m *runsModel) Focus()           { m.focused = true }
func (m *runsModel) Blur()            { m.focused = false; m.filtering = false }
func (m runsModel) Focused() bool     { return m.focused }
func (m runsModel) awaitingInput() bool {
	// A question ("delete run …? y to confirm") takes the next key, so
	// that any other key cancels it, 2 or q too: it stayed pending
	// across screens, and a later y deleted.
	return m.filtering || m.confirm != "" || m.replace != ""
}

func (m runsModel) current() *sessions.Run {
	if m.cursor < 0 || m.cursor >= len(m.runs) {
		return nil
	}
	return m.runs[m.cursor]
}

func (m runsModel) Update(msg tea.Msg) (runsModel, tea.Cmd) {
	switch msg := msg.(type) {
	case runsLoadedMsg:
		if _, _, key := m.query(); msg.key != key {
			return m, nil // the filter or sort changed since: a full load is coming
		}
		m.err = msg.err
		if msg.err != nil {
			return m, nil
		}
		// A cursor on the first row stays there, so the newest run is the
		// one enter opens after training; elsewhere it keeps its run.
		cur, atTop := "", m.cursor == 0
		if r := m.current(); r != nil {
			cur = r.ID
		}
		switch {
		case msg.full:
			m.runs, m.seq, m.key = msg.runs, msg.seq, msg.key
		case m.key == msg.key && msg.from <= m.seq && msg.seq > m.seq:
			m.merge(msg)
			m.seq = msg.seq
		default:
			return m, nil // an older refresh, already covered
		}
		m.content = contentWidths(m.runs, m.metric)
		m.cursor = min(m.cursor, max(len(m.runs)-1, 0))
		for i, r := range m.runs {
			if r.ID == cur && !atTop {
				m.cursor = i
				break
			}
		}
		if m.sweepOpen && !m.sweep.loading { // the store changed: a running sweep's view follows it
			m.sweep.loading = true
			return m, loadSweep(m.store, m.sweep.id)
		}
		return m, nil
	case sweepLoadedMsg:
		var cmd tea.Cmd
		m.sweep, cmd = m.sweep.Update(msg)
		return m, cmd
	case analysisDoneMsg:
		if msg.err != nil {
			return m, func() tea.Msg { return statusMsg{text: msg.err.Error(), err: true} }
		}
		m.panel, m.detail = &msg, nil
		return m, tea.Batch(m.load(), func() tea.Msg { return statusMsg{text: "done; esc returns to the list"} })
	case runDetailMsg:
		if msg.reload && (m.detail == nil || msg.run == nil || m.detail.ID != msg.run.ID) {
			return m, nil // closed, or another run opened, meanwhile
		}
		if msg.err != nil {
			return m, func() tea.Msg { return statusMsg{text: msg.err.Error(), err: true} }
		}
		if m.detail == nil || msg.run == nil || m.detail.ID != msg.run.ID {
			m.detailOff = 0
		}
		m.detail = msg.run
		return m, nil
	case tea.KeyMsg:
		if !m.focused {
			return m, nil
		}
		if m.filtering {
			switch msg.Type {
			case tea.KeyEnter, tea.KeyEsc:
				m.filtering = false
				if msg.Type == tea.KeyEsc {
					m.input.SetValue(m.filter)
				}
				m.filter = strings.TrimSpace(m.input.Value())
				return m.applyFilter()
			}
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return m, cmd
		}
		return m.updateKeys(msg)
	}
	return m, nil
}

func (m runsModel) updateKeys(msg tea.KeyMsg) (runsModel, tea.Cmd) {
	k := m.keys
	if m.replace != "" {
		id := m.replace
		m.replace = ""
		if key.Matches(msg, k.Confirm) && m.store != nil {
			name, _ := sessions.ExportFileName(id)
			return m, exportRun(m.store, id, name, true)
		}
		return m, func() tea.Msg { return statusMsg{text: "export cancelled"} }
	}
	if m.confirm != "" {
		id := m.confirm
		m.confirm = ""
		if key.Matches(msg, k.Confirm) && m.store != nil {
			store := m.store
			delete(m.selected, id)
			return m, func() tea.Msg {
				if err := store.DeleteRuns(context.Background(), id); err != nil {
					return statusMsg{text: err.Error(), err: true}
				}
				return runsChangedMsg{}
			}
		}
		return m, func() tea.Msg { return statusMsg{text: "delete cancelled"} }
	}
	if m.sweepOpen {
		if key.Matches(msg, m.sweep.keys.Back) {
			m.sweepOpen = false
			return m, nil
		}
		var cmd tea.Cmd
		m.sweep, cmd = m.sweep.Update(msg)
		return m, cmd
	}
	r := m.current()
	switch {
	case m.detail != nil:
		// The keys act on the run shown, which the cursor may have left
		// (a new run arriving takes the first row); ↑↓ scroll its metrics.
		switch {
		case key.Matches(msg, k.Back), key.Matches(msg, k.Open):
			m.detail, m.detailOff = nil, 0
			return m, nil
		case key.Matches(msg, k.Up):
			m.detailOff = max(m.detailOff-1, 0)
			return m, nil
		case key.Matches(msg, k.Down):
			m.detailOff = min(m.detailOff+1, m.detailScroll())
			return m, nil
		case key.Matches(msg, k.Clone), key.Matches(msg, k.Rerun), key.Matches(msg, k.Export):
			r = &m.detail.Run
		default:
			return m, nil
		}
	case m.panel != nil:
		// The list's keys would act on a run hidden under the table.
		if key.Matches(msg, k.Back) {
			m.panel = nil
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Up):
		if m.cursor > 0 {
			m.cursor--
		}
	case key.Matches(msg, k.Down):
		if m.cursor < len(m.runs)-1 {
			m.cursor++
		}
	case key.Matches(msg, k.Top):
		m.cursor = 0
	case key.Matches(msg, k.Bottom):
		m.cursor = max(len(m.runs)-1, 0)
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.input.SetValue(m.filter)
		return m, m.input.Focus()
	case key.Matches(msg, k.Sort):
		m.nextSort()
		return m, tea.Batch(m.load(), m.sortStatus())
	case key.Matches(msg, k.Metric):
		m.metric = nextRunMetric(m.metric)
		if c := runColumns[m.sortCol].sort; c == "val_key" || c == "test_key" {
			m.desc = !trainer.LowerIsBetter("val_" + m.metric) // best first
		}
		// Say what m changed (it said "sorted by date, descending"), the
		// whole name too, which the column's title may cut.
		shown := m.metric
		if shown == "" {
			shown = "each run's key metric"
		}
		return m, tea.Batch(m.load(), status("BEST VAL and TEST show "+shown+"; m for the next"))
	case key.Matches(msg, k.Reverse):
		m.desc = !m.desc
		return m, tea.Batch(m.load(), m.sortStatus())
	case key.Matches(msg, k.Back):
		if m.filter != "" {
			m.filter = ""
			m.input.SetValue("")
			return m.applyFilter()
		}
	case r == nil:
		return m, nil
	case key.Matches(msg, k.Select):
		m.selected[r.ID] = !m.selected[r.ID]
		if !m.selected[r.ID] {
			delete(m.selected, r.ID)
		}
		if m.cursor < len(m.runs)-1 {
			m.cursor++
		}
	case key.Matches(msg, k.Open):
		return m, loadDetail(m.store, r.ID)
	case key.Matches(msg, k.Sweep):
		if r.SweepID == "" {
			return m, func() tea.Msg { return statusMsg{text: "this run is not a trial of a sweep", err: true} }
		}
		m.sweep, m.sweepOpen = newSweepView(m.styles, r.SweepID), true
		m.sweep.Focus()
		m.sweep.SetSize(m.w, m.h)
		// Its own line replaces an earlier one, such as "this run is not a
		// trial of a sweep", which stayed over the sweep.
		opened := "sweep " + r.SweepID + ": esc returns to the runs"
		return m, tea.Batch(loadSweep(m.store, r.SweepID), func() tea.Msg { return statusMsg{text: opened} })
	case key.Matches(msg, k.Clone), key.Matches(msg, k.Rerun):
		// The list holds summaries: the spec comes from the store.
		store, id, clone := m.store, r.ID, key.Matches(msg, k.Clone)
		return m, func() tea.Msg {
			full, err := store.GetRun(context.Background(), id)
			if err != nil {
				return statusMsg{text: err.Error(), err: true}
			}
			if clone {
				return editSpecMsg{spec: full.Spec, from: id}
			}
			if err := sessions.NotRerunnable(full); err != nil {
				text := err.Error() // it trained a member's spec
				if full.Kind == sessions.KindEnsemble {
					// The store's reason names the command; here the key does it.
					text = fmt.Sprintf("run %s is an ensemble of %d runs, not trained from a spec: re-run its members, then select them (space) and press E", id, len(full.Members))
				}
				return statusMsg{text: text, err: true}
			}
			return startRunsMsg{specs: []trainer.Spec{full.Spec}}
		}
	case key.Matches(msg, k.Delete):
		m.confirm = r.ID
	case key.Matches(msg, k.Export):
		name, err := sessions.ExportFileName(r.ID)
		if err != nil {
			return m, func() tea.Msg { return statusMsg{text: "cannot export: " + err.Error(), err: true} }
		}
		if _, err := os.Lstat(name); err == nil {
			m.replace = r.ID
			return m, nil
		}
		return m, exportRun(m.store, r.ID, name, false)
	case key.Matches(msg, k.Compare):
		ids := m.selectedIDs()
		if len(ids) < 2 {
			return m, func() tea.Msg { return statusMsg{text: "select two or more runs with space, then C", err: true} }
		}
		return m, func() tea.Msg { return compareRunsMsg{ids: ids} }
	case key.Matches(msg, k.Combine):
		ids := m.selectedIDs()
		if len(ids) < 2 {
			return m, func() tea.Msg { return statusMsg{text: "select two or more runs with space, then E", err: true} }
		}
		return m, tea.Batch(ensembleRuns(m.store, ids), func() tea.Msg { return statusMsg{text: "ensembling…"} })
	case key.Matches(msg, k.Shrink):
		return m, tea.Batch(compressRun(m.store, r.ID), func() tea.Msg { return statusMsg{text: "compressing " + r.ID + "…"} })
	case key.Matches(msg, k.Explain):
		return m, tea.Batch(explainRun(m.store, r.ID), func() tea.Msg { return statusMsg{text: "measuring importances…"} })
	}
	return m, nil
}

// selectedIDs returns the selected runs in table order.
func (m runsModel) selectedIDs() []string {
	var ids []string
	for _, r := range m.runs {
		if m.selected[r.ID] {
			ids = append(ids, r.ID)
		}
	}
	return ids
}
