package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"workbench/trainer"
)

func newBenchCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench --workload w1|w2|w3 [--json] [--workers N] [--precision f64|f32] | --peers [w1 w2 w3] [--rounds N] [--json]",
		Short: "Measure training throughput on the shared workloads w1, w2 and w3",
		Example: examples(
			"workbench bench --workload w2 --json     # compare with ../shared/bench/peers.sh w2",
			"workbench bench --workload w3 --precision f32 --workers 1",
			"workbench bench --peers w2 w3 --rounds 3 # the ratio table against PyTorch and sklearn",
		),
		Args: cobra.ArbitraryArgs,
	}
	w := cmd.Flags().String("workload", "", "the workload: w1, w2 or w3 (see ../shared/bench/README.md)")
	jsonOut := cmd.Flags().Bool("json", false, "print {\"workload\":...,\"samples_per_s\":...,\"gflop_per_s\":...}")
	workers := cmd.Flags().Int("workers", 0, "matrix workers (0 = all cores); results are identical for any value")
	prec := cmd.Flags().String("precision", "float64", "arithmetic: float64 (f64) or float32 (f32)")
	peers := cmd.Flags().Bool("peers", false, "run every configuration (f64/f32, 1/2 workers) and ../shared/bench/peers.sh on the workloads given as arguments (default all), interleaved, and print the ratio table")
	rounds := cmd.Flags().Int("rounds", 3, "with --peers: interleaved rounds, medians reported")
	cmd.RegisterFlagCompletionFunc("workload", fixedCompletion("w1", "w2", "w3"))
	cmd.RegisterFlagCompletionFunc("precision", fixedCompletion("float64", "float32", "f64", "f32"))
	cmd.RunE = func(_ *cobra.Command, pos []string) error {
		if *peers {
			if *w != "" {
				pos = append(pos, *w)
			}
			if len(pos) == 0 {
				pos = trainer.Workloads
			}
			for _, p := range pos {
				if _, _, err := trainer.Workload(p); err != nil {
					return usageError{err.Error()}
				}
			}
			if *rounds < 1 || *rounds > 20 {
				return usagef("--rounds %d is out of range [1, 20]", *rounds)
			}
			return benchPeers(e.stdout, e.stderr, pos, *rounds, *jsonOut)
		}
		if len(pos) > 0 {
			return usagef("unexpected argument %q", pos[0])
		}
		if *w == "" {
			return usagef("--workload is required (w1, w2 or w3)")
		}
		precision, err := trainer.ParsePrecision(strings.ToLower(*prec))
		if err != nil {
			return usageError{"--" + err.Error()}
		}
		res, err := benchOnce(*w, precision, *workers)
		if err != nil {
			return err
		}
		if *jsonOut {
			return writeJSON(e.stdout, res, false)
		}
		fmt.Fprintf(e.stdout, "%s %s: %.0f samples/s, %.1f GFLOP/s (%d epochs of %d rows, %.2fs wall)\n",
			res.Workload, res.Precision, res.SamplesPerS, res.GFLOPPerS, res.Epochs, res.Rows, res.WallS)
		return nil
	}
	return cmd
}
