package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"workbench/trainer"
)

func newBenchCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench --workload w1|w2|w3 [--json] [--workers N]",
		Short: "Measure training throughput on the shared workloads w1, w2 and w3",
		Example: examples(
			"workbench bench --workload w2 --json     # compare with ../shared/bench/peers.sh w2",
		),
		Args: noArgs,
	}
	w := cmd.Flags().String("workload", "", "the workload: w1, w2 or w3 (see ../shared/bench/README.md)")
	jsonOut := cmd.Flags().Bool("json", false, "print {\"workload\":...,\"samples_per_s\":...}")
	workers := cmd.Flags().Int("workers", 0, "matrix workers (0 = all cores); results are identical for any value")
	cmd.RegisterFlagCompletionFunc("workload", fixedCompletion("w1", "w2", "w3"))
	cmd.RunE = func(*cobra.Command, []string) error {
		if *w == "" {
			return usagef("--workload is required (w1, w2 or w3)")
		}
		spec, data, err := trainer.Workload(*w)
		if err != nil {
			return usageError{err.Error()}
		}
		h, err := trainer.RunWith(context.Background(), spec, data, trainer.Options{Workers: *workers})
		if err != nil {
			return err
		}
		var fin trainer.FinishedEvent
		for ev := range h.Events {
			if f, ok := ev.(trainer.FinishedEvent); ok {
				fin = f
			}
		}
		if fin.Status != trainer.StatusDone {
			return fmt.Errorf("workload %s ended %s: %s", *w, fin.Status, fin.Reason)
		}
		if *jsonOut {
			return writeJSON(e.stdout, map[string]any{"workload": *w, "samples_per_s": fin.SamplesPerSec,
				"epochs": fin.Epochs, "rows": data.Train.N, "wall_s": fin.Elapsed.Seconds()}, false)
		}
		fmt.Fprintf(e.stdout, "%s: %.0f samples/s (%d epochs of %d rows, %.2fs wall)\n", *w, fin.SamplesPerSec, fin.Epochs, data.Train.N, fin.Elapsed.Seconds())
		return nil
	}
	return cmd
}
