package cli

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
	"workbench/tui"
)

// keyMetric returns the metric a run's task is judged by, and its value
// at the best epoch and on the test split.
func keyMetric(r *sessions.Run) (name string, best, test float64, okBest, okTest bool) {
	task, _ := datasets.ParseTask(r.Task)
	k := keyMetricKeys[task]
	best, okBest = r.Metrics[k.best]
	test, okTest = r.Metrics[k.test]
	return k.name, best, test, okBest, okTest
}

// keyMetricKeys holds each task's key metric and its summary keys, so a
// list of many runs builds none of them per row.
var keyMetricKeys = func() map[datasets.Task]struct{ name, best, test string } {
	m := map[datasets.Task]struct{ name, best, test string }{}
	for _, t := range []datasets.Task{datasets.Binary, datasets.Multiclass, datasets.Regression} {
		k := trainer.KeyMetric(t)
		m[t] = struct{ name, best, test string }{k, "best_val_" + k, "test_" + k}
	}
	return m
}()

// epochsOf prints epochs done of the total, with ∞ for a run of no limit
// (epochs 0), as the app does.
func epochsOf(done, total int, sep string) string {
	if total == 0 {
		return fmt.Sprintf("%d%s∞", done, sep)
	}
	return fmt.Sprintf("%d%s%d", done, sep, total)
}

func printRun(w io.Writer, f *sessions.FullRun) {
	r := sessions.CleanRun(&f.Run) // names, notes and tags come from anywhere
	if r.Name != "" {
		fmt.Fprintf(w, "run %s  %s\n", r.ID, r.Name)
	} else {
		fmt.Fprintf(w, "run %s\n", r.ID)
	}
	fmt.Fprintf(w, "status:   %s", r.Status)
	if why := tui.ReasonText(r.Status, r.Reason); why != "" {
		fmt.Fprintf(w, " (%s)", why)
	}
	fmt.Fprintf(w, "\ndata:     %s (%s), hash %.12s\nmodel:    %s\n", r.Dataset, r.Task, r.DataHash, r.Summary)
	switch r.Kind {
	case sessions.KindEnsemble:
		fmt.Fprintf(w, "kind:     ensemble of %s\n", strings.Join(r.Members, ", "))
	case sessions.KindCompressed:
		fmt.Fprintf(w, "kind:     compressed from %s\n", r.Parent)
	}
	switch {
	case r.Kind == sessions.KindEnsemble:
		// Its spec is its first member's: "epochs: 0 of ∞, no best epoch
		// yet, 0 samples/s" and that member's optimizer described nothing.
		fmt.Fprintln(w, "training: none of its own: its members trained")
	case r.Kind == sessions.KindCompressed && r.EpochsDone == 0:
		// As an ensemble's: it read "epochs: 0 of ∞, no best epoch yet".
		fmt.Fprintln(w, "training: none of its own: its parent trained")
	case r.Kind == sessions.KindCompressed:
		fmt.Fprintf(w, "training: its parent's, then %s of fine-tuning\n", epochCount(r.EpochsDone))
	default:
		printTraining(w, r)
		if n, of := f.FoldsTraining(); of > 0 {
			fmt.Fprintf(w, "cv:       %s\n", foldsTraining(n, of, f.History[len(f.History)-1].Epoch))
		}
	}
	if len(r.Tags) > 0 {
		fmt.Fprintf(w, "tags:     %s\n", strings.Join(r.Tags, ", "))
	}
	if r.Notes != "" {
		fmt.Fprintf(w, "notes:    %s\n", r.Notes)
	}
	printMetricsOf(w, f, r)
}

// printTraining prints a trained run's optimizer and epochs.
func printTraining(w io.Writer, r *sessions.Run) {
	o := r.Spec.Optimizer
	batch := fmt.Sprintf("batch %d", r.Spec.BatchSize)
	if r.Spec.BatchSize == 0 {
		batch = "full batch"
	}
	fmt.Fprintf(w, "training: %s lr %s, %s schedule, %s, loss %s, l1 %s, l2 %s, seed %d\n", o.Name, numfmt.Short(o.LR), r.Spec.Schedule.Name,
		batch, r.Spec.Loss, numfmt.Short(r.Spec.L1), numfmt.Short(r.Spec.L2), r.Spec.Seed)
	// A run stopped before its first epoch ended has no best epoch yet.
	best := "no best epoch yet"
	if r.BestEpoch > 0 {
		best = fmt.Sprintf("best %d by %s", r.BestEpoch, orDefault(r.Monitor, "val_loss"))
	}
	// The time and rate are stored when the run ends: a run still
	// training read "0s, 0 samples/s".
	took := numfmt.Duration(r.Duration) + ", " + numfmt.Rate(r.SamplesPerSec) + " samples/s"
	if r.Status == trainer.StatusRunning {
		took = "running for " + numfmt.Duration(time.Since(r.Created).Round(time.Millisecond))
	}
	fmt.Fprintf(w, "epochs:   %s, %s, %s\n", epochsOf(r.EpochsDone, r.EpochsTotal, " of "), best, took)
}

// printMetricsOf prints a run's best and test metrics and what follows;
// r is f's run, its text cleaned.
func printMetricsOf(w io.Writer, f *sessions.FullRun, r *sessions.Run) {
	keys := make([]string, 0, len(r.Metrics))
	for k := range r.Metrics {
		if strings.HasPrefix(k, "best_") || strings.HasPrefix(k, "test_") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	switch {
	case len(keys) == 0: // no heading over nothing
	case r.BestEpoch > 0:
		fmt.Fprintf(w, "\nmetrics (best_… are the values at epoch %d, the best by %s):\n", r.BestEpoch, orDefault(r.Monitor, "val_loss"))
	default:
		fmt.Fprintln(w, "\nmetrics:")
	}
	if d := r.DecisionNote(true); d != "" && len(keys) > 0 {
		fmt.Fprintf(w, "%s\n", d)
	}
	if c := r.CalibrationNote(true); c != "" && len(keys) > 0 {
		fmt.Fprintf(w, "%s\n", c)
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, k := range keys {
		fmt.Fprintf(tw, "  %s\t%s\n", k, numfmt.Value(r.Metrics[k]))
	}
	tw.Flush()
	if f.Evaluation != nil && len(f.Evaluation.Test.Confusion) > 0 {
		at := ""
		if th, ok := f.Evaluation.Test.Metrics["threshold"]; ok { // not at 0.5: say so
			at = " at threshold " + numfmt.Value(th)
		}
		fmt.Fprintf(w, "\ntest confusion matrix%s (rows: actual, columns: predicted):\n", at)
		printConfusion(w, f.Evaluation.Test.Confusion, r.Classes)
	}
	if f.Evaluation != nil {
		printEvaluationNotes(w, f.Evaluation, r)
	}
	if n := len(f.History); n > 0 {
		key, _, _, _, _ := keyMetric(r)
		if last := f.History[n-1].Epoch; last > n {
			// Past sessions.ThinAfter epochs the recorder keeps a subset.
			fmt.Fprintf(w, "\nhistory (%d of %d epochs kept: every epoch up to %d, then fewer the longer the run, and the last; val_%s at each):\n",
				n, last, sessions.ThinAfter, key)
		} else {
			fmt.Fprintf(w, "\nhistory (%s; val_%s at each):\n", epochCount(n), key)
		}
		step := max(1, n/10)
		var shown []sessions.Epoch
		for i := 0; i < n; i += step {
			shown = append(shown, f.History[i])
		}
		if (n-1)%step != 0 {
			shown = append(shown, f.History[n-1])
		}
		// Each column as wide as its widest value, right-aligned: a value
		// in exponent form (3.2e-05) threw the columns after it out of line.
		cells := make([][3]string, len(shown))
		var width [3]int
		for i, h := range shown {
			cells[i] = [3]string{numfmt.Value(h.Train["loss"]), numfmt.Value(h.Val["loss"]), numfmt.Value(h.Val[key])}
			for c, v := range cells[i] {
				width[c] = max(width[c], utf8.RuneCountInString(v))
			}
		}
		for i, h := range shown {
			c := cells[i]
			fmt.Fprintf(w, "  %4d  loss %*s  val_loss %*s  val_%s %*s%s\n", h.Epoch, width[0], c[0], width[1], c[1],
				key, width[2], c[2], foldsNote(f, h))
		}
	}
	printLayerHealth(w, f.History)
}

// foldsNote says, for an epoch of a cross-validated run after some folds
// stopped early, how many folds its mean covers: "  (mean of 3/5 folds)".
func foldsNote(f *sessions.FullRun, h sessions.Epoch) string {
	if n, of := f.EpochFolds(h); n < of {
		return fmt.Sprintf("  (mean of %d/%d folds)", n, of)
	}
	return ""
}

// showJSON is runs show --json's object: the run as an export holds it
// and, for a cross-validated run still training, how many of its folds
// still train (the text's "cv:" line).
type showJSON struct {
	*sessions.FullRun
	CVTraining *cvTrainingJSON `json:"cv_training,omitempty"`
}

type cvTrainingJSON struct {
	Folds    int `json:"folds"`    // the spec's K
	Training int `json:"training"` // the folds still training; Epoch is their mean
	Epoch    int `json:"epoch"`
}

func runShowJSON(f *sessions.FullRun) showJSON {
	out := showJSON{FullRun: f}
	if n, of := f.FoldsTraining(); of > 0 {
		out.CVTraining = &cvTrainingJSON{Folds: of, Training: n, Epoch: f.History[len(f.History)-1].Epoch}
	}
	return out
}

// foldsTraining says how far a cross-validated run still training is:
// its folds train at once, so it names how many still do, of how many,
// and that the newest epoch is their mean.
func foldsTraining(n, of, epoch int) string {
	if n == of {
		return fmt.Sprintf("%d-fold, %d/%d folds training at once (epoch %d is their mean)", of, n, of, epoch)
	}
	mean := fmt.Sprintf("the mean of the %d", n)
	if n == 1 {
		mean = "that fold's alone"
	}
	return fmt.Sprintf("%d-fold, %d/%d folds training (%d stopped early; epoch %d is %s)", of, n, of, of-n, epoch, mean)
}

func printConfusion(w io.Writer, cm [][]int, classes []string) {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', tabwriter.AlignRight)
	name := func(i int) string {
		if i < len(classes) {
			return classes[i]
		}
		return fmt.Sprint(i)
	}
	fmt.Fprint(tw, "\t")
	for j := range cm {
		fmt.Fprintf(tw, "%s\t", name(j))
	}
	fmt.Fprintln(tw)
	for i, row := range cm {
		fmt.Fprintf(tw, "%s\t", name(i))
		for _, v := range row {
			fmt.Fprintf(tw, "%d\t", v)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// printComparison prints runs side by side: a column per run under its
// ID, the same columns through every section. (A tabwriter ended its
// columns at each section's title line, so the IDs stood over nothing and
// each section had columns of its own widths.)
func printComparison(w io.Writer, c *sessions.Comparison) {
	c = sessions.CleanComparison(c)
	var rows [][]string // a row of one cell is a section's title
	head := []string{""}
	for _, r := range c.Runs {
		head = append(head, truncate(r.ID, 32))
	}
	rows = append(rows, head, []string{"hyperparameters that differ:"})
	if len(c.Diff) == 0 {
		rows = append(rows, []string{"  (none: same spec)"})
	}
	for _, d := range c.Diff {
		row := []string{"  " + d.Field}
		for i := range d.Values {
			row = append(row, truncate(d.Shown(i), 32))
		}
		rows = append(rows, row)
	}
	title := "metrics (* best):"
	for _, m := range c.Metrics {
		if m.Std != nil {
			title = "metrics (* best; ~ within one std of the best over folds: not significant):"
			break
		}
	}
	rows = append(rows, []string{title})
	for _, m := range c.Metrics {
		row := []string{"  " + m.Key}
		for i, v := range m.Values {
			mark := ""
			switch {
			case m.Stars[i]:
				mark = " *"
			case m.NotSignificant != nil && m.NotSignificant[i]:
				mark = " ~"
			}
			cell := fmtMetric(v, m.Have[i])
			if m.Std != nil && m.HasStd[i] && m.Have[i] {
				cell += " ± " + numfmt.Value(m.Std[i])
			}
			row = append(row, cell+mark)
		}
		rows = append(rows, row)
	}
	rows = append(rows, []string{"val_loss by epoch:"})
	step := max(1, c.Epochs/10)
	for ep := 1; ep <= c.Epochs; ep += step {
		row := []string{fmt.Sprintf("  epoch %d", ep)}
		for _, h := range c.Histories {
			if ep <= len(h) {
				row = append(row, numfmt.Value(h[ep-1].Val["loss"]))
			} else {
				row = append(row, "—")
			}
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(c.Runs)+1)
	for _, row := range rows {
		if len(row) == 1 && row[0] != "" {
			continue // a title spans the columns
		}
		for j, cell := range row {
			widths[j] = max(widths[j], utf8.RuneCountInString(cell))
		}
	}
	bw := bufio.NewWriter(w)
	for _, row := range rows {
		var line strings.Builder
		for j, cell := range row {
			line.WriteString(cell)
			if j < len(row)-1 && len(row) > 1 {
				line.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(cell)+2))
			}
		}
		fmt.Fprintln(bw, strings.TrimRight(line.String(), " "))
	}
	bw.Flush()
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
