package cli

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"workbench/numfmt"
	"workbench/sessions"
	"workbench/trainer"
)

// printLayerHealth prints the last recorded epoch's layer health and every
// warning the rules raised over the history.
func printLayerHealth(w io.Writer, hist []sessions.Epoch) {
	last := -1
	for i, h := range hist {
		if len(h.Layers) > 0 {
			last = i
		}
	}
	if last < 0 {
		return
	}
	fmt.Fprintf(w, "\nlayer health (epoch %d):\n", hist[last].Epoch)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  layer\tactivation\tunits\tweight norm\tgrad norm\tupdate/weight\tdead\tsaturated\tact mean\tact std\t")
	for _, l := range hist[last].Layers {
		fmt.Fprintf(tw, "  %d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", l.Layer, l.Activation, l.Units, numfmt.Value(l.WeightNorm),
			numfmt.Value(l.GradNorm), numfmt.Value(l.UpdateRatio), pct(l.Dead), pct(l.Saturated), numfmt.Value(l.ActMean), numfmt.Value(l.ActStd))
	}
	tw.Flush()
	var epochs []int
	var layers [][]trainer.LayerHealth
	for _, h := range hist {
		if len(h.Layers) > 0 {
			epochs, layers = append(epochs, h.Epoch), append(layers, h.Layers)
		}
	}
	for _, wn := range trainer.HealthWarnings(epochs, layers) {
		fmt.Fprintf(w, "warning at epoch %d: %s\n", wn.Epoch, wn.Text)
	}
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// layerMeasures are the panels of plot --kind layers.
var layerMeasures = []struct {
	title string
	get   func(trainer.LayerHealth) float64
}{
	{"weight norm", func(l trainer.LayerHealth) float64 { return l.WeightNorm }},
	{"gradient norm (first batch)", func(l trainer.LayerHealth) float64 { return l.GradNorm }},
	{"update / weight ratio", func(l trainer.LayerHealth) float64 { return l.UpdateRatio }},
	{"dead units (fraction)", func(l trainer.LayerHealth) float64 { return l.Dead }},
	{"saturated units (fraction)", func(l trainer.LayerHealth) float64 { return l.Saturated }},
	{"activation std", func(l trainer.LayerHealth) float64 { return l.ActStd }},
}

// layersPlots draws a run's layer health by epoch: one panel per measure,
// one line per hidden layer.
func layersPlots(store sessions.Store, id string) ([]*plot.Plot, error) {
	hist, err := store.History(context.Background(), id)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, h := range hist {
		for _, l := range h.Layers {
			n = max(n, l.Layer)
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("run %s has no layer health recorded (no hidden layer, or recorded before workbench measured it)", id)
	}
	var out []*plot.Plot
	for _, m := range layerMeasures {
		p := plot.New()
		p.Title.Text = m.title
		p.X.Label.Text = "epoch"
		p.Add(plotter.NewGrid())
		for layer := 1; layer <= n; layer++ {
			var xys plotter.XYs
			for _, h := range hist {
				for _, l := range h.Layers {
					if v := m.get(l); l.Layer == layer && finiteNum(v) {
						xys = append(xys, plotter.XY{X: float64(h.Epoch), Y: v})
					}
				}
			}
			if len(xys) == 0 {
				continue
			}
			line, err := plotter.NewLine(xys)
			if err != nil {
				return nil, err
			}
			line.Color = plotColors[(layer-1)%len(plotColors)]
			line.Width = vg.Points(1.5)
			p.Add(line)
			p.Legend.Add(fmt.Sprintf("layer %d", layer), line)
		}
		p.Legend.Top = true
		out = append(out, p)
	}
	return out, nil
}

func finiteNum(v float64) bool { return v == v && v-v == 0 }

// writeLayersFigure writes layersPlots as a 3×2 grid of panels.
func writeLayersFigure(store sessions.Store, id, out string, wpx, hpx int) error {
	plots, err := layersPlots(store, id)
	if err != nil {
		return err
	}
	const rows, cols = 3, 2
	tiles := make([][]*plot.Plot, rows)
	for r := range tiles {
		tiles[r] = plots[r*cols : (r+1)*cols]
	}
	wl, hl := vg.Length(wpx)*vg.Inch/figureDPI, vg.Length(hpx)*vg.Inch/figureDPI
	ext := strings.ToLower(filepath.Ext(out))
	var c io.WriterTo
	var dc draw.Canvas
	if ext == ".svg" {
		s := vgsvg.New(wl, hl)
		dc, c = draw.New(s), s
	} else {
		img := vgimg.NewWith(vgimg.UseWH(wl, hl), vgimg.UseDPI(figureDPI))
		dc, c = draw.New(img), vgimg.PngCanvas{Canvas: img}
	}
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(tiles, t, dc)
	for r := range tiles {
		for k := range tiles[r] {
			tiles[r][k].Draw(canvases[r][k])
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
