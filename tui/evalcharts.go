package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"

	"workbench/datasets"
	"workbench/numfmt"
	"workbench/trainer"
)

// lowerLeft is the key metric chart; after the run, the ROC curve
// (binary) or the key metric chart (multiclass) with the PR curve (binary)
// and the reliability diagram beside it when they fit, or predicted
// against actual (regression). A cross-validated run's curves are its
// out-of-fold ones, from the folds' validation predictions.
func (m trainModel) lowerLeft(r *liveRun, w int) string {
	if r.fin == nil {
		return r.metric.view()
	}
	_, _, _, mh, _, _ := m.layout()
	e, which := r.fin.Test, "test"
	if len(r.fin.Val.Folds) > 0 || e.Metrics == nil {
		e, which = r.fin.Val, "CV"
	}
	if e.Metrics == nil {
		return r.metric.view()
	}
	task := r.data.Task()
	switch task {
	case datasets.Binary, datasets.Multiclass:
		first := func(w int) string { return r.metric.viewAt(w, mh) }
		if task == datasets.Binary && len(e.ROC) > 1 {
			first = func(w int) string { return rocChart(m.styles, which, e, w, mh) }
		}
		return evalRow(m.styles, task, e, first, w, mh)
	case datasets.Regression:
		if len(e.Pairs) > 0 {
			return m.pairsChart(e, w, mh)
		}
	}
	return r.metric.view()
}

// rocChart draws an evaluation's ROC curve; which names its rows: test,
// or CV for a cross-validated run's out-of-fold rows (short, to fit).
func rocChart(st *Styles, which string, e trainer.Evaluation, w, h int) string {
	if w < 12 || h < 5 {
		return ""
	}
	// A label on every row and column, of which only those that fall on
	// 0, 0.5 and 1 print: the ticks then sit exactly where their values are.
	lc := linechart.New(w, h-1, 0, 1, 0, 1, linechart.WithXYSteps(1, 1), linechart.WithStyles(st.Axis, st.Axis, st.Text),
		linechart.WithXLabelFormatter(unitTicks(w-3)), linechart.WithYLabelFormatter(unitTicks(h-3)))
	lc.DrawXYAxisAndLabel()
	lc.DrawBrailleLineWithStyle(canvas.Float64Point{X: 0, Y: 0}, canvas.Float64Point{X: 1, Y: 1}, st.Subtle)
	// Rates outside [0, 1] or not finite would send the line drawing off
	// the canvas (NaN never ends it): such points are skipped.
	var pts []canvas.Float64Point
	for _, p := range e.ROC {
		if finite(p.FPR) && finite(p.TPR) && p.FPR >= 0 && p.FPR <= 1 && p.TPR >= 0 && p.TPR <= 1 {
			pts = append(pts, canvas.Float64Point{X: p.FPR, Y: p.TPR})
		}
	}
	drawPolyline(&lc, pts, st.TrainSeries, 0)
	return st.Header.Render(which+" ROC, AUC "+numfmt.Value(e.Metrics["auc"])) + "\n" + lc.View()
}

func (m trainModel) pairsChart(e trainer.Evaluation, w, h int) string {
	st := m.styles
	if w < 12 || h < 5 {
		return ""
	}
	var pts []canvas.Float64Point
	for _, p := range e.Pairs {
		if finite(p[0]) && finite(p[1]) {
			pts = append(pts, canvas.Float64Point{X: clampPlot(p[0]), Y: clampPlot(p[1])})
		}
	}
	// One line at any width: wrapped, it pushed the chart's axis off the
	// pane at 80×24.
	head := "test: predicted (y) against actual (x), R² "
	if len(head)+numfmt.Width > w {
		head = "test: predicted vs actual, R² "
	}
	title := st.Header.Render(truncate(head+numfmt.Value(e.Metrics["r2"]), w))
	if len(pts) == 0 {
		return title + "\n" + st.Subtle.Render("n/a: no finite predictions")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		lo, hi = math.Min(lo, math.Min(p.X, p.Y)), math.Max(hi, math.Max(p.X, p.Y))
	}
	lo, hi = plotRange(lo, hi)
	lc := linechart.New(w, h-1, lo, hi, lo, hi, linechart.WithXYSteps(4, 2), linechart.WithStyles(st.Axis, st.Axis, st.Text),
		linechart.WithXLabelFormatter(axisLabel), linechart.WithYLabelFormatter(axisLabel))
	lc.DrawXYAxisAndLabel()
	lc.DrawBrailleLineWithStyle(canvas.Float64Point{X: lo, Y: lo}, canvas.Float64Point{X: hi, Y: hi}, st.Subtle)
	for _, p := range pts {
		lc.DrawRuneWithStyle(p, '•', st.TrainSeries)
	}
	return title + "\n" + lc.View()
}

// confusionTitle heads a test confusion matrix in w cells. A binary run
// with a decision rule (its test metrics hold the threshold) says which
// threshold the counts are at: they are not at 0.5.
func confusionTitle(test map[string]float64, w int) string {
	th, ok := test["threshold"]
	if !ok {
		return truncate("test confusion (rows actual)", w)
	}
	long := "test confusion at " + numfmt.Value(th) + " (rows actual)"
	if len(long) <= w {
		return long
	}
	return truncate("test confusion at "+numfmt.Value(th), w)
}

// confusionView draws a confusion matrix (rows actual, columns predicted)
// in at most w cells: cells are as wide as the largest count or, when
// every column then fits, the longest class name (up to 8), column
// heads are class names cut to that width, and when even that does not
// fit (many classes) it shows the first classes that do and says how many
// it left out. The diagonal is highlighted.
func confusionView(cm [][]int, classes []string, st *Styles, w int) string {
	n := len(cm)
	if n == 0 {
		return st.Subtle.Render("n/a")
	}
	digits := 1
	for _, row := range cm {
		for _, v := range row {
			digits = max(digits, len(fmt.Sprint(v)))
		}
	}
	name := func(i, width int) string {
		if i < len(classes) {
			return truncate(sanitizeLabel(classes[i]), width)
		}
		return truncate(fmt.Sprint(i), width)
	}
	// Labels take up to 8 cells, more when the matrix leaves room
	// ("malignant" read "maligna…" in a panel of 42 columns), up to 16.
	labelCap := max(8, min(16, w/(n+1)-1))
	labelW := 1
	for i := 0; i < n; i++ {
		labelW = max(labelW, min(len([]rune(name(i, labelCap))), labelCap))
	}
	cellW := max(digits, 3)
	if wide := max(cellW, labelW); labelW+n*(wide+1) <= w {
		cellW = wide // "good" read "go…" with room to spare
	}
	// Row labels give up cells before a class's column does: at 44
	// columns fashion-mnist's 8-cell names left room for 9 of 10 classes.
	if over := labelW + n*(cellW+1) - w; over > 0 {
		labelW = max(labelW-over, min(labelW, 3))
	}
	shown := n
	for shown > 1 && labelW+shown*(cellW+1) > w {
		shown--
	}
	var b strings.Builder
	b.WriteString(fmt.Sprintf("%*s", labelW, ""))
	for j := 0; j < shown; j++ {
		b.WriteString(fmt.Sprintf(" %*s", cellW, name(j, cellW)))
	}
	for i := 0; i < shown; i++ {
		b.WriteString("\n" + fmt.Sprintf("%*s", labelW, name(i, labelW)))
		for j := 0; j < shown && j < len(cm[i]); j++ {
			cell := fmt.Sprintf(" %*d", cellW, cm[i][j])
			if i == j {
				cell = st.Good.Render(cell)
			}
			b.WriteString(cell)
		}
	}
	if shown < n {
		// Wrapped here, so that its height is counted (the panel would
		// wrap it and lose its bottom border).
		b.WriteString("\n" + st.Subtle.Render(wrap(fmt.Sprintf("first %d of %d classes; the rest do not fit", shown, n), w)))
	}
	return b.String()
}

// sanitizeLabel drops control characters from text that reaches the
// terminal (class names come from user CSVs).
func sanitizeLabel(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}

// truncateANSI cuts a styled string to w cells.
func truncateANSI(s string, w int) string {
	return plain.MaxWidth(w).Render(s)
}
