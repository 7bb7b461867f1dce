package tui

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/atomicfile"
	"workbench/sessions"
)

// query is what the list shows: the filter and the store's sort key
// (key metrics, which differ by task, are sorted here by sortRuns); key
// identifies it, so a refresh can tell whether it may merge changes.
func (m runsModel) query() (q sessions.Query, sortKey string, key string) {
	q, _ = filterQuery(m.filter)
	sortKey = runColumns[m.sortCol].sort
	col := sortKey
	if col == "val_key" || col == "test_key" {
		col = "created"
	}
	q.Sort = col
	if m.desc {
		q.Sort = "-" + col
	}
	if m.metric != "" {
		q.Metrics = []string{"best_val_" + m.metric, "test_" + m.metric}
	}
	return q, sortKey, fmt.Sprintf("%s\x00%s\x00%v\x00%s", m.filter, sortKey, m.desc, m.metric)
}

// load queries the store off the UI path: the whole list the first time
// and when the filter or sort changes, else only the runs changed since
// the last look (nothing at all when none did), so an idle Runs screen
// costs one small query per refresh whatever the number of runs.
func (m runsModel) load() tea.Cmd {
	if m.store == nil || m.filterErr != nil {
		return nil // a bad filter lists nothing: the list says why
	}
	store := m.store
	q, sortKey, key := m.query()
	desc, metric := m.desc, m.metric
	ctx := context.Background()
	if m.seq > 0 && key == m.key {
		from := m.seq
		return func() tea.Msg {
			c, err := store.ListChangedSince(ctx, q, from)
			if err != nil {
				return runsLoadedMsg{err: err, key: key}
			}
			if len(c.Changed) == 0 {
				return nil // nothing changed: from still stands
			}
			return runsLoadedMsg{runs: cleanRuns(c.Runs), changed: c.Changed, key: key, from: from, seq: c.Seq}
		}
	}
	return func() tea.Msg {
		// The sequence first: a change between the two reads comes again
		// next time, which merging tolerates.
		seq, err := store.ChangeSeq(ctx)
		if err != nil {
			return runsLoadedMsg{err: err, key: key, full: true}
		}
		runs, err := store.ListSummaries(ctx, q)
		if err == nil && (sortKey == "val_key" || sortKey == "test_key") {
			sortRuns(runs, sortKey, metric, desc)
		}
		return runsLoadedMsg{runs: cleanRuns(runs), err: err, key: key, full: true, seq: seq}
	}
}

// cleanRuns makes the runs' text safe for the terminal (see
// sessions.CleanRun), keeping IDs as stored so they still name the runs.
func cleanRuns(runs []*sessions.Run) []*sessions.Run {
	for i, r := range runs {
		c := sessions.CleanRun(r)
		c.ID = r.ID
		runs[i] = c
	}
	return runs
}

// merge applies an incremental load to the list: it drops every changed
// or deleted run, adds the changed runs the filter selects, and sorts the
// list as the store would.
func (m *runsModel) merge(msg runsLoadedMsg) {
	drop := make(map[string]bool, len(msg.changed))
	for _, id := range msg.changed {
		drop[id] = true
	}
	kept := m.runs[:0:0]
	for _, r := range m.runs {
		if !drop[r.ID] {
			kept = append(kept, r)
		}
	}
	kept = append(kept, msg.runs...)
	for id := range m.selected {
		if drop[id] && !slices.ContainsFunc(msg.runs, func(r *sessions.Run) bool { return r.ID == id }) {
			delete(m.selected, id) // deleted elsewhere
		}
	}
	_, sortKey, _ := m.query()
	sortRuns(kept, sortKey, m.metric, m.desc)
	m.runs = kept
}

// sortRuns orders runs by a column as ListSummaries does (the column, then
// the ID, both in the same direction), or by a metric column (the chosen
// metric, or each run's key metric) with the runs that lack it last and
// ties newest first.
func sortRuns(runs []*sessions.Run, sortKey, metric string, desc bool) {
	sign := 1
	if desc {
		sign = -1
	}
	var by func(a, b *sessions.Run) int
	switch sortKey {
	case "name":
		by = func(a, b *sessions.Run) int { return cmp.Compare(a.Name, b.Name) }
	case "dataset":
		by = func(a, b *sessions.Run) int { return cmp.Compare(a.Dataset, b.Dataset) }
	case "summary":
		by = func(a, b *sessions.Run) int { return cmp.Compare(a.Summary, b.Summary) }
	case "tags": // as the store sorts them: by their JSON text
		by = func(a, b *sessions.Run) int { return cmp.Compare(tagsJSON(a), tagsJSON(b)) }
	case "optimizer":
		by = func(a, b *sessions.Run) int { return cmp.Compare(a.Spec.Optimizer.Name, b.Spec.Optimizer.Name) }
	case "lr":
		by = func(a, b *sessions.Run) int { return cmp.Compare(a.Spec.Optimizer.LR, b.Spec.Optimizer.LR) }
	case "status":
		by = func(a, b *sessions.Run) int { return cmp.Compare(a.Status, b.Status) }
	case "epochs":
		by = func(a, b *sessions.Run) int { return cmp.Compare(a.EpochsDone, b.EpochsDone) }
	case "duration":
		by = func(a, b *sessions.Run) int { return cmp.Compare(a.Duration, b.Duration) }
	case "val_key", "test_key":
		prefix := map[string]string{"val_key": "best_val_", "test_key": "test_"}[sortKey]
		val := func(r *sessions.Run) (float64, bool) {
			v, ok := r.Metrics[runMetricOf(r, prefix, metric)]
			return v, ok
		}
		slices.SortStableFunc(runs, func(a, b *sessions.Run) int {
			va, okA := val(a)
			vb, okB := val(b)
			switch {
			case okA != okB:
				if okA {
					return -1
				}
				return 1
			case okA && va != vb:
				return sign * cmp.Compare(va, vb)
			}
			return sign * cmp.Or(cmp.Compare(createdNanos(a), createdNanos(b)), cmp.Compare(a.ID, b.ID))
		})
		return
	default:
		by = func(a, b *sessions.Run) int { return cmp.Compare(createdNanos(a), createdNanos(b)) }
	}
	slices.SortFunc(runs, func(a, b *sessions.Run) int {
		return sign * cmp.Or(by(a, b), cmp.Compare(a.ID, b.ID))
	})
}

func createdNanos(r *sessions.Run) int64 {
	if r.Created.IsZero() {
		return 0
	}
	return r.Created.UnixNano()
}

// exportRun writes run id's JSON export to name all at once, replacing an
// existing file only when force is set.
func exportRun(store sessions.Store, id, name string, force bool) tea.Cmd {
	return func() tea.Msg {
		err := atomicfile.Write(name, force, func(w io.Writer) error {
			return sessions.ExportJSON(context.Background(), store, []string{id}, w)
		})
		if err != nil {
			return statusMsg{text: "export: " + err.Error(), err: true}
		}
		return statusMsg{text: "exported to " + name}
	}
}

// loadDetail reads a run with its history for the detail view.
func loadDetail(store sessions.Store, id string) tea.Cmd {
	return func() tea.Msg {
		f, err := sessions.LoadFull(context.Background(), store, id)
		if err == nil {
			f.Run = *sessions.CleanRun(&f.Run)
			f.Run.ID = id
		}
		return runDetailMsg{run: f, err: err}
	}
}

// reloadDetail reads the open run again when ids (a pushed change) name
// it, or say that anything may have changed (""), so that the curve of a
// run training elsewhere grows.
func (m runsModel) reloadDetail(ids []string) tea.Cmd {
	if m.detail == nil || m.store == nil {
		return nil
	}
	if !slices.Contains(ids, m.detail.ID) && !slices.Contains(ids, "") {
		return nil
	}
	load := loadDetail(m.store, m.detail.ID)
	return func() tea.Msg {
		msg := load().(runDetailMsg)
		msg.reload = true
		return msg
	}
}

// filterQuery reads what was typed after /: words are searched in each
// run's name, notes, ID, dataset, architecture and tags, and words with an
// operator are the CLI's filters (dataset=digits, tag=x, val_accuracy>0.9).
// A filter that does not parse, or names no status or metric a run can
// have, is an error.
func filterQuery(text string) (sessions.Query, error) {
	var q sessions.Query
	var words []string
	var first error
	for _, w := range strings.Fields(text) {
		if !strings.ContainsAny(w, "=<>~") {
			words = append(words, w)
			continue
		}
		err := q.ParseFilter(w)
		if err == nil {
			err = sessions.CheckFilterMetric(w) // val_acc matched no run, in silence
		}
		if err != nil && first == nil {
			first = err
		}
	}
	if len(words) > 0 {
		q.Text = strings.Join(words, " ")
	}
	return q, first
}

// tagsJSON is a run's tags as the store keeps them.
func tagsJSON(r *sessions.Run) string {
	if len(r.Tags) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(r.Tags)
	return string(b)
}

// applyFilter lists the runs m.filter selects. A filter that is refused
// lists none (status=bogus listed every run, val_acc>0.9 none, in silence)
// and says why; the next one that is not clears the error.
func (m runsModel) applyFilter() (runsModel, tea.Cmd) {
	wasBad := m.filterErr != nil
	_, m.filterErr = filterQuery(m.filter)
	if m.filterErr != nil {
		// The store's reason names the fields or gives an example itself:
		// a list of filters after it said them twice, and cut both at 120
		// columns.
		m.runs, m.cursor, m.offset, m.key, m.seq = nil, 0, 0, "", 0
		text := m.filterErr.Error()
		return m, func() tea.Msg { return statusMsg{text: text, err: true} }
	}
	if wasBad {
		return m, tea.Batch(m.load(), status(""))
	}
	return m, m.load()
}
