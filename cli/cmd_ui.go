package cli

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"workbench/sessions"
	"workbench/trainer"
	"workbench/tui"
)

func newUICmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ui [flags]",
		Short: "Open the terminal UI (what 'workbench' alone does)",
		Example: examples(
			"workbench",
			"workbench --db ./experiments.db",
			"workbench ui --spec run.json      # open Setup prefilled",
		),
	}
	addUIFlags(e, cmd)
	return cmd
}

// addUIFlags gives cmd the ui command's flags and action; the root has
// them too, since 'workbench' alone opens the UI.
func addUIFlags(e *env, cmd *cobra.Command) {
	specFile := cmd.Flags().String("spec", "", "prefill Setup with this run spec (JSON)")
	if cmd.Args == nil {
		cmd.Args = noArgs
	}
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return runUI(e, cmd, *specFile)
	}
}

func runUI(e *env, cmd *cobra.Command, specFile string) error {
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return usagef("the terminal UI needs a terminal on stdin and stdout; to train without one, use 'workbench train' (see 'workbench train --help')")
	}
	var opts tui.Options
	if specFile != "" {
		b, err := os.ReadFile(specFile)
		if err != nil {
			return err
		}
		s, err := trainer.ParseSpec(b)
		if err != nil {
			return fileError{fmt.Sprintf("%s: %v", specFile, err)}
		}
		opts.Spec = &s
	}
	var store sessions.Store
	st, err := openStoreForApp(e, cmd) // a read-only store can still be browsed
	if err != nil {
		opts.StoreErr = err // the app runs and says why nothing is saved
	} else {
		defer st.Close()
		store = st
		if st.ReadOnly() {
			opts.StoreErr = fmt.Errorf("%s is read-only: its runs can be browsed, but new runs cannot be saved in it", st.Path())
		}
	}
	// Rendering allocates; a larger GC target (a few MB more heap) keeps the
	// collector from taking CPU the trainer could use: measured, TUI/headless
	// throughput went from 0.93 to 0.99 on 2 cores.
	debug.SetGCPercent(400)
	return tui.Run(store, opts, e.stdin, e.stdout)
}
