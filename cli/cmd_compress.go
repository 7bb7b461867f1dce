package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/analysis"
	"workbench/numfmt"
)

func newCompressCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "compress --run ID [--prune FRACTION] [--structured] [--quantize int8] [--finetune-epochs N] [--json]",
		Short: "Prune or quantize a saved run's model into a derived run, with a before/after table",
		Long: "Make a smaller model from a trained run. --prune sets the given fraction of the smallest weights to\n" +
			"zero (globally; kept at zero during --finetune-epochs), or with --structured removes that fraction of\n" +
			"each hidden layer's units, those with the smallest outgoing norm. --quantize int8 stores int8 weights\n" +
			"with one power-of-two scale per output unit and int8 activations calibrated on the training split,\n" +
			"and predicts with int8 × int8 → int32 products. The table compares parameters, non-zero weights, the\n" +
			"saved model's bytes, test metrics and inference rows/s on the test split, measured in this process.",
		Example: examples(
			"workbench compress --run 3fa9c2 --prune 0.5 --finetune-epochs 3",
			"workbench compress --run 3fa9c2 --quantize int8",
			"workbench compress --run 3fa9c2 --prune 0.25 --structured --finetune-epochs 5 --quantize int8 --json",
		),
		Args: noArgs,
	}
	fs := cmd.Flags()
	id := fs.String("run", "", "the saved run to compress (an ID, or a unique prefix or suffix of one)")
	prune := fs.Float64("prune", 0, "the `fraction` of weights (or, with --structured, of hidden units) to remove, in [0, 1)")
	structured := fs.Bool("structured", false, "remove whole hidden units with the smallest outgoing norm")
	quantize := fs.String("quantize", "", "post-training quantization: int8")
	epochs := fs.Int("finetune-epochs", 0, "train the pruned model this many more `epochs`, pruned weights held at zero")
	lr := fs.Float64("finetune-lr", 0, "the fine-tuning learning `rate` (default: the run's)")
	name := fs.String("name", "", "a name for the derived run")
	jsonOut := fs.Bool("json", false, "print the table as JSON")
	noSave := fs.Bool("no-save", false, "measure without saving the derived run")
	cmd.RegisterFlagCompletionFunc("run", completeRunIDs(e))
	cmd.RegisterFlagCompletionFunc("quantize", fixedCompletion("int8"))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if *id == "" {
			return usagef("--run is required")
		}
		o := analysis.CompressOptions{Prune: *prune, Structured: *structured, Quantize: *quantize,
			FinetuneEpochs: *epochs, FinetuneLR: *lr, Name: *name, NoSave: *noSave}
		if err := o.Validate(); err != nil {
			return usageError{err.Error()}
		}
		store, err := openExistingStore(e, cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		ref, err := resolveRunID(store, *id)
		if err != nil {
			return err
		}
		res, err := analysis.Compress(context.Background(), store, ref, o)
		if err != nil {
			return err
		}
		if *jsonOut {
			return writeJSON(e.stdout, res, true)
		}
		printCompress(e.stdout, res)
		return nil
	}
	return cmd
}

// printCompress prints the before/after table.
func printCompress(w io.Writer, r *analysis.CompressResult) {
	fmt.Fprintf(w, "compress %s: %s\n", r.ParentID, r.Method)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "\tbefore\tafter\n")
	b, a := r.Before, r.After
	fmt.Fprintf(tw, "parameters\t%d\t%d\n", b.Params, a.Params)
	fmt.Fprintf(tw, "non-zero weights\t%d\t%d\n", b.NonZero, a.NonZero)
	fmt.Fprintf(tw, "saved bytes\t%d\t%d\n", b.Bytes, a.Bytes)
	for _, k := range tableMetrics(b.Test) {
		av, ok := a.Test[k]
		fmt.Fprintf(tw, "test %s\t%s\t%s\n", k, numfmt.Value(b.Test[k]), fmtMetric(av, ok))
	}
	fmt.Fprintf(tw, "rows/s (test)\t%s\t%s\n", numfmt.Rate(b.RowsPerSec), numfmt.Rate(a.RowsPerSec))
	tw.Flush()
	if r.ID != "" {
		fmt.Fprintf(w, "saved as run %s (kind compressed, parent %s)\n", r.ID, r.ParentID)
	}
}

// tableMetrics picks the metrics a short table shows: the key metrics
// of each task, and the decision threshold and cost when there are some.
func tableMetrics(m map[string]float64) []string {
	var out []string
	for _, k := range []string{"accuracy", "f1", "f1_macro", "auc", "r2", "rmse", "mae", "threshold", "cost"} {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	return out
}
