package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/analysis"
	"workbench/datasets"
	"workbench/numfmt"
	"workbench/trainer"
)

func newEnsembleCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ensemble ID ID... [--method mean|vote|weighted] [--name NAME] [--json]",
		Short: "Combine saved runs of the same data into an ensemble, evaluated against its members",
		Long: "Combine finished runs that share their data (the same data hash and split) into one model: mean\n" +
			"averages probabilities (or values), vote takes the majority decision (the median for regression),\n" +
			"weighted weighs each member by its validation score. The ensemble and every member are evaluated on\n" +
			"the shared test split; the ensemble is saved as a run of kind ensemble that predicts on its own.",
		Example: examples(
			"workbench ensemble 3fa9c2 7b1e04 c0ffee                # three runs by a unique prefix or suffix of their IDs",
			"workbench ensemble ID1 ID2 ID3 --method weighted --name 'weighted trio' --json",
			"workbench train --data breast-cancer --scale standard --layers 16 --seeds 5 --ensemble",
		),
		Args: minArgs(2, "ensemble needs two or more run IDs"), // cobra's own said "requires at least 2 arg(s)" and exited 1
	}
	fs := cmd.Flags()
	method := fs.String("method", "mean", "how members combine: mean, vote or weighted")
	name := fs.String("name", "", "a name for the ensemble run (default \"ensemble of N (method)\")")
	jsonOut := fs.Bool("json", false, "print the result as JSON")
	noSave := fs.Bool("no-save", false, "evaluate without saving the ensemble")
	cmd.ValidArgsFunction = completeRunIDArgs(e)
	cmd.RegisterFlagCompletionFunc("method", fixedCompletion(trainer.EnsembleMethods...))
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		store, err := openExistingStore(e, cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		ids, err := resolveRunIDs(store, args)
		if err != nil {
			return err
		}
		if err := trainer.CheckEnsembleMethod(*method); err != nil {
			return usageError{err.Error()}
		}
		res, err := analysis.Ensemble(context.Background(), store, ids, analysis.EnsembleOptions{Method: *method, Name: *name, NoSave: *noSave})
		if err != nil {
			return err
		}
		if *jsonOut {
			return writeJSON(e.stdout, res, true)
		}
		printEnsemble(e.stdout, res)
		return nil
	}
	return cmd
}

// completeRunIDArgs completes positional run IDs.
func completeRunIDArgs(e *env) cobra.CompletionFunc {
	ids := completeRunIDs(e)
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return ids(cmd, args, toComplete)
	}
}

// printEnsemble prints the members' and the ensemble's test metrics and the
// gains in the key metric.
func printEnsemble(w io.Writer, r *analysis.EnsembleResult) {
	task, _ := datasets.ParseTask(r.Task)
	var cols []string
	for _, m := range trainer.MetricNames(task) {
		if _, ok := r.Test[m]; ok {
			cols = append(cols, m)
		}
	}
	fmt.Fprintf(w, "ensemble of %d runs (%s), %s; metrics on the shared test split\n", len(r.Members), r.Method, r.Task)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "run\tweight\tval %s\t%s\n", r.KeyMetric, strings.Join(cols, "\t"))
	row := func(name, weight string, val float64, test map[string]float64) {
		cells := make([]string, len(cols))
		for i, c := range cols {
			v, ok := test[c]
			cells[i] = fmtMetric(v, ok)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, weight, numfmt.Value(val), strings.Join(cells, "\t"))
	}
	for _, m := range r.Members {
		row(m.ID, numfmt.Value(m.Weight), m.Val[r.KeyMetric], m.Test)
	}
	row("ensemble", "", r.Val[r.KeyMetric], r.Test)
	tw.Flush()
	fmt.Fprintf(w, "gain in test %s: %+.4f over the best member (%s), %+.4f over the members' mean\n",
		r.KeyMetric, r.GainOverBest, r.BestMember, r.GainOverMean)
	if r.ID != "" {
		fmt.Fprintf(w, "saved as run %s (kind ensemble); predict with 'workbench predict --run %s --data FILE.csv'\n", r.ID, r.ID)
	}
}
