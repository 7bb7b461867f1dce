package tui

import (
	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/trainer"
)

// unitChart is an empty chart over [0, 1]² with ticks at 0, 0.5 and 1 and
// a dotted reference line from (0, ref0) to (1, ref1).
func unitChart(st *Styles, w, h int, ref0, ref1 float64) linechart.Model {
	lc := linechart.New(w, h, 0, 1, 0, 1, linechart.WithXYSteps(1, 1), linechart.WithStyles(st.Axis, st.Axis, st.Text),
		linechart.WithXLabelFormatter(unitTicks(w-3)), linechart.WithYLabelFormatter(unitTicks(h-2)))
	lc.DrawXYAxisAndLabel()
	drawPolyline(&lc, []canvas.Float64Point{{X: 0, Y: ref0}, {X: 1, Y: ref1}}, st.Subtle, 2)
	return lc
}

func inUnit(x, y float64) bool { return finite(x) && finite(y) && x >= 0 && x <= 1 && y >= 0 && y <= 1 }

// prChart draws the precision-recall curve of a binary evaluation, with
// its average precision; the dotted line is the positive rate, a random
// ranking's precision.
func prChart(st *Styles, e trainer.Evaluation, w, h int) string {
	if w < 12 || h < 5 || len(e.PR) < 2 {
		return ""
	}
	base := 0.0
	if cm := e.Confusion; len(cm) == 2 {
		if n := cm[0][0] + cm[0][1] + cm[1][0] + cm[1][1]; n > 0 {
			base = float64(cm[1][0]+cm[1][1]) / float64(n)
		}
	}
	lc := unitChart(st, w, h-1, base, base)
	var pts []canvas.Float64Point
	for i, p := range e.PR {
		if !inUnit(p.Recall, p.Precision) {
			continue
		}
		// Precision holds until recall moves: draw the steps.
		if i > 0 && len(pts) > 0 {
			pts = append(pts, canvas.Float64Point{X: pts[len(pts)-1].X, Y: p.Precision})
		}
		pts = append(pts, canvas.Float64Point{X: p.Recall, Y: p.Precision})
	}
	drawPolyline(&lc, pts, st.ValSeries, 0)
	return st.Header.Render("PR, AP "+numfmt.Value(e.Metrics["pr_auc"])) + "\n" + lc.View()
}

// reliabilityChart draws a reliability diagram: each non-empty bin's mean
// predicted probability (x) against the observed frequency (y), joined,
// over the dotted diagonal of perfect calibration, with the ECE.
func reliabilityChart(st *Styles, e trainer.Evaluation, w, h int) string {
	if w < 12 || h < 5 || len(e.Reliability) == 0 {
		return ""
	}
	lc := unitChart(st, w, h-1, 0, 1)
	var pts []canvas.Float64Point
	for _, b := range e.Reliability {
		if b.Count > 0 && inUnit(b.Confidence, b.Observed) {
			pts = append(pts, canvas.Float64Point{X: b.Confidence, Y: b.Observed})
		}
	}
	drawPolyline(&lc, pts, st.TrainSeries, 0)
	for _, p := range pts {
		lc.DrawRuneWithStyle(p, '•', st.TrainSeries)
	}
	title := "reliability, ECE " + numfmt.Value(e.Metrics["ece"])
	if c := e.Calibration; c != nil {
		title += " (T " + numfmt.Short(c.Temperature) + ")"
	}
	return st.Header.Render(title) + "\n" + lc.View()
}

// evalRow lays out, side by side in w×h cells, an evaluation's charts
// after first: the PR curve (binary) and the reliability diagram, as many
// as fit at 24 cells or more each.
func evalRow(st *Styles, task datasets.Task, e trainer.Evaluation, first func(w int) string, w, h int) string {
	var extra []func(w int) string
	if task == datasets.Binary && len(e.PR) > 1 {
		extra = append(extra, func(w int) string { return prChart(st, e, w, h) })
	}
	if task.IsClassification() && len(e.Reliability) > 0 {
		extra = append(extra, func(w int) string { return reliabilityChart(st, e, w, h) })
	}
	for len(extra) > 0 && w/(len(extra)+1) < 24 {
		extra = extra[:len(extra)-1]
	}
	if len(extra) == 0 {
		return first(w)
	}
	n := len(extra) + 1
	cw := w / n
	parts := []string{plain.Width(w - cw*(n-1)).Render(first(w - cw*(n-1)))}
	for _, f := range extra {
		parts = append(parts, plain.Width(cw).Render(f(cw)))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, parts...)
}
