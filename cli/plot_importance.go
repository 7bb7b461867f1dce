package cli

import (
	"context"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"workbench/analysis"
	"workbench/numfmt"
	"workbench/sessions"
)

// importancePlot draws a run's permutation importances as horizontal bars,
// the most important on top, with ± one standard deviation as error bars.
func importancePlot(store sessions.Store, id string) (*plot.Plot, error) {
	res, err := analysis.PermutationImportance(context.Background(), store, id, analysis.ExplainOptions{Repeats: 5, Seed: 1})
	if err != nil {
		return nil, err
	}
	n := len(res.Features)
	vals := make(plotter.Values, n)
	errs := make(plotter.YErrors, n)
	xys := make(plotter.XYs, n)
	names := make([]string, n)
	for i, f := range res.Features {
		// Bars go bottom-up: the most important last, so on top.
		j := n - 1 - i
		vals[j] = f.Mean
		xys[j] = plotter.XY{X: f.Mean, Y: float64(j)}
		errs[j] = struct{ Low, High float64 }{f.Std, f.Std}
		names[j] = f.Feature
	}
	p := plot.New()
	r, err := store.GetRun(context.Background(), id)
	if err != nil {
		return nil, err
	}
	p.Title.Text = fmt.Sprintf("permutation importance: %s (baseline test %s %s%s)", runLabel(r), res.Metric, numfmt.Value(res.Baseline), atThreshold(res.Threshold))
	p.X.Label.Text = "drop in test " + res.Metric + " when shuffled (mean ± std, 5 shuffles)"
	bars, err := plotter.NewBarChart(vals, vg.Points(12))
	if err != nil {
		return nil, err
	}
	bars.Horizontal = true
	bars.Color = plotColors[0]
	bars.LineStyle.Width = 0
	p.Add(bars)
	eb := &plotter.XErrorBars{XYs: xys, XErrors: plotter.XErrors(errs)}
	if e, err := plotter.NewXErrorBars(eb); err == nil {
		p.Add(e)
	}
	p.NominalY(names...)
	return p, nil
}
