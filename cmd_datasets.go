package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"workbench/datasets"
)

func init() {
	register(&command{
		name:    "datasets",
		summary: "List the built-in datasets, or show one with its attribution",
		usage:   "[list] [--json] | show NAME [--json] [--rows N]",
		examples: []string{
			"workbench datasets",
			"workbench datasets show breast-cancer",
			"workbench datasets show penguins --json",
		},
		run: runDatasets,
	})
}

func runDatasets(e *env, args []string) error {
	sub := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(e, findCommand("datasets"))
	jsonOut := fs.Bool("json", false, "print JSON")
	rows := fs.Int("rows", 5, "show: how many first rows to print")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		if len(pos) > 0 {
			return usagef("unexpected argument %q", pos[0])
		}
		list := datasets.List()
		if *jsonOut {
			return writeJSON(e.stdout, list, true)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tTASK\tKIND\tSHAPE\tDESCRIPTION")
		for _, d := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Name, d.Task, d.Kind, d.Shape, d.Description)
		}
		return tw.Flush()
	case "show":
		if len(pos) != 1 {
			return usagef("show takes one dataset name")
		}
		t, err := datasets.Open(pos[0], 0, 0, 1)
		if err != nil {
			return usageError{err.Error()}
		}
		if *jsonOut {
			return writeJSON(e.stdout, t.Meta, true)
		}
		printDatasetInfo(e.stdout, t, *rows)
		return nil
	}
	return usagef("unknown subcommand %q (want list or show)", sub)
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
