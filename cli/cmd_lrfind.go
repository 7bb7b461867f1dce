package cli

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"workbench/numfmt"
	"workbench/trainer"
	"workbench/tui"
)

func newLRFindCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lr-find [spec flags] [--json] [-o FILE.png|FILE.svg]",
		Short: "Find a learning rate: the LR range test on a throwaway copy of the spec's network",
		Long: `lr-find trains a throwaway copy of the spec's network for a few hundred
steps while the learning rate grows exponentially from --start to --end,
records the smoothed training loss, and stops when it diverges (4× its
minimum). It draws loss against learning rate (log x) and suggests a rate
from the smoothed curve: the minimum's rate ÷ 10, or the steepest descent
when the loss fell by more than 6× its noise and that point is lower; it says
which and why. Nothing is saved.`,
		Example: examples(
			"workbench lr-find --data digits --scale minmax --layers 64 --act relu --opt adam --batch 64",
			"workbench lr-find --spec run.json --json",
			"workbench lr-find --data circle --layers 8,8 --act relu --opt sgd -o lr.png",
		),
		Args: noArgs,
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	sf := addSpecFlags(fs)
	sf.strict = true
	jsonOut := fs.Bool("json", false, "print the result as one JSON object")
	out := fs.StringP("output", "o", "", "also write the curve to this `file` (.png or .svg)")
	start := fs.Float64("start", 1e-7, "the first learning rate")
	end := fs.Float64("end", 10, "the last learning rate")
	steps := fs.Int("steps", 300, "optimizer steps from --start to --end")
	completeSpecFlags(e, cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if !(*start > 0) || !(*end > *start) || *end > 1e6 {
			return usagef("--start and --end: want 0 < start < end ≤ 1e6")
		}
		if *steps < 10 || *steps > 100000 {
			return usagef("--steps %d: want 10 to 100000", *steps)
		}
		ext := strings.ToLower(filepath.Ext(*out))
		if *out != "" && ext != ".png" && ext != ".svg" {
			return usagef("-o %s: the file must end in .png or .svg", *out)
		}
		spec, data, err := resolveRun(e, sf)
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		res, err := trainer.FindLR(ctx, spec, data, trainer.LRFindOptions{Start: *start, End: *end, Steps: *steps})
		if err != nil {
			return err
		}
		if *out != "" {
			p, err := lrPlot(res, spec)
			if err != nil {
				return err
			}
			f, err := os.Create(*out)
			if err != nil {
				return err
			}
			if err := writeFigure(f, p, ext, 800, 500); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
		if *jsonOut {
			return writeJSON(e.stdout, struct {
				Event string `json:"event"`
				*trainer.LRFindResult
			}{"lr_find", res}, false)
		}
		fmt.Fprintf(e.stdout, "LR range test on %s, %s, %s: %d steps from %s to %s\n", spec.Data.Label(), spec.Optimizer.Name,
			precisionOf(spec), len(res.Points), numfmt.Short(res.Points[0].LR), numfmt.Short(res.Points[len(res.Points)-1].LR))
		fmt.Fprintln(e.stdout, "smoothed training loss against the learning rate (log scale); the line marks the suggestion")
		fmt.Fprintln(e.stdout, tui.LRChart(res, 72, 16))
		fmt.Fprintln(e.stdout, tui.LRSuggestion(res))
		fmt.Fprintf(e.stdout, "train with it: workbench train [same flags] --lr %s\n", numfmt.Short(res.Suggested))
		if *out != "" {
			fmt.Fprintf(e.stdout, "wrote %s\n", *out)
		}
		return nil
	}
	return cmd
}

// lrPlot draws the range test: raw and smoothed loss against the learning
// rate on a log axis, the suggestion as a vertical line.
func lrPlot(res *trainer.LRFindResult, spec trainer.Spec) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "LR range test: " + spec.Data.Label() + ", " + spec.Optimizer.Name
	p.X.Label.Text = "learning rate"
	p.Y.Label.Text = "training loss"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = powerTicks{}
	p.Add(plotter.NewGrid())
	var raw, sm plotter.XYs
	lo, hi := 0.0, 0.0
	for i, pt := range res.Points {
		if !(pt.LR > 0) || !finiteNum(pt.Smoothed) {
			continue
		}
		if i == 0 || pt.Smoothed < lo {
			lo = pt.Smoothed
		}
		hi = max(hi, pt.Smoothed)
		sm = append(sm, plotter.XY{X: pt.LR, Y: pt.Smoothed})
		if finiteNum(pt.Loss) {
			raw = append(raw, plotter.XY{X: pt.LR, Y: pt.Loss})
		}
	}
	if len(sm) == 0 {
		return nil, fmt.Errorf("lr-find: no finite loss to plot")
	}
	for _, s := range []struct {
		xys   plotter.XYs
		name  string
		width vg.Length
		c     int
	}{{raw, "loss", 0.5, 7}, {sm, "smoothed", 2, 0}} {
		if len(s.xys) == 0 {
			continue
		}
		l, err := plotter.NewLine(s.xys)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = plotColors[s.c], vg.Points(float64(s.width))
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	// Keep the divergence from squashing the descent.
	p.Y.Min, p.Y.Max = lo-(hi-lo)*0.05, min(hi, sm[0].Y*1.5)+(hi-lo)*0.05
	if res.Suggested > 0 {
		v, err := plotter.NewLine(plotter.XYs{{X: res.Suggested, Y: p.Y.Min}, {X: res.Suggested, Y: p.Y.Max}})
		if err != nil {
			return nil, err
		}
		v.Color, v.Dashes = plotColors[2], []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(v)
		p.Legend.Add("suggested "+numfmt.Short(res.Suggested)+" ("+res.Rule+")", v)
	}
	return p, nil
}

// powerTicks are log ticks labelled as powers of ten (1e-5), not as
// decimals that floating point spells 9.999999999999999e-06.
type powerTicks struct{}

func (powerTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.LogTicks{Prec: -1}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" && ts[i].Value > 0 {
			ts[i].Label = fmt.Sprintf("1e%d", int(math.Round(math.Log10(ts[i].Value))))
		}
	}
	return ts
}

// precisionOf names the spec's precision (float64 when unset).
func precisionOf(s trainer.Spec) string {
	if s.Precision == "" {
		return trainer.Float64
	}
	return s.Precision
}
