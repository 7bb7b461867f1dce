package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/analysis"
	"workbench/numfmt"
	"workbench/sessions"
)

func newExplainCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "explain --run ID [--repeats N] [--row K [--method integrated-gradients|gradient-x-input]] [--json]",
		Short: "Explain a saved run: permutation importance of each column, or one row's attribution",
		Long: "Without --row: shuffle each original column of the test split in turn (a categorical's one-hot\n" +
			"columns together) and report the drop in the key metric, mean ± std over --repeats shuffles.\n" +
			"With --row K: attribute test row K's prediction (0-based) to each column by integrated gradients\n" +
			"from the training means (or gradient × input), in the columns' raw units.",
		Example: examples(
			"workbench explain --run 3fa9c2",
			"workbench explain --run 3fa9c2 --repeats 20 --json",
			"workbench explain --run 3fa9c2 --row 7",
		),
		Args: noArgs,
	}
	fs := cmd.Flags()
	id := fs.String("run", "", "the saved run to explain (an ID, or a unique prefix or suffix of one)")
	repeats := fs.Int("repeats", 5, "shuffles per column")
	seed := fs.Uint64("seed", 1, "seed of the shuffles")
	row := fs.Int("row", -1, "explain this test row (0-based) instead")
	method := fs.String("method", analysis.MethodIntegratedGradients, "with --row: integrated-gradients or gradient-x-input")
	jsonOut := fs.Bool("json", false, "print the result as JSON")
	cmd.RegisterFlagCompletionFunc("run", completeRunIDs(e))
	cmd.RegisterFlagCompletionFunc("method", fixedCompletion(analysis.MethodIntegratedGradients, analysis.MethodGradientInput))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if *id == "" {
			return usagef("--run is required")
		}
		// analysis reads 0 as its default of 5: --repeats 0 printed "5
		// shuffles per column".
		if *repeats < 1 || *repeats > 1000 {
			return usagef("--repeats %d is out of range [1, 1000] (shuffles per column)", *repeats)
		}
		if *method != analysis.MethodIntegratedGradients && *method != analysis.MethodGradientInput {
			return usagef("--method: unknown attribution method %q (want %s or %s)", *method, analysis.MethodIntegratedGradients, analysis.MethodGradientInput)
		}
		// Each was dropped without a word: --method without --row gave
		// permutation importance, --repeats with --row one row's attribution.
		rowSet := fs.Changed("row")
		switch {
		case rowSet && *row < 0:
			return usagef("--row %d: rows of the test split count from 0", *row)
		case fs.Changed("method") && !rowSet:
			return usagef("--method is for --row K (one row's attribution): add --row or drop --method")
		case rowSet && (fs.Changed("repeats") || fs.Changed("seed")):
			return usagef("--repeats and --seed are for permutation importance, not --row: drop them or --row")
		}
		o := analysis.ExplainOptions{Repeats: *repeats, Seed: *seed}
		if err := o.Validate(); err != nil {
			return usageError{err.Error()}
		}
		store, err := openStoreToRead(e, cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		ref, err := resolveRunID(store, *id)
		if err != nil {
			return err
		}
		ctx := context.Background()
		if rowSet {
			res, err := analysis.Attribute(ctx, store, ref, *row, *method)
			if err != nil {
				return err
			}
			if *jsonOut {
				return writeJSON(e.stdout, res, true)
			}
			printAttribution(e.stdout, res)
			return nil
		}
		res, err := analysis.PermutationImportance(ctx, store, ref, o)
		if err != nil {
			return err
		}
		if *jsonOut {
			return writeJSON(e.stdout, res, true)
		}
		printImportance(e.stdout, res)
		return nil
	}
	return cmd
}

func printImportance(w io.Writer, r *analysis.ImportanceResult) {
	if r.Diverged != "" {
		fmt.Fprintf(w, "note: %s\n", sessions.CleanText(r.Diverged))
	}
	fmt.Fprintf(w, "baseline test %s: %s%s (permutation importance of run %s, %d shuffles per column)\n",
		r.Metric, numfmt.Value(r.Baseline), atThreshold(r.Threshold), r.RunID, r.Repeats)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "feature\tdrop in %s\t\tcolumns\n", r.Metric)
	for _, f := range r.Features {
		fmt.Fprintf(tw, "%s\t%s\t± %s\t%d\n", f.Feature, numfmt.Value(f.Mean), numfmt.Value(f.Std), f.Columns)
	}
	tw.Flush()
}

func printAttribution(w io.Writer, r *analysis.AttributionResult) {
	if r.Diverged != "" {
		fmt.Fprintf(w, "note: %s\n", sessions.CleanText(r.Diverged))
	}
	fmt.Fprintf(w, "test row %d of run %s: %s = %s (actual %s); %s at the training means; %s\n",
		r.Row, r.RunID, r.Output, numfmt.Value(r.Value), actualText(r.Actual), numfmt.Value(r.BaselineValue), r.Method)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "feature\tvalue\tmean\teffect on %s\n", r.Output)
	for _, f := range r.Features {
		value, mean := sessions.CleanText(f.Category), ""
		if !f.Categorical() {
			value, mean = numfmt.Value(f.Value), numfmt.Value(f.Baseline)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%+.4f\n", f.Feature, value, mean, f.Effect)
	}
	tw.Flush()
}

// actualText is a row's true class, or its target value for people.
func actualText(v any) string {
	if x, ok := v.(float64); ok {
		return numfmt.Value(x)
	}
	return sessions.CleanText(fmt.Sprint(v))
}

// atThreshold says which threshold a binary run's accuracy is at when its
// decision rule moved it from 0.5 (credit's cost matrix tunes it to about
// 0.15, and the baseline read as if at 0.5).
func atThreshold(thr float64) string {
	if thr == 0 || thr == 0.5 {
		return ""
	}
	return " at threshold " + numfmt.Value(thr)
}
