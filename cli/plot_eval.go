package cli

import (
	"context"
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
)

// prPlot draws the test precision-recall curves of binary runs, each with
// its average precision, and the positive rate as the chance level.
func prPlot(store sessions.Store, ids []string) (*plot.Plot, error) {
	p := unitPlot("Precision-recall curve (test split)", "recall", "precision", false)
	var splits []string
	for i, id := range ids {
		r, err := store.GetRun(context.Background(), id)
		if err != nil {
			return nil, err
		}
		split, e := curveSplit(store, id, func(e *trainer.Evaluation) bool { return len(e.PR) >= 2 })
		if e == nil {
			return nil, fmt.Errorf("run %s has no precision-recall curve (%s)", id, noCurveReason(r, "a precision-recall curve"))
		}
		splits = append(splits, split)
		var pts plotter.XYs
		for _, q := range e.PR {
			pts = append(pts, plotter.XY{X: q.Recall, Y: q.Precision})
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = plotColors[i%len(plotColors)]
		l.Width = vg.Points(1.5)
		l.StepStyle = plotter.PreStep
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s (%s)", runLabel(r), curveMetric(split, "AP", e.Metrics["pr_auc"])), l)
		if cm := e.Confusion; len(cm) == 2 {
			pos := float64(cm[1][0] + cm[1][1])
			n := pos + float64(cm[0][0]+cm[0][1])
			if n > 0 {
				base, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: pos / n}, {X: 1, Y: pos / n}})
				base.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}
				base.Color = color.Gray{Y: 150}
				p.Add(base)
			}
		}
	}
	p.Title.Text = "Precision-recall curve (" + splitsTitle(splits) + ")"
	p.Legend.Left, p.Legend.Top = false, false
	return p, nil
}

// calibrationPlot draws reliability diagrams: each bin's mean predicted
// probability against the observed frequency, over the diagonal of
// perfect calibration, on the test split (the out-of-fold validation rows
// for a cross-validated run).
func calibrationPlot(store sessions.Store, ids []string) (*plot.Plot, error) {
	p := unitPlot("Reliability diagram", "mean predicted probability", "observed frequency", true)
	for i, id := range ids {
		r, err := store.GetRun(context.Background(), id)
		if err != nil {
			return nil, err
		}
		ev, err := store.Evaluation(context.Background(), id)
		if err != nil {
			return nil, fmt.Errorf("run %s has no evaluation", id)
		}
		split, e := reliabilitySplit(ev)
		if e == nil {
			return nil, fmt.Errorf("run %s has no reliability bins (they are for classification runs trained by this version)", id)
		}
		var pts plotter.XYs
		for _, b := range e.Reliability {
			if b.Count > 0 {
				pts = append(pts, plotter.XY{X: b.Confidence, Y: b.Observed})
			}
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		c := plotColors[i%len(plotColors)]
		l.Color, l.Width = c, vg.Points(1.5)
		sc.GlyphStyle.Color, sc.GlyphStyle.Radius = c, vg.Points(2.5)
		p.Add(l, sc)
		p.Legend.Add(fmt.Sprintf("%s (%s ECE %s, Brier %s)", runLabel(r), split, numfmt.Value(e.Metrics["ece"]), numfmt.Value(e.Metrics["brier"])), l, sc)
	}
	p.Legend.Left, p.Legend.Top = true, true
	return p, nil
}

// reliabilitySplit picks the evaluation whose bins a reliability diagram
// shows: the test split's, or the out-of-fold validation bins of a
// cross-validated run, which has none on test.
func reliabilitySplit(ev *sessions.Evaluations) (string, *trainer.Evaluation) {
	if len(ev.Test.Reliability) > 0 && len(ev.Test.Folds) == 0 {
		return "test", &ev.Test
	}
	if len(ev.Val.Reliability) > 0 {
		if len(ev.Val.Folds) > 0 {
			return "out-of-fold", &ev.Val
		}
		return "validation", &ev.Val
	}
	return "", nil
}
