package cli

import (
	"github.com/spf13/cobra"

	"workbench/sessions"
)

func newTrainCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "train [flags]",
		Short: "Train a network headless and print its progress",
		Example: examples(
			"workbench train                                   # Playground default: spiral, 2×4 tanh, SGD",
			"workbench train --data seed-example --layers 4 --act tanh --loss mse --opt adam --lr 0.05 --batch 0 --epochs 500",
			"workbench train --data breast-cancer --scale standard --layers 16 --opt adam --patience 10",
			"workbench train --data mydata.csv --target label --missing impute --json",
			"workbench train --spec run.json --lr 0.01 --print-spec",
		),
		Args: noArgs,
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	sf := addSpecFlags(fs)
	printSpec := fs.Bool("print-spec", false, "print the resolved spec as JSON and exit")
	jsonOut := fs.Bool("json", false, "print one JSON object per line: start, each epoch, finished")
	noSave := fs.Bool("no-save", false, "do not save the run in the session store")
	verbose := fs.BoolP("verbose", "v", false, "print every metric and the learning rate in each epoch line")
	completeSpecFlags(e, cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		spec, data, err := resolveRun(e, sf)
		if err != nil {
			return err
		}
		if *printSpec {
			return writeJSON(e.stdout, spec, true)
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
