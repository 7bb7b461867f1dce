package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/datasets"
)

func newDatasetsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "datasets [flags]",
		Short: "List the built-in datasets, or show one with its attribution",
		Example: examples(
			"workbench datasets",
			"workbench datasets show breast-cancer",
			"workbench datasets show penguins --json",
		),
		Args: unknownCommand,
	}
	listJSON := cmd.Flags().Bool("json", false, "print JSON")
	cmd.RunE = func(*cobra.Command, []string) error { return listDatasets(e, *listJSON) }
	list := &cobra.Command{
		Use:     "list [--json]",
		Short:   "List the built-in datasets",
		Example: examples("workbench datasets list", "workbench datasets list --json"),
		Args:    noArgs,
	}
	jsonOut := list.Flags().Bool("json", false, "print JSON")
	list.RunE = func(*cobra.Command, []string) error { return listDatasets(e, *jsonOut) }
	show := &cobra.Command{
		Use:   "show NAME [--json] [--rows N]",
		Short: "Show a dataset: its task, shape, classes, first rows and attribution",
		Example: examples(
			"workbench datasets show breast-cancer",
			"workbench datasets show penguins --json",
		),
		Args: exactArgs(1, "show takes one dataset name"),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			c, _ := completeDatasets(cmd, args, toComplete)
			return c, cobra.ShellCompDirectiveNoFileComp
		},
	}
	showJSON := show.Flags().Bool("json", false, "print JSON")
	rows := show.Flags().Int("rows", 5, "how many first rows to print")
	show.RunE = func(_ *cobra.Command, args []string) error {
		if !datasets.Known(args[0]) {
			if s := suggest(args[0], datasets.Names()); s != "" {
				return usagef("unknown dataset %s; did you mean %s?", args[0], s)
			}
		}
		t, err := datasets.Open(args[0], 0, 0, 1)
		if err != nil {
			return usageError{err.Error()}
		}
		if *showJSON {
			return writeJSON(e.stdout, t.Meta, true)
		}
		printDatasetInfo(e.stdout, t, *rows)
		return nil
	}
	cmd.AddCommand(list, show)
	return cmd
}

func listDatasets(e *env, jsonOut bool) error {
	list := datasets.List()
	if jsonOut {
		return writeJSON(e.stdout, list, true)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTASK\tKIND\tSHAPE\tDESCRIPTION")
	for _, d := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Name, d.Task, d.Kind, d.Shape, d.Description)
	}
	return tw.Flush()
}

func printDatasetInfo(w io.Writer, t *datasets.Table, rows int) {
	m := t.Meta
	fmt.Fprintf(w, "%s: %s\n\n", m.Name, m.Description)
	fmt.Fprintf(w, "task:      %s\nshape:     %d rows × %d features\n", m.Task, m.Rows, m.Features)
	if m.ImageH > 0 {
		fmt.Fprintf(w, "images:    %d×%d\n", m.ImageH, m.ImageW)
	}
	if len(m.ClassNames) > 0 {
		fmt.Fprintf(w, "classes:   ")
		for i, c := range m.ClassNames {
			if i > 0 {
				fmt.Fprint(w, ", ")
			}
			fmt.Fprintf(w, "%s %d (%.1f%%)", c, m.ClassCounts[i], 100*float64(m.ClassCounts[i])/float64(max(m.Rows, 1)))
		}
		fmt.Fprintln(w)
	}
	if m.Task == datasets.Binary && len(m.ClassNames) == 2 {
		fmt.Fprintf(w, "positive:  %s (change with --positive)\n", m.ClassNames[1])
	}
	if m.DefaultScale != "" {
		fmt.Fprintf(w, "scaling:   %s by default\n", m.DefaultScale)
	}
	names := m.FeatureNames
	if len(names) > 12 {
		names = append(append([]string(nil), names[:12]...), fmt.Sprintf("… %d more", len(m.FeatureNames)-12))
	}
	fmt.Fprintf(w, "features:  %s\n", strings.Join(names, ", "))
	if rows > 0 {
		fmt.Fprintf(w, "\nfirst rows:\n")
		cols := min(t.D, 8)
		for i := 0; i < min(rows, t.N); i++ {
			var cells []string
			for j := 0; j < cols; j++ {
				cells = append(cells, fmt.Sprintf("%g", t.X[i*t.D+j]))
			}
			if t.D > cols {
				cells = append(cells, "…")
			}
			y := fmt.Sprintf("%g", t.Y[i])
			if len(m.ClassNames) > 0 {
				y = m.ClassNames[int(t.Y[i])]
			}
			fmt.Fprintf(w, "  %s → %s\n", strings.Join(cells, ", "), y)
		}
	}
	fmt.Fprintf(w, "\nsource:    %s\n", m.Source)
	if m.Citation != "" {
		fmt.Fprintf(w, "citation:  %s\n", m.Citation)
	}
	fmt.Fprintf(w, "licence:   %s\n", m.License)
}
