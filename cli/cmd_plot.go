package cli

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
)

func newPlotCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plot --run ID [--run ID]... [--kind curves|roc|pr|calibration|confusion|importance|layers] [--metric val_loss] -o FILE.png|FILE.svg | --kind parallel --sweep ID -o FILE",
		Short: "Write PNG or SVG figures: a run's curves, ROC curve, confusion matrix, feature importance or layer health, a sweep in parallel coordinates",
		Example: examples(
			"workbench plot --run ID1 --run ID2 --metric val_loss -o curves.png",
			"workbench plot --run ID --kind roc -o roc.svg",
			"workbench plot --run ID --kind pr -o pr.png              # precision-recall, with average precision",
			"workbench plot --run ID --run ID2 --kind calibration -o reliability.png",
			"workbench plot --run ID --kind confusion -o confusion.png --width 600 --height 600",
			"workbench plot --run ID --kind importance -o importance.png   # permutation importance on the test split",
			"workbench plot --run ID --kind layers -o layers.png           # layer health by epoch",
			"workbench plot --kind parallel --sweep sweep-20261128-190000-abcdef -o sweep.png",
		),
		Args: noArgs,
	}
	fs := cmd.Flags()
	ids := fs.StringArray("run", nil, "a saved `run`: an ID, or a unique prefix or suffix of one (repeatable)")
	kind := fs.String("kind", "curves", "curves, roc, pr, calibration, confusion, importance, layers, or parallel (a sweep's trials in parallel coordinates)")
	sweepID := fs.String("sweep", "", "parallel: the `sweep`, an ID or a unique prefix or suffix of one")
	metric := fs.String("metric", "val_loss", "curves: the metric per epoch (val_loss, train_loss, val_accuracy, …)")
	out := fs.StringP("output", "o", "", "the output `file`: .png or .svg")
	width := fs.Int("width", 800, "width in pixels")
	height := fs.Int("height", 500, "height in pixels")
	force := addForceFlag(cmd)
	cmd.RegisterFlagCompletionFunc("run", completeRunIDs(e))
	cmd.RegisterFlagCompletionFunc("kind", fixedCompletion("curves", "roc", "pr", "calibration", "confusion", "importance", "layers", "parallel"))
	cmd.RegisterFlagCompletionFunc("sweep", completeSweepIDs(e))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if *kind == "parallel" || *sweepID != "" {
			return plotSweep(e, cmd, *sweepID, *ids, *kind, *out, *width, *height, *force)
		}
		return plotRuns(e, cmd, *ids, *kind, *metric, *out, *width, *height, *force)
	}
	return cmd
}

// figureDPI turns pixels into plot lengths: a W×H-pixel PNG is W×H points
// at 72 dpi.
const figureDPI = 72

var plotColors = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255},
	{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255},
}

func plotRuns(e *env, cmd *cobra.Command, ids []string, kind, metric, out string, width, height int, force bool) error {
	if len(ids) == 0 || out == "" {
		return usagef("--run and -o are required")
	}
	ext := strings.ToLower(filepath.Ext(out))
	if ext != ".png" && ext != ".svg" {
		return usagef("-o %s: the file must end in .png or .svg", out)
	}
	if width < 50 || height < 50 || width > 10000 || height > 10000 {
		return usagef("--width and --height must be between 50 and 10000 pixels")
	}
	switch kind {
	case "curves", "roc", "pr", "calibration", "confusion", "importance", "layers":
	default:
		kinds := []string{"curves", "roc", "pr", "calibration", "confusion", "importance", "layers", "parallel"}
		if s := suggest(kind, kinds); s != "" {
			return usagef("--kind: unknown kind %q; did you mean %s?", kind, s)
		}
		return usagef("--kind: %q is not curves, roc, pr, calibration, confusion, importance, layers or parallel (with --sweep)", kind)
	}
	store, err := openStoreToRead(e, cmd)
	if err != nil {
		return err
	}
	defer store.Close()
	if ids, err = resolveRunIDs(store, ids); err != nil {
		return err
	}
	if kind == "layers" {
		if err := writeLayersFigure(store, ids[0], out, width, height); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s (%d×%d)\n", out, width, height)
		return nil
	}
	var p *plot.Plot
	switch kind {
	case "curves":
		p, err = curvesPlot(store, ids, metric)
	case "roc":
		p, err = rocPlot(store, ids)
	case "pr":
		p, err = prPlot(store, ids)
	case "calibration":
		p, err = calibrationPlot(store, ids)
	case "importance":
		p, err = importancePlot(store, ids[0])
	default:
		p, err = confusionPlot(store, ids[0])
	}
	if err != nil {
		return err
	}
	if err := writeOutput(e, out, force, func(w io.Writer) error { return writeFigure(w, p, ext, width, height) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (%d×%d)\n", out, width, height)
	return nil
}

// writeFigure draws p at exactly w×h pixels (PNG) or points (SVG).
func writeFigure(w io.Writer, p *plot.Plot, ext string, wpx, hpx int) error {
	wl, hl := vg.Length(wpx)*vg.Inch/figureDPI, vg.Length(hpx)*vg.Inch/figureDPI
	if ext == ".svg" {
		c := vgsvg.New(wl, hl)
		p.Draw(draw.New(c))
		_, err := c.WriteTo(w)
		return err
	}
	c := vgimg.NewWith(vgimg.UseWH(wl, hl), vgimg.UseDPI(figureDPI))
	p.Draw(draw.New(c))
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

func runLabel(r *sessions.Run) string {
	if r.Name != "" {
		return r.Name
	}
	return r.ID
}

func curvesPlot(store sessions.Store, ids []string, metric string) (*plot.Plot, error) {
	split, name, ok := strings.Cut(metric, "_")
	if !ok || (split != "val" && split != "train") {
		return nil, usagef("--metric %q: want val_… or train_… (val_loss, val_accuracy, train_loss)", metric)
	}
	p := plot.New()
	p.Title.Text = metric + " by epoch"
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = metric
	p.Add(plotter.NewGrid())
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, id := range ids {
		r, err := store.GetRun(context.Background(), id)
		if err != nil {
			return nil, err
		}
		hist, err := store.History(context.Background(), id)
		if err != nil {
			return nil, err
		}
		var pts plotter.XYs
		for _, e := range hist {
			src := e.Val
			if split == "train" {
				src = e.Train
			}
			if v, ok := src[name]; ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				pts = append(pts, plotter.XY{X: float64(e.Epoch), Y: v})
			}
		}
		if len(pts) == 0 {
			return nil, fmt.Errorf("run %s has no %s history", id, metric)
		}
		for _, q := range pts {
			if !math.IsNaN(q.Y) && !math.IsInf(q.Y, 0) {
				lo, hi = math.Min(lo, q.Y), math.Max(hi, q.Y)
			}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = plotColors[i%len(plotColors)]
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(runLabel(r), l)
	}
	// The y range holds every point with a margin, so no point sits on
	// (or past) the frame.
	if lo <= hi {
		pad := math.Max((hi-lo)*0.05, math.Max(math.Abs(hi)*1e-3, 1e-9))
		p.Y.Min, p.Y.Max = lo-pad, hi+pad
	}
	p.Legend.Top = true
	return p, nil
}

// unitPlot is a plot over the unit square with a grid and, when diagonal
// is set, the dashed grey line y = x (chance for ROC, perfect calibration
// for a reliability diagram).
func unitPlot(title, x, y string, diagonal bool) *plot.Plot {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, x, y
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(plotter.NewGrid())
	if diagonal {
		d, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
		d.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}
		d.Color = color.Gray{Y: 150}
		p.Add(d)
	}
	return p
}

func rocPlot(store sessions.Store, ids []string) (*plot.Plot, error) {
	p := unitPlot("ROC curve (test split)", "false positive rate", "true positive rate", true)
	var splits []string
	for i, id := range ids {
		r, err := store.GetRun(context.Background(), id)
		if err != nil {
			return nil, err
		}
		split, e := curveSplit(store, id, func(e *trainer.Evaluation) bool { return len(e.ROC) >= 2 })
		if e == nil {
			return nil, fmt.Errorf("run %s has no ROC curve (%s)", id, noCurveReason(r, "ROC"))
		}
		splits = append(splits, split)
		var pts plotter.XYs
		for _, q := range e.ROC {
			pts = append(pts, plotter.XY{X: q.FPR, Y: q.TPR})
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = plotColors[i%len(plotColors)]
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s (%s)", runLabel(r), curveMetric(split, "AUC", e.Metrics["auc"])), l)
	}
	p.Title.Text = "ROC curve (" + splitsTitle(splits) + ")"
	p.Legend.Left, p.Legend.Top = false, false
	return p, nil
}

// curveSplit picks the evaluation a run's curve or confusion matrix is
// drawn from: the test split's, or for a cross-validated run, which keeps
// them only for its pooled out-of-fold validation rows, those ("its ROC,
// PR curve and reliability diagram are out-of-fold"). It returns nil when
// the run has none.
func curveSplit(store sessions.Store, id string, has func(*trainer.Evaluation) bool) (string, *trainer.Evaluation) {
	ev, err := store.Evaluation(context.Background(), id)
	switch {
	case err != nil:
		return "", nil
	case has(&ev.Test) && len(ev.Test.Folds) == 0:
		return "test split", &ev.Test
	case len(ev.Val.Folds) > 0 && has(&ev.Val):
		return "out-of-fold", &ev.Val
	}
	return "", nil
}

// curveMetric labels a curve's summary metric; a cross-validated run's is
// the mean over its folds, not the pooled curve's own.
func curveMetric(split, name string, v float64) string {
	if split == "out-of-fold" {
		return fmt.Sprintf("out-of-fold; mean fold %s %s", name, numfmt.Value(v))
	}
	return name + " " + numfmt.Value(v)
}

// splitsTitle names the rows a figure's curves are of.
func splitsTitle(splits []string) string {
	if slices.Contains(splits, "out-of-fold") && slices.Contains(splits, "test split") {
		return "test split; out-of-fold for a cross-validated run"
	}
	if slices.Contains(splits, "out-of-fold") {
		return "out-of-fold validation rows"
	}
	return "test split"
}

// noCurveReason says why a run has no curve of a kind: its task, or that
// it was trained before runs kept one. The ROC's said "ROC is for binary
// tasks" of a binary cross-validated run.
func noCurveReason(r *sessions.Run, what string) string {
	switch {
	case r.Task != "binary" && what != "confusion matrix":
		return fmt.Sprintf("%s is for binary tasks; this run is %s", what, r.Task)
	case r.Task == "regression":
		return "a confusion matrix is for classification; this run is regression"
	case r.Kind == sessions.KindEnsemble || r.Kind == sessions.KindCompressed:
		return "a derived run keeps none"
	}
	return "a run trained by an older version keeps none"
}

// confusionGrid adapts a confusion matrix to plotter.GridXYZ, whose Y must
// increase with the row: grid row r is matrix row n-1-r, so actual class 0
// is drawn at the top.
type confusionGrid [][]int

func (g confusionGrid) Dims() (c, r int)   { return len(g), len(g) }
func (g confusionGrid) X(c int) float64    { return float64(c) }
func (g confusionGrid) Y(r int) float64    { return float64(r) }
func (g confusionGrid) Z(c, r int) float64 { return float64(g[len(g)-1-r][c]) }

func confusionPlot(store sessions.Store, id string) (*plot.Plot, error) {
	r, err := store.GetRun(context.Background(), id)
	if err != nil {
		return nil, err
	}
	split, e := curveSplit(store, id, func(e *trainer.Evaluation) bool { return len(e.Confusion) > 0 })
	if e == nil {
		return nil, fmt.Errorf("run %s has no confusion matrix (%s)", id, noCurveReason(r, "confusion matrix"))
	}
	cm := confusionGrid(e.Confusion)
	maxV := 1.0
	for _, row := range cm {
		for _, v := range row {
			maxV = max(maxV, float64(v))
		}
	}
	// A sequential map, light for few rows and dark for many (Kindlmann's,
	// reversed), so the diagonal stands out and the map reads in grey too.
	cmap := moreland.Kindlmann()
	cmap.SetMin(0)
	cmap.SetMax(1)
	cols := cmap.Palette(64).Colors()
	slices.Reverse(cols)
	hm := plotter.NewHeatMap(cm, reversedPalette(cols))
	hm.Min, hm.Max = 0, maxV
	p := plot.New()
	where := "test"
	if split == "out-of-fold" {
		where = "out-of-fold"
	}
	p.Title.Text = "confusion matrix (" + where + atThreshold(e.Metrics["threshold"]) + "): " + runLabel(r)
	p.X.Label.Text = "predicted"
	p.Y.Label.Text = "actual"
	p.Add(hm)
	if l, err := confusionAnnotations(cm, maxV); err == nil {
		p.Add(l)
	}
	names := func(reverse bool) plot.ConstantTicks {
		var t plot.ConstantTicks
		for i := range cm {
			idx := i
			if reverse {
				idx = len(cm) - 1 - i
			}
			label := fmt.Sprint(idx)
			if idx < len(r.Classes) {
				label = r.Classes[idx]
			}
			t = append(t, plot.Tick{Value: float64(i), Label: label})
		}
		return t
	}
	p.X.Tick.Marker = names(false)
	p.Y.Tick.Marker = names(true)
	return p, nil
}

// reversedPalette is a palette of fixed colours.
type reversedPalette []color.Color

func (p reversedPalette) Colors() []color.Color { return p }

// confusionAnnotations writes each cell's count on it: dark text on light
// cells, white on dark ones (more than half the largest count).
func confusionAnnotations(cm confusionGrid, maxV float64) (*plotter.Labels, error) {
	var labels plotter.XYLabels
	for ri, row := range cm {
		for ci, v := range row {
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(ci), Y: float64(len(cm) - 1 - ri)})
			labels.Labels = append(labels.Labels, fmt.Sprint(v))
		}
	}
	l, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, err
	}
	for i, xy := range labels.XYs {
		if float64(cm[len(cm)-1-int(xy.Y)][int(xy.X)]) > maxV/2 {
			l.TextStyle[i].Color = color.White
		} else {
			l.TextStyle[i].Color = color.Black
		}
	}
	return l, nil
}
