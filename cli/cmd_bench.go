package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"workbench/numfmt"
	"workbench/trainer"
)

func newBenchCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench --workload w1|w2|w3 [--json] [--workers N[,N…]] [--precision f64|f32[,…]] [--rounds N] | --peers [w1 w2 w3] [--rounds N] [--json]",
		Short: "Measure training throughput on the shared workloads w1, w2 and w3",
		Example: examples(
			"workbench bench --workload w2 --json     # compare with ../shared/bench/peers.sh w2",
			"workbench bench --workload w3 --precision f32 --workers 1",
			"workbench bench --workload w3 --precision f64,f32 --workers 1,2 --rounds 3 # two-worker scaling",
			"workbench bench --peers w2 w3 --rounds 3 # the ratio table against PyTorch and sklearn",
		),
		Args: cobra.ArbitraryArgs,
	}
	w := cmd.Flags().String("workload", "", "the workload: w1, w2 or w3 (see ../shared/bench/README.md)")
	jsonOut := cmd.Flags().Bool("json", false, "print {\"workload\":...,\"samples_per_s\":...,\"gflop_per_s\":...}")
	workers := cmd.Flags().String("workers", "0", "matrix workers (0 = all cores), or a list such as 1,2 to compare; results are identical for any value")
	prec := cmd.Flags().String("precision", "float64", "arithmetic: float64 (f64) or float32 (f32), or a list such as f64,f32")
	peers := cmd.Flags().Bool("peers", false, "run every configuration (f64/f32, 1/2 workers) and ../shared/bench/peers.sh on the workloads given as arguments (default all), interleaved, and print the ratio table")
	rounds := cmd.Flags().Int("rounds", 3, "with --peers or lists of workers or precisions: interleaved rounds, medians reported")
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
		precisions, err := parsePrecisionList(*prec)
		if err != nil {
			return err
		}
		counts, err := parseWorkerList(*workers)
		if err != nil {
			return err
		}
		if len(precisions) > 1 || len(counts) > 1 {
			if *rounds < 1 || *rounds > 20 {
				return usagef("--rounds %d is out of range [1, 20]", *rounds)
			}
			if _, _, err := trainer.Workload(*w); err != nil {
				return usageError{err.Error()}
			}
			return benchScaling(e.stdout, e.stderr, *w, precisions, counts, *rounds, *jsonOut)
		}
		res, err := benchOnce(*w, precisions[0], counts[0])
		if err != nil {
			return err
		}
		if *jsonOut {
			return writeJSON(e.stdout, res, false)
		}
		fmt.Fprintf(e.stdout, "%s %s: %s samples/s, %s GFLOP/s (%s of %s rows, %s wall, %s CPU)\n",
			res.Workload, res.Precision, numfmt.Rate(res.SamplesPerS), numfmt.Fixed(res.GFLOPPerS, 1), epochCount(res.Epochs),
			numfmt.Grouped(float64(res.Rows)), numfmt.Duration(secs(res.WallS)), numfmt.Duration(secs(res.CPUS)))
		return nil
	}
	return cmd
}

// secs is a number of seconds as a duration.
func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
