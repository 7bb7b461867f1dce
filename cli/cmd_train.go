package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"workbench/analysis"
	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

func newTrainCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "train [flags]",
		Short: "Train a network headless and print its progress",
		Example: examples(
			"workbench train                                   # Playground default: circle, 4,2 tanh, SGD",
			"workbench train --data seed-example --layers 4 --act tanh --loss mse --opt adam --lr 0.05 --batch 0 --epochs 500",
			"workbench train --data breast-cancer --scale standard --layers 16 --opt adam --patience 10",
			"workbench train --data mydata.csv --target label --missing impute --json",
			"workbench train --spec run.json --lr 0.01 --print-spec",
			"workbench train --data credit --cost-fp 1 --cost-fn 5      # bad is positive; threshold tuned on validation",
			"workbench train --data credit --cost-fn 10 --monitor val_cost --patience 30   # keep the cheapest epoch",
			"workbench train --data breast-cancer --scale standard --layers 16 --seeds 5 --ensemble",
		),
		Args: noArgs,
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	sf := addSpecFlags(fs)
	sf.strict = true
	printSpec := fs.Bool("print-spec", false, "print the resolved spec as JSON and exit")
	jsonOut := fs.Bool("json", false, "print one JSON object per line: start, each epoch, finished")
	noSave := fs.Bool("no-save", false, "do not save the run in the session store")
	verbose := fs.BoolP("verbose", "v", false, "print every metric and the learning rate in each epoch line")
	seeds := fs.Int("seeds", 0, "train this many seeds of the spec (--seed, --seed+1, …) on the same data and split")
	ensemble := fs.Bool("ensemble", false, "with --seeds: combine the seeds' runs into an ensemble run")
	method := fs.String("ensemble-method", "mean", "with --ensemble: mean, vote or weighted")
	maxMem := fs.String("max-memory", "", "refuse a run that needs more memory than this (e.g. 512MiB, 8GiB; \"off\" for no limit; default 75% of the machine's)")
	completeSpecFlags(e, cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		// Each said nothing of the flag the user forgot: "--seeds 0: give
		// 2 to 1000 seeds", or nothing at all.
		if *ensemble && !fs.Changed("seeds") {
			return usagef("--ensemble combines the runs of --seeds N: add --seeds (2 to 1000)")
		}
		if fs.Changed("ensemble-method") && !*ensemble {
			return usagef("--ensemble-method is for --ensemble: add --ensemble (with --seeds N) or drop --ensemble-method")
		}
		limit, err := parseBytes(*maxMem)
		if err != nil {
			return usagef("--max-memory: %v", err)
		}
		e.maxMemory = limit
		spec, data, err := resolveRun(e, sf)
		if err != nil {
			return err
		}
		if *printSpec {
			return writeJSON(e.stdout, spec, true)
		}
		if *seeds != 0 || *ensemble {
			if *noSave && *ensemble {
				return usagef("--ensemble needs the session store: drop --no-save")
			}
			return trainSeeds(e, cmd, spec, data, *seeds, *ensemble, *method, *jsonOut, *verbose, *noSave)
		}
		var store sessions.Store
		if !*noSave {
			s, err := openStore(e, cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			store = s
		}
		return trainAndPrint(e, store, spec, data, *jsonOut, *verbose)
	}
	return cmd
}

// trainSeeds trains n seeds of spec on the same data and split (only the
// training seed changes), then optionally ensembles them.
func trainSeeds(e *env, cmd *cobra.Command, spec trainer.Spec, data *datasets.Prepared, n int, ensemble bool, method string, jsonOut, verbose, noSave bool) error {
	if n < 2 || n > 1000 {
		return usagef("--seeds %d: give 2 to 1000 seeds", n)
	}
	if err := trainer.CheckEnsembleMethod(method); err != nil {
		return usagef("--ensemble-method: %v", err)
	}
	var store sessions.Store
	if !noSave {
		s, err := openStore(e, cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		store = s
	}
	var ids []string
	for i := 0; i < n; i++ {
		s := spec.Clone()
		s.Seed = spec.Seed + uint64(i)
		if s.Name != "" {
			s.Name = fmt.Sprintf("%s seed %d", spec.Name, s.Seed)
		}
		id, err := trainAndPrintID(e, store, s, data, jsonOut, verbose)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if !ensemble {
		return nil
	}
	name := spec.Name
	if name != "" {
		name += fmt.Sprintf(" (ensemble of %d seeds)", n)
	}
	res, err := analysis.Ensemble(context.Background(), store, ids, analysis.EnsembleOptions{Method: method, Name: name})
	if err != nil {
		return err
	}
	if jsonOut {
		return writeJSON(e.stdout, struct {
			Event string `json:"event"`
			*analysis.EnsembleResult
		}{"ensemble", res}, false)
	}
	fmt.Fprintln(e.stdout)
	printEnsemble(e.stdout, res)
	return nil
}
