package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

func init() {
	register(&command{
		name:    "runs",
		summary: "List, show, compare, export, import, delete and re-run saved runs",
		usage:   "list|show|compare|export|import|rm|rerun|rename|tag|note [args] [flags]",
		examples: []string{
			"workbench runs list --filter status=done --filter 'val_accuracy>0.9' --sort -val_accuracy",
			"workbench runs show 20261128-185456-3fa9c2",
			"workbench runs compare ID1 ID2 --json",
			"workbench runs export --format csv -o runs.csv",
			"workbench runs export ID --format history",
			"workbench runs import runs.json --db other.db",
			"workbench runs rerun ID",
			"workbench runs tag ID baseline wide",
		},
		run: runRuns,
	})
}

// addDBFlag registers --db; the store path is resolved by openStore.
func addDBFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "the session store (default $WORKBENCH_DB, else $XDG_DATA_HOME/workbench/workbench.db)")
}

func openStore(e *env, db string) (*sessions.SQLite, error) {
	if db == "" {
		db = sessions.DefaultPath(e.getenv)
	}
	return sessions.Open(db)
}

func runRuns(e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return dispatchHelp(e, "runs")
		}
		args = append([]string{"list"}, args...)
	}
	sub, args := args[0], args[1:]
	c := findCommand("runs")
	fs := newFlags(e, c)
	db := addDBFlag(fs)
	jsonOut := fs.Bool("json", false, "print JSON")
	var q sessions.Query
	var filters []string
	fs.Func("filter", "a filter such as status=done, dataset=iris, tag=x, text~word or val_accuracy>0.9 (repeatable)", func(s string) error {
		filters = append(filters, s)
		return q.ParseFilter(s)
	})
	sortBy := fs.String("sort", "-created", "sort by a column (created, name, status, dataset, epochs, duration, lr) or a metric (val_accuracy = its best value, test_f1, …); - for descending")
	limit := fs.Int("limit", 0, "list at most this many runs")
	format := fs.String("format", "json", "export: json (complete runs), csv (a row per run) or history (one run's epochs)")
	outFile := fs.String("o", "", "export: write to this file instead of stdout")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	store, err := openStore(e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()
	needIDs := func(min int) error {
		if len(pos) < min {
			return usagef("%s needs %d run ID(s)", sub, min)
		}
		return nil
	}
	switch sub {
	case "list", "ls":
		if !sessions.ValidSort(*sortBy) {
			return usagef("--sort: unknown column %q", *sortBy)
		}
		q.Sort, q.Limit = *sortBy, *limit
		runs, err := store.ListRuns(ctx, q)
		if err != nil {
			return err
		}
		if *jsonOut {
			if runs == nil {
				runs = []*sessions.Run{}
			}
			return writeJSON(e.stdout, runs, true)
		}
		printRunList(e.stdout, runs)
		return nil
	case "show":
		if err := needIDs(1); err != nil {
			return err
		}
		f, err := sessions.LoadFull(ctx, store, pos[0])
		if err != nil {
			return err
		}
		if *jsonOut {
			f.Weights = nil
			return writeJSON(e.stdout, f, true)
		}
		printRun(e.stdout, f)
		return nil
	case "compare":
		if err := needIDs(2); err != nil {
			return err
		}
		c, err := sessions.Compare(ctx, store, pos)
		if err != nil {
			return err
		}
		if *jsonOut {
			return writeJSON(e.stdout, c, true)
		}
		printComparison(e.stdout, c)
		return nil
	case "export":
		w := e.stdout
		if *outFile != "" {
			f, err := os.Create(*outFile)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		switch *format {
		case "json":
			return sessions.ExportJSON(ctx, store, pos, w)
		case "csv":
			return sessions.ExportCSV(ctx, store, pos, w)
		case "history":
			if len(pos) != 1 {
				return usagef("--format history exports one run: give its ID")
			}
			return sessions.ExportHistoryCSV(ctx, store, pos[0], w)
		}
		return usagef("--format: %q is not json, csv or history", *format)
	case "import":
		if len(pos) != 1 {
			return usagef("import takes one file (- for stdin)")
		}
		var r io.Reader = e.stdin
		if pos[0] != "-" {
			f, err := os.Open(pos[0])
			if err != nil {
				return err
			}
			defer f.Close()
			r = f
		}
		ex, err := sessions.ReadExport(r)
		if err != nil {
			return err
		}
		n, err := sessions.Import(ctx, store, ex)
		fmt.Fprintf(e.stdout, "imported %d of %d runs into %s\n", n, len(ex.Runs), store.Path())
		return err
	case "rm":
		if err := needIDs(1); err != nil {
			return err
		}
		if err := store.DeleteRuns(ctx, pos...); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "deleted %d run(s)\n", len(pos))
		return nil
	case "rename":
		if len(pos) != 2 {
			return usagef("rename takes an ID and a name")
		}
		return store.UpdateRun(ctx, pos[0], sessions.Patch{Name: &pos[1]})
	case "note":
		if len(pos) != 2 {
			return usagef("note takes an ID and the text")
		}
		return store.UpdateRun(ctx, pos[0], sessions.Patch{Notes: &pos[1]})
	case "tag":
		if err := needIDs(1); err != nil {
			return err
		}
		tags := pos[1:]
		return store.UpdateRun(ctx, pos[0], sessions.Patch{Tags: &tags})
	case "rerun":
		if len(pos) != 1 {
			return usagef("rerun takes one run ID")
		}
		r, err := store.GetRun(ctx, pos[0])
		if err != nil {
			return err
		}
		data, err := loadData(e, r.Spec.Data)
		if err != nil {
			return err
		}
		return trainAndPrint(e, store, r.Spec, data, *jsonOut)
	}
	return usagef("unknown subcommand %q", sub)
}

// dispatchHelp prints a command's help.
func dispatchHelp(e *env, name string) error {
	fs := newFlags(e, findCommand(name))
	_, err := parseFlags(fs, []string{"--help"})
	return err
}

// keyMetric returns the metric a run's task is judged by, and its value
// at the best epoch and on the test split.
func keyMetric(r *sessions.Run) (name string, best, test float64, okBest, okTest bool) {
	task, _ := datasets.ParseTask(r.Task)
	name = trainer.KeyMetric(task)
	best, okBest = r.Metrics["best_val_"+name]
	test, okTest = r.Metrics["test_"+name]
	return
}

func fmtMetric(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	if math.IsNaN(v) {
		return "NaN"
	}
	return fmt.Sprintf("%.4f", v)
}

func printRunList(w io.Writer, runs []*sessions.Run) {
	if len(runs) == 0 {
		fmt.Fprintln(w, "no runs yet: try 'workbench train'")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tDATASET\tARCHITECTURE\tOPT\tLR\tSTATUS\tBEST VAL\tTEST\tEPOCHS\tDURATION\tCREATED")
	for _, r := range runs {
		m, b, t, okB, okT := keyMetric(r)
		arch := r.Summary
		if i := strings.LastIndex(arch, ","); i > 0 {
			arch = arch[:i]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%g\t%s\t%s %s\t%s\t%d/%d\t%s\t%s\n", r.ID, r.Name, r.Dataset, arch, r.Spec.Optimizer.Name,
			r.Spec.Optimizer.LR, r.Status, m, fmtMetric(b, okB), fmtMetric(t, okT), r.EpochsDone, r.EpochsTotal,
			r.Duration.Round(time.Millisecond), r.Created.Local().Format("2006-01-02 15:04"))
	}
	tw.Flush()
}

func printRun(w io.Writer, f *sessions.FullRun) {
	r := &f.Run
	fmt.Fprintf(w, "run %s  %s\n", r.ID, r.Name)
	fmt.Fprintf(w, "status:   %s", r.Status)
	if r.Reason != "" {
		fmt.Fprintf(w, " (%s)", r.Reason)
	}
	fmt.Fprintf(w, "\ndata:     %s (%s), hash %.12s\nmodel:    %s\n", r.Dataset, r.Task, r.DataHash, r.Summary)
	o := r.Spec.Optimizer
	fmt.Fprintf(w, "training: %s lr %g, %s schedule, batch %d, loss %s, l1 %g, l2 %g, seed %d\n", o.Name, o.LR, r.Spec.Schedule.Name,
		r.Spec.BatchSize, r.Spec.Loss, r.Spec.L1, r.Spec.L2, r.Spec.Seed)
	fmt.Fprintf(w, "epochs:   %d of %d, best %d by %s, %s, %.0f samples/s\n", r.EpochsDone, r.EpochsTotal, r.BestEpoch, r.Monitor,
		r.Duration.Round(time.Millisecond), r.SamplesPerSec)
	if len(r.Tags) > 0 {
		fmt.Fprintf(w, "tags:     %s\n", strings.Join(r.Tags, ", "))
	}
	if r.Notes != "" {
		fmt.Fprintf(w, "notes:    %s\n", r.Notes)
	}
	keys := make([]string, 0, len(r.Metrics))
	for k := range r.Metrics {
		if strings.HasPrefix(k, "best_") || strings.HasPrefix(k, "test_") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	fmt.Fprintln(w, "\nmetrics:")
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, k := range keys {
		fmt.Fprintf(tw, "  %s\t%.4f\n", k, r.Metrics[k])
	}
	tw.Flush()
	if f.Evaluation != nil && len(f.Evaluation.Test.Confusion) > 0 {
		fmt.Fprintln(w, "\ntest confusion matrix (rows: actual, columns: predicted):")
		printConfusion(w, f.Evaluation.Test.Confusion, r.Classes)
	}
	if n := len(f.History); n > 0 {
		fmt.Fprintf(w, "\nhistory (%d epochs):\n", n)
		step := max(1, n/10)
		for i := 0; i < n; i += step {
			h := f.History[i]
			fmt.Fprintf(w, "  %4d  loss %.4f  %s\n", h.Epoch, h.Train["loss"], metricLine("val_", h.Val))
		}
		if (n-1)%step != 0 {
			h := f.History[n-1]
			fmt.Fprintf(w, "  %4d  loss %.4f  %s\n", h.Epoch, h.Train["loss"], metricLine("val_", h.Val))
		}
	}
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

func printComparison(w io.Writer, c *sessions.Comparison) {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprint(tw, "\t")
	for _, r := range c.Runs {
		fmt.Fprintf(tw, "%s\t", r.ID)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "hyperparameters that differ:")
	if len(c.Diff) == 0 {
		fmt.Fprintln(tw, "  (none: same spec)")
	}
	for _, d := range c.Diff {
		fmt.Fprintf(tw, "  %s\t%s\n", d.Field, strings.Join(d.Values, "\t"))
	}
	fmt.Fprintln(tw, "metrics (* best):")
	for _, m := range c.Metrics {
		fmt.Fprintf(tw, "  %s\t", m.Key)
		for i, v := range m.Values {
			mark := ""
			if i == m.Best {
				mark = " *"
			}
			fmt.Fprintf(tw, "%s%s\t", fmtMetric(v, m.Have[i]), mark)
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintln(tw, "val_loss by epoch:")
	step := max(1, c.Epochs/10)
	for ep := 1; ep <= c.Epochs; ep += step {
		fmt.Fprintf(tw, "  epoch %d\t", ep)
		for _, h := range c.Histories {
			if ep <= len(h) {
				fmt.Fprintf(tw, "%.4f\t", h[ep-1].Val["loss"])
			} else {
				fmt.Fprint(tw, "—\t")
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}
