package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"workbench/numfmt"
	"workbench/sessions"
)

func newRunsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "runs [flags]",
		Short: "List, show, compare, export, import, delete and re-run saved runs",
		Long: "List, show, compare, export, import, delete and re-run saved runs. 'runs' alone lists them.\n" +
			"A run ID may be given by any unique prefix, or by a unique suffix (the short form Compare shows).",
		Example: examples(
			"workbench runs list --filter status=done --filter 'val_accuracy>0.9' --sort -val_accuracy",
			"workbench runs show 20261128-185456-3fa9c2",
			"workbench runs show 3fa9c2                       # a unique suffix or prefix is enough",
			"workbench runs compare ID1 ID2 --json",
			"workbench runs export --format csv -o runs.csv",
			"workbench runs export ID --format history",
			"workbench runs import runs.json --db other.db",
			"workbench runs rerun ID",
			"workbench runs tag ID baseline wide",
		),
		Args: unknownCommand,
	}
	listRun := addListFlags(e, cmd)
	cmd.RunE = listRun
	list := &cobra.Command{
		Use:     "list [flags]",
		Aliases: []string{"ls"},
		Short:   "List saved runs, filtered and sorted",
		Example: examples(
			"workbench runs list --filter status=done --filter 'val_accuracy>0.9' --sort -val_accuracy",
			"workbench runs list --filter dataset=iris --limit 5 --json",
		),
		Args: noArgs,
	}
	list.RunE = addListFlags(e, list)
	cmd.AddCommand(list, newRunsShowCmd(e), newRunsCompareCmd(e), newRunsExportCmd(e), newRunsImportCmd(e),
		newRunsRmCmd(e), newRunsRenameCmd(e), newRunsNoteCmd(e), newRunsTagCmd(e), newRunsRerunCmd(e))
	return cmd
}

// addListFlags gives cmd the list flags and returns its action.
func addListFlags(e *env, cmd *cobra.Command) func(*cobra.Command, []string) error {
	fs := cmd.Flags()
	jsonOut := fs.Bool("json", false, "print JSON")
	filters := fs.StringArray("filter", nil, "a `filter` such as status=done, dataset=iris, tag=x, text~word or val_accuracy>0.9 (repeatable)")
	sortBy := fs.String("sort", "-created", "sort by a column (created, name, status, dataset, epochs, duration, lr) or a metric (val_accuracy = its value at the best epoch, test_f1, val_cost, …); - for descending")
	limit := fs.Int("limit", 0, "list at most this many runs (0 = all)")
	return func(cmd *cobra.Command, _ []string) error {
		var q sessions.Query
		for _, f := range *filters {
			if err := checkFilter(f); err != nil {
				return err
			}
			if err := q.ParseFilter(f); err != nil {
				return usageError{err.Error()}
			}
		}
		if !sessions.ValidSort(*sortBy) {
			cols := []string{"created", "name", "status", "dataset", "epochs", "duration", "lr"}
			if s := suggest(strings.TrimPrefix(*sortBy, "-"), cols); s != "" {
				return usagef("--sort: unknown column %q; did you mean %s?", *sortBy, s)
			}
			return usagef("--sort: unknown column %q: sort by created, name, status, dataset, epochs, duration, lr or a metric such as val_accuracy; - for descending", *sortBy)
		}
		if err := checkSort(*sortBy); err != nil {
			return err
		}
		if *limit < 0 { // it listed every run
			return usagef("--limit %d: want a number of runs, or 0 for all", *limit)
		}
		q.Sort, q.Limit = *sortBy, *limit
		store, err := openStoreToRead(e, cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		ctx := context.Background()
		if *jsonOut {
			return writeRunsJSON(e.stdout, func(fn func(*sessions.Run) error) error { return store.EachRun(ctx, q, fn) })
		}
		// The table streams summaries: a list of thousands of runs holds
		// only its text in memory.
		extra := sortMetric(*sortBy)
		if extra != "" {
			q.Metrics = []string{extra}
		}
		t := newRunTable(e.stdout, extra)
		if err := t.fill(func(fn func(*sessions.Run) error) error { return store.EachSummary(ctx, q, fn) }); err != nil {
			return err
		}
		if t.rows() == 0 && len(*filters) > 0 {
			fmt.Fprintf(e.stdout, "no runs match %s\n", strings.Join(*filters, " "))
			return nil
		}
		return t.flush()
	}
}

// filterFields are the filter keys that are not metrics.
var filterFields = []string{"status", "dataset", "tag", "text", "name", "sweep"}

// metricKeys are the metric names filters and --sort take: the store's
// list, which Runs' filter in the app checks against too.
func metricKeys() []string { return sessions.FilterMetrics() }

// checkFilter names the nearest metric when a filter has an unknown one.
func checkFilter(expr string) error {
	key := ruleMetric(expr)
	if key == "" || slices.Contains(filterFields, key) {
		return nil
	}
	return checkMetric("--filter", key, metricKeys())
}

// sortMetric returns the summary metric key a --sort names, for a column
// of its own, or "" for a column the table already has.
func sortMetric(s string) string {
	key := strings.TrimPrefix(s, "-")
	if checkSort(s) != nil || slices.Contains([]string{"", "created", "name", "status", "dataset", "epochs", "duration", "lr", "summary", "optimizer", "id", "params"}, key) {
		return ""
	}
	return sessions.MetricKey(key)
}

// checkSort names the nearest metric when --sort has an unknown one.
func checkSort(s string) error {
	key := strings.TrimPrefix(s, "-")
	if key == "" || slices.Contains([]string{"created", "name", "status", "dataset", "epochs", "duration", "lr", "summary", "optimizer", "id", "params"}, key) {
		return nil
	}
	return checkMetric("--sort", key, metricKeys())
}

// withStore opens the store and resolves the run references in args
// (from the first, n of them; n < 0 means all) before calling f.
func withRuns(e *env, n int, f func(store sessions.Store, ids []string, args []string) error) func(*cobra.Command, []string) error {
	return withStore(e, openExistingStore, n, f)
}

// withRunsToRead is withRuns for commands that only read the store (see
// openStoreToRead).
func withRunsToRead(e *env, n int, f func(store sessions.Store, ids []string, args []string) error) func(*cobra.Command, []string) error {
	return withStore(e, openStoreToRead, n, f)
}

func withStore(e *env, open func(*env, *cobra.Command) (*sessions.SQLite, error), n int, f func(store sessions.Store, ids []string, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		store, err := open(e, cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		refs := args
		if n >= 0 {
			refs = args[:min(n, len(args))]
		}
		ids, err := resolveRunIDs(store, refs)
		if err != nil {
			return err
		}
		return f(store, ids, args[len(refs):])
	}
}

func newRunsShowCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:               "show ID [--json]",
		Short:             "Show a run: its spec, metrics at the best epoch, test results and history",
		Example:           examples("workbench runs show 20261128-185456-3fa9c2", "workbench runs show 3fa9c2 --json"),
		Args:              exactArgs(1, "show takes one run ID"),
		ValidArgsFunction: completeRunIDs(e),
	}
	jsonOut := cmd.Flags().Bool("json", false, "print JSON")
	cmd.RunE = withRunsToRead(e, 1, func(store sessions.Store, ids, _ []string) error {
		f, err := sessions.LoadFull(context.Background(), store, ids[0])
		if err != nil {
			return err
		}
		if *jsonOut {
			f.Weights = nil
			return writeJSON(e.stdout, runShowJSON(f), true)
		}
		printRun(e.stdout, f)
		return nil
	})
	return cmd
}

func newRunsCompareCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:               "compare ID ID... [--json]",
		Short:             "Compare runs: the hyperparameters that differ, metrics side by side, val_loss by epoch",
		Example:           examples("workbench runs compare ID1 ID2 --json"),
		Args:              minArgs(2, "compare needs two or more run IDs"),
		ValidArgsFunction: completeRunIDs(e),
	}
	jsonOut := cmd.Flags().Bool("json", false, "print JSON")
	cmd.RunE = withRunsToRead(e, -1, func(store sessions.Store, ids, _ []string) error {
		c, err := sessions.Compare(context.Background(), store, ids)
		if err != nil {
			return err
		}
		if *jsonOut {
			return writeJSON(e.stdout, c, true)
		}
		printComparison(e.stdout, c)
		return nil
	})
	return cmd
}

func newRunsExportCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export [ID...] [--format json|csv|history] [-o FILE]",
		Short: "Export runs (all, or the ones given) as JSON or CSV, or one run's epochs",
		Example: examples(
			"workbench runs export --format csv -o runs.csv",
			"workbench runs export ID --format history",
		),
		ValidArgsFunction: completeRunIDs(e),
	}
	format := cmd.Flags().String("format", "json", "json (complete runs), csv (a row per run) or history (one run's epochs)")
	outFile := cmd.Flags().StringP("output", "o", "", "write to this `file` instead of stdout (all at once: an error leaves no partial file)")
	force := addForceFlag(cmd)
	cmd.RegisterFlagCompletionFunc("format", fixedCompletion("json", "csv", "history"))
	cmd.RunE = withRunsToRead(e, -1, func(store sessions.Store, ids, _ []string) error {
		ctx := context.Background()
		if *format != "json" && *format != "csv" && *format != "history" {
			return usagef("--format: %q is not json, csv or history", *format)
		}
		if *format == "history" && len(ids) != 1 {
			return usagef("--format history exports one run: give its ID")
		}
		if *format == "history" {
			// A derived run keeps no epochs: it wrote a header alone.
			r, err := store.GetRun(ctx, ids[0])
			if err != nil {
				return err
			}
			switch r.Kind {
			case sessions.KindEnsemble:
				return fmt.Errorf("run %s is an ensemble: it has no epochs of its own; export a member's (%s)", r.ID, strings.Join(r.Members, ", "))
			case sessions.KindCompressed:
				return fmt.Errorf("run %s is compressed from %s and keeps no epochs of its own; export its parent's", r.ID, r.Parent)
			}
		}
		return writeOutput(e, *outFile, *force, func(w io.Writer) error {
			switch *format {
			case "json":
				return sessions.ExportJSON(ctx, store, ids, w)
			case "csv":
				return sessions.ExportCSV(ctx, store, ids, w)
			}
			return sessions.ExportHistoryCSV(ctx, store, ids[0], w)
		})
	})
	return cmd
}

func newRunsRmCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:               "rm ID...",
		Short:             "Delete runs with their history and weights",
		Example:           examples("workbench runs rm 3fa9c2", "workbench runs rm 3fa9c2 86ca1f"),
		Args:              minArgs(1, "rm needs one or more run IDs"),
		ValidArgsFunction: completeRunIDs(e),
		RunE: withRuns(e, -1, func(store sessions.Store, ids, _ []string) error {
			if err := store.DeleteRuns(context.Background(), ids...); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "deleted %s\n", numfmt.Count(len(ids), "run"))
			return nil
		}),
	}
}

func newRunsRenameCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:               "rename ID NAME",
		Short:             "Rename a run",
		Example:           examples("workbench runs rename 3fa9c2 'wide relu'"),
		Args:              exactArgs(2, "rename takes an ID and a name"),
		ValidArgsFunction: firstArgRunID(e),
		RunE: withRuns(e, 1, func(store sessions.Store, ids, rest []string) error {
			return store.UpdateRun(context.Background(), ids[0], sessions.Patch{Name: &rest[0]})
		}),
	}
}

func newRunsNoteCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:               "note ID TEXT",
		Short:             "Set a run's notes",
		Example:           examples("workbench runs note 3fa9c2 'lr too high: diverged at epoch 12'"),
		Args:              exactArgs(2, "note takes an ID and the text"),
		ValidArgsFunction: firstArgRunID(e),
		RunE: withRuns(e, 1, func(store sessions.Store, ids, rest []string) error {
			return store.UpdateRun(context.Background(), ids[0], sessions.Patch{Notes: &rest[0]})
		}),
	}
}

func newRunsTagCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:               "tag ID [TAG...] [--remove TAG]...",
		Short:             "Add tags to a run, or remove them with --remove",
		Example:           examples("workbench runs tag ID baseline wide", "workbench runs tag ID --remove wide"),
		Args:              minArgs(1, "tag needs a run ID and the tags"),
		ValidArgsFunction: firstArgRunID(e),
	}
	remove := cmd.Flags().StringArray("remove", nil, "a `tag` to remove (repeatable)")
	cmd.RunE = withRuns(e, 1, func(store sessions.Store, ids, add []string) error {
		ctx := context.Background()
		if len(add) == 0 && len(*remove) == 0 {
			return usagef("tag wants tags to add or --remove TAG")
		}
		r, err := store.GetRun(ctx, ids[0])
		if err != nil {
			return err
		}
		for _, t := range *remove {
			if !slices.Contains(r.Tags, t) { // it printed the tags unchanged and exited 0
				have := "none"
				if len(r.Tags) > 0 {
					have = strings.Join(r.Tags, ", ")
				}
				return fmt.Errorf("run %s has no tag %q (its tags: %s)", ids[0], t, have)
			}
		}
		tags := mergeTags(r.Tags, add, *remove)
		if err := store.UpdateRun(ctx, ids[0], sessions.Patch{Tags: &tags}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "run %s tags: %s\n", ids[0], strings.Join(tags, ", "))
		return nil
	})
	return cmd
}

// mergeTags adds tags that are not there yet and removes the others, in
// order.
func mergeTags(have, add, remove []string) []string {
	out := []string{}
	for _, t := range append(slices.Clone(have), add...) {
		if t != "" && !slices.Contains(out, t) && !slices.Contains(remove, t) {
			out = append(out, t)
		}
	}
	return out
}

func newRunsRerunCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:               "rerun ID [--json]",
		Short:             "Train a saved run's spec again, with its current name and tags",
		Example:           examples("workbench runs rerun ID"),
		Args:              exactArgs(1, "rerun takes one run ID"),
		ValidArgsFunction: completeRunIDs(e),
	}
	jsonOut := cmd.Flags().Bool("json", false, "print one JSON object per line, as train --json does")
	verbose := cmd.Flags().BoolP("verbose", "v", false, "print every metric and the learning rate in each epoch line")
	cmd.RunE = withRuns(e, 1, func(store sessions.Store, ids, _ []string) error {
		r, err := store.GetRun(context.Background(), ids[0])
		if err != nil {
			return err
		}
		if err := sessions.NotRerunnable(r); err != nil {
			return err // its spec is a member's or the parent's: training it makes neither
		}
		spec := r.Spec
		spec.Name, spec.Tags = r.Name, slices.Clone(r.Tags)
		data, err := loadData(e, spec.Data)
		if err != nil && spec.Data.Path == "-" {
			return fmt.Errorf("run %s was trained on rows read from stdin (--data -); pipe the same rows in again: %w", r.ID, err)
		}
		if p := spec.Data.Path; err != nil && p != "" && !filepath.IsAbs(p) {
			// Runs recorded before paths were made absolute.
			return fmt.Errorf("%w (run %s recorded its CSV as %q, relative to the directory it was trained in: rerun it from there)", err, r.ID, p)
		}
		if err != nil {
			return err
		}
		return trainAndPrint(e, store, spec, data, *jsonOut, *verbose)
	})
	return cmd
}

// firstArgRunID completes a run ID as the first argument only.
func firstArgRunID(e *env) cobra.CompletionFunc {
	ids := completeRunIDs(e)
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return ids(cmd, args, toComplete)
	}
}
