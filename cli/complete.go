package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// completionLimit bounds how many run IDs a completion offers.
const completionLimit = 200

// completeRunIDs completes run IDs from the store that --db or the
// environment names, each with its name and dataset as a description.
func completeRunIDs(e *env) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		store, err := openStoreToRead(e, cmd)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer store.Close()
		runs, err := store.ListSummaries(context.Background(), sessions.Query{Limit: completionLimit})
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, r := range runs {
			if strings.HasPrefix(r.ID, toComplete) {
				desc := sessions.CleanText(strings.TrimSpace(r.Name + " " + r.Dataset + " " + string(r.Status)))
				out = append(out, cobra.CompletionWithDesc(r.ID, desc))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeSweepIDs completes sweep IDs, each with its name and status.
func completeSweepIDs(e *env) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		store, err := openStoreToRead(e, cmd)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer store.Close()
		sws, err := store.ListSweeps(context.Background())
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, s := range sws {
			if strings.HasPrefix(s.ID, toComplete) {
				out = append(out, cobra.CompletionWithDesc(s.ID, sessions.CleanText(strings.TrimSpace(s.Name+" "+s.Status))))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeDatasets completes built-in dataset names; when none matches,
// the shell completes file names (a CSV path).
func completeDatasets(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, d := range datasets.List() {
		if strings.HasPrefix(d.Name, toComplete) {
			out = append(out, cobra.CompletionWithDesc(d.Name, d.Task.String()))
		}
	}
	if len(out) == 0 {
		return nil, cobra.ShellCompDirectiveDefault
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeSpecFlags completes the spec flags that take names: datasets,
// metrics, and every enum of the trainer's field registry.
func completeSpecFlags(_ *env, cmd *cobra.Command) {
	cmd.RegisterFlagCompletionFunc("data", completeDatasets)
	cmd.RegisterFlagCompletionFunc("monitor", fixedCompletion(metricNames("val_", "train_")...))
	for _, f := range trainer.Fields() {
		if f.Flag != "" && f.Flag != "data" && f.Kind == trainer.KindEnum {
			cmd.RegisterFlagCompletionFunc(f.Flag, fixedCompletion(f.Values...))
		}
	}
}

// fixedCompletion completes from a fixed list.
func fixedCompletion(values ...string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, v := range values {
			if strings.HasPrefix(v, toComplete) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
