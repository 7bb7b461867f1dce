package tui

import (
	"context"
	"fmt"
	"math"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/analysis"
	"workbench/numfmt"
	"workbench/sessions"
)

// The Runs screen's analysis actions: E ensembles the selected runs, z
// compresses the run under the cursor, i shows its permutation
// importances. Each works off the UI path and answers with an
// analysisDoneMsg, whose result the Runs screen shows over its list until
// esc.

// appCompress is what the app's compress action does: the issue's
// acceptance recipe, prune half the weights, fine-tune briefly, then int8.
var appCompress = analysis.CompressOptions{Prune: 0.5, FinetuneEpochs: 3, Quantize: "int8"}

// ensembleRuns combines runs into a stored ensemble.
func ensembleRuns(store sessions.Store, ids []string) tea.Cmd {
	return func() tea.Msg {
		res, err := analysis.Ensemble(context.Background(), store, ids, analysis.EnsembleOptions{})
		return analysisDoneMsg{ensemble: res, err: err}
	}
}

// compressRun compresses run id into a stored derived run.
func compressRun(store sessions.Store, id string) tea.Cmd {
	return func() tea.Msg {
		res, err := analysis.Compress(context.Background(), store, id, appCompress)
		return analysisDoneMsg{compress: res, err: err}
	}
}

// explainRun measures run id's permutation importances.
func explainRun(store sessions.Store, id string) tea.Cmd {
	return func() tea.Msg {
		res, err := analysis.PermutationImportance(context.Background(), store, id, analysis.ExplainOptions{Repeats: 5, Seed: 1})
		return analysisDoneMsg{importance: res, err: err}
	}
}

// analysisView renders a result to fit w columns.
func analysisView(msg analysisDoneMsg, st *Styles, w int) string {
	switch {
	case msg.ensemble != nil:
		return ensembleView(msg.ensemble, st, w)
	case msg.compress != nil:
		return compressView(msg.compress, st, w)
	case msg.importance != nil:
		return importanceView(msg.importance, st, w)
	}
	return ""
}

func ensembleView(r *analysis.EnsembleResult, st *Styles, w int) string {
	key := r.KeyMetric
	lines := []string{st.Title.Render(truncate(fmt.Sprintf("ensemble %s of %d runs (%s) · saved as %s", r.Method, len(r.Members), r.Task, r.ID), w)),
		st.Header.Render(truncate(fmt.Sprintf("%-24s %8s %10s %10s", "run", "weight", "val "+short(key), "test "+short(key)), w))}
	for _, m := range r.Members {
		name := m.ID
		if m.Name != "" {
			name = m.Name
		}
		lines = append(lines, truncate(fmt.Sprintf("%-24s %8s %10s %10s", truncate(name, 24), numfmt.Value(m.Weight), numfmt.Value(m.Val[key]), numfmt.Value(m.Test[key])), w))
	}
	lines = append(lines, st.Accent.Render(truncate(fmt.Sprintf("%-24s %8s %10s %10s", "ensemble", "", numfmt.Value(r.Val[key]), numfmt.Value(r.Test[key])), w)))
	lines = append(lines, "", gainLine("gain over the best member", r.GainOverBest, st), gainLine("gain over the members' mean", r.GainOverMean, st))
	return strings.Join(lines, "\n")
}

func gainLine(label string, v float64, st *Styles) string {
	s := fmt.Sprintf("%-28s %+.4f", label, v)
	switch {
	case v > 0:
		return st.Good.Render(s)
	case v < 0:
		return st.Bad.Render(s)
	}
	return s
}

func short(metric string) string {
	if metric == "accuracy" {
		return "acc"
	}
	return metric
}

func compressView(r *analysis.CompressResult, st *Styles, w int) string {
	key := r.KeyMetric
	b, a := r.Before, r.After
	row := func(name, before, after string) string {
		return truncate(fmt.Sprintf("%-18s %12s %12s", name, before, after), w)
	}
	itoa := func(v int) string { return fmt.Sprint(v) }
	lines := []string{
		st.Title.Render(truncate(fmt.Sprintf("compress %s: %s · saved as %s", r.ParentID, r.Method, r.ID), w)),
		st.Header.Render(row("", "before", "after")),
		row("parameters", itoa(b.Params), itoa(a.Params)),
		row("non-zero weights", itoa(b.NonZero), itoa(a.NonZero)),
		row("saved bytes", itoa(b.Bytes), itoa(a.Bytes)),
		row("test "+key, numfmt.Value(b.Test[key]), numfmt.Value(a.Test[key])),
	}
	for _, k := range []string{"threshold", "cost"} {
		if v, ok := b.Test[k]; ok {
			lines = append(lines, row("test "+k, numfmt.Value(v), numfmt.Value(a.Test[k])))
		}
	}
	lines = append(lines, row("rows/s (test)", numfmt.Rate(b.RowsPerSec), numfmt.Rate(a.RowsPerSec)))
	return strings.Join(lines, "\n")
}

// importanceView draws the importances as horizontal bars, most important
// first, the baseline on the first line.
func importanceView(r *analysis.ImportanceResult, st *Styles, w int) string {
	lines := []string{
		st.Title.Render(truncate(fmt.Sprintf("permutation importance · %s · %d repeats", r.RunID, r.Repeats), w)),
		wrap(fmt.Sprintf("baseline test %s %s%s; bars: drop when the column is shuffled", r.Metric, numfmt.Value(r.Baseline), thresholdNote(r.Threshold)), w), // wrapped: at 80 columns it lost "is shuffled"
	}
	nameW := 8
	for _, f := range r.Features {
		nameW = max(nameW, min(len([]rune(f.Feature)), 24))
	}
	top := 0.0
	for _, f := range r.Features {
		top = math.Max(top, f.Mean)
	}
	barW := min(max(w-nameW-22, 4), 50)
	for _, f := range r.Features {
		n := 0
		if top > 0 && f.Mean > 0 {
			n = int(math.Round(f.Mean / top * float64(barW)))
		}
		bar := st.Accent.Render(strings.Repeat("█", n)) + strings.Repeat(" ", barW-n)
		lines = append(lines, fmt.Sprintf("%-*s %s %s ± %s", nameW, truncate(f.Feature, nameW), bar, numfmt.Value(f.Mean), numfmt.Value(f.Std)))
	}
	return strings.Join(lines, "\n")
}

// thresholdNote says which threshold a binary run's accuracy is at when
// its decision rule moved it from 0.5.
func thresholdNote(thr float64) string {
	if thr == 0 || thr == 0.5 {
		return ""
	}
	return " at threshold " + numfmt.Value(thr)
}
