package cli

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"workbench/numfmt"
	"workbench/sessions"
	"workbench/sweeps"
)

// plotSweep writes a sweep's parallel-coordinates figure.
func plotSweep(e *env, cmd *cobra.Command, ref string, runs []string, kind, out string, width, height int, force bool) error {
	switch {
	case kind != "parallel":
		return usagef("--sweep goes with --kind parallel")
	case ref == "" || len(runs) > 0:
		return usagef("--kind parallel takes --sweep ID, not --run")
	case out == "":
		return usagef("-o is required")
	}
	ext := strings.ToLower(filepath.Ext(out))
	if ext != ".png" && ext != ".svg" {
		return usagef("-o %s: the file must end in .png or .svg", out)
	}
	if width < 50 || height < 50 || width > 10000 || height > 10000 {
		return usagef("--width and --height must be between 50 and 10000 pixels")
	}
	store, err := openStoreToRead(e, cmd)
	if err != nil {
		return err
	}
	defer store.Close()
	id, err := sessions.ResolveSweep(context.Background(), store, ref)
	if err != nil {
		return err
	}
	p, err := parallelPlot(store, id)
	if err != nil {
		return err
	}
	if err := writeOutput(e, out, force, func(w io.Writer) error { return writeFigure(w, p, ext, width, height) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (%d×%d)\n", out, width, height)
	return nil
}

// parallelPlot draws a sweep in parallel coordinates: an axis per swept
// field and one for the objective, a line per trial coloured by its
// objective (blue worst, red best), the best trial in black on top.
func parallelPlot(store sessions.Store, id string) (*plot.Plot, error) {
	rep, err := sweeps.Load(context.Background(), store, id)
	if err != nil {
		return nil, err
	}
	axes, rows := rep.Coordinates()
	if len(rows) == 0 {
		return nil, fmt.Errorf("sweep %s has no trials to plot", id)
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("sweep %s: %s by %s", rep.Sweep.ID, numfmt.Count(len(rows), "trial"), rep.Sweep.Objective)
	p.X.Min, p.X.Max = -0.3, float64(len(axes)-1)+0.3
	p.Y.Min, p.Y.Max = -0.08, 1.08
	p.Y.Tick.Marker = plot.ConstantTicks{}
	p.Y.LineStyle.Width = 0
	var ticks plot.ConstantTicks
	var labels plotter.XYLabels
	for i, a := range axes {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: a.Name})
		l, _ := plotter.NewLine(plotter.XYs{{X: float64(i), Y: 0}, {X: float64(i), Y: 1}})
		l.Color = color.Gray{Y: 120}
		p.Add(l)
		labels.XYs = append(labels.XYs, plotter.XY{X: float64(i), Y: -0.05}, plotter.XY{X: float64(i), Y: 1.03})
		labels.Labels = append(labels.Labels, a.Label(0), a.Label(1))
	}
	p.X.Tick.Marker = ticks
	obj := axes[len(axes)-1]
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(0)
	cmap.SetMax(1)
	line := func(row []float64, c color.Color, w vg.Length) {
		var pts plotter.XYs
		flush := func() {
			if len(pts) > 1 {
				l, _ := plotter.NewLine(pts)
				l.Color, l.Width = c, w
				p.Add(l)
			}
			pts = nil
		}
		for i, a := range axes {
			y := a.Norm(row[i])
			if math.IsNaN(y) {
				flush()
				continue
			}
			pts = append(pts, plotter.XY{X: float64(i), Y: y})
		}
		flush()
	}
	// Worst first so the better lines are on top; rows are ranked best first.
	for j := len(rows) - 1; j >= 0; j-- {
		q := obj.Norm(rows[j][len(axes)-1])
		if rep.Lower {
			q = 1 - q
		}
		var c color.Color = color.Gray{Y: 190}
		if !math.IsNaN(q) {
			c, _ = cmap.At(q)
		}
		line(rows[j], c, vg.Points(1.2))
	}
	if rep.Trials[0].HasObj {
		line(rows[0], color.Black, vg.Points(2.5))
		p.Legend.Add(fmt.Sprintf("best: %s %s", rep.Trials[0].RunID, numfmt.Value(rep.Trials[0].Objective)))
	}
	if l, err := plotter.NewLabels(labels); err == nil {
		p.Add(l)
	}
	return p, nil
}

// printParamImportance prints each hyperparameter's share of the objective's
// variance, or why there is none.
func printParamImportance(w io.Writer, objective string, imp sweeps.Importance) {
	if len(imp.Params) == 0 {
		if imp.Note != "" {
			fmt.Fprintf(w, "\nimportance: %s\n", imp.Note)
		}
		return
	}
	fmt.Fprintf(w, "\nimportance (share of %s variance; %s, %s):\n", objective, imp.How(), numfmt.Count(imp.Trials, "trial"))
	nameW := 12
	for _, p := range imp.Params {
		nameW = max(nameW, len(p.Field))
	}
	for _, p := range imp.Params {
		share := math.Min(math.Max(p.Share, 0), 1)
		fmt.Fprintf(w, "  %-*s %-20s %s%%\n", nameW, p.Field, strings.Repeat("█", int(math.Round(share*20))), numfmt.Short(math.Round(share*1000)/10))
	}
	if imp.Note != "" {
		fmt.Fprintf(w, "  (%s)\n", imp.Note)
	}
}
