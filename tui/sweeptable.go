package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"workbench/numfmt"
	"workbench/trainer"
)

// candidate reports whether a trial can rank as the sweep's best: pruned,
// diverged, stopped or failed trials rank below every other, as in Optuna.
func candidate(r *liveRun) bool {
	switch statusLabel(r) {
	case "pruned", "diverged", "stopped", "failed", "interrupted":
		return false
	}
	return true
}

// sweepTable is the live ranked table of the trials of the selected run's
// sweep: rank, trial, status, epoch, the best validation key metric so far
// and a sparkline of it, best first.
func (m trainModel) sweepTable(sel *liveRun, w, h int) string {
	st := m.styles
	var trials []*liveRun
	for _, r := range m.runs {
		if r.sweep == sel.sweep {
			trials = append(trials, r)
		}
	}
	score := func(r *liveRun) (float64, bool) {
		v, ok := r.best[r.rankMetric()]
		return v, ok && finite(v)
	}
	sort.SliceStable(trials, func(i, j int) bool {
		ci, cj := candidate(trials[i]), candidate(trials[j])
		if ci != cj {
			return ci
		}
		vi, oki := score(trials[i])
		vj, okj := score(trials[j])
		if oki != okj {
			return oki
		}
		lower := trainer.LowerIsBetter("val_" + trials[i].rankMetric())
		return (lower && vi < vj) || (!lower && vi > vj)
	})
	// Columns as wide as what they hold (early_stopped, best accuracy):
	// the trial's name takes no more than its longest, so the rest fits.
	nameW := 12
	for _, r := range trials {
		nameW = max(nameW, lipgloss.Width(trialName(r)))
	}
	nameW = min(nameW, max(w/3, 12), 40)
	const statusW = 14 // "target_reached"
	// Headings that cannot run together: "epoch best accuracy  val
	// accuracy" read as two columns of three words.
	bestHead := "best val " + sel.rankMetric()
	bestW := min(max(lipgloss.Width(bestHead), 10), 22)
	epochW := 6 // "epochs"
	for _, r := range trials {
		epochW = max(epochW, len(trialEpochs(r)))
	}
	sparkW := max(w-nameW-statusW-bestW-epochW-11, 8)
	head := fmt.Sprintf("%3s  %-*s %-*s %*s  %*s  %s", "#", nameW, "trial", statusW, "status", epochW, "epochs", bestW, truncate(bestHead, bestW), "val "+sel.key+" by epoch")
	lines := []string{st.Header.Render(truncate(fmt.Sprintf("sweep %s: %d trials, best first (pruned and stopped trials rank last) · w back", sel.sweep, len(trials)), w)),
		st.Header.Render(truncate(head, w))}
	for i, r := range trials {
		if len(lines) >= h {
			lines[len(lines)-1] = st.Subtle.Render(fmt.Sprintf("… %d more trials", len(trials)-i+1))
			break
		}
		best := "—"
		if v, ok := score(r); ok {
			best = numfmt.Value(v)
		}
		var vals []float64
		for _, s := range r.metric.series {
			if s.name == "val" {
				vals = s.values()
			}
		}
		line := fmt.Sprintf("%3d  %-*s %-*s %*s  %*s  %s", i+1, nameW, truncateWords(trialName(r), nameW), statusW, truncate(statusLabel(r), statusW), epochW, trialEpochs(r),
			bestW, best, sparkline(vals, sparkW))
		if r == sel {
			line = st.Selected.Render(line)
		}
		lines = append(lines, truncateANSI(line, w))
	}
	return strings.Join(lines, "\n")
}

// trialName is how the sweep table names a trial: its parameters, or its
// run ID.
func trialName(r *liveRun) string {
	if r.trial == "" {
		return r.id
	}
	return r.trial
}

// trialEpochs is a trial's epochs done of its limit, "449/3000": the
// epoch alone did not say whether the trial had ended early.
func trialEpochs(r *liveRun) string {
	done := 0
	if r.last != nil {
		done = r.last.Epoch
	}
	if r.spec.Epochs > 0 {
		return fmt.Sprintf("%d/%d", done, r.spec.Epochs)
	}
	return fmt.Sprintf("%d", done)
}
