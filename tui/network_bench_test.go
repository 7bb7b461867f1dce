package tui

import (
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"workbench/datasets"
	"workbench/trainer"
)

// BenchmarkNetworkBuild is one computation of the view (off the UI path)
// and BenchmarkNetworkView one drawing of a frame (on it), for a 2-D 2-16-16-1 network
// and a digits-sized 64-128-10 one at 120×40.
func BenchmarkNetworkBuild(b *testing.B) {
	for _, c := range netBenchCases() {
		b.Run(c.name, func(b *testing.B) {
			colour(b)
			m := newNetwork(&chartStyles)
			m.SetSize(120, 38)
			_, _, mw, mh, _, per := netGeometry(120, 38, len(c.snap.Layers)+1, 128)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				buildNetwork("r", c.in, c.snap, mw, mh, per)
			}
		})
	}
}

func BenchmarkNetworkView(b *testing.B) {
	for _, c := range netBenchCases() {
		b.Run(c.name, func(b *testing.B) {
			colour(b)
			m := newNetwork(&chartStyles)
			m.SetSize(120, 38)
			m.Focus()
			r := &liveRun{id: "r", plane: c.in.plane}
			r.inside.netIn = c.in
			for _, ev := range fixedHealth("r") {
				r.inside.fold(ev)
			}
			r.inside.fold(trainer.FinishedEvent{Model: c.snap})
			m.receive(r, m.refresh(r)().(networkMsg))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				m.draw(r) // a frame after a change; unchanged frames reuse it
			}
		})
	}
}

type netBenchCase struct {
	name string
	snap *trainer.Snapshot
	in   *netInput
}

// colour runs f under a colour profile, as in a real terminal.
func colour(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	b.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
}

func netBenchCases() []netBenchCase {
	digits := fixedSnapshot(64, []int{128}, "relu")
	digits.Task = datasets.Multiclass
	last := &digits.Layers[1]
	last.Out, last.W, last.B = 10, make([]float64, 128*10), make([]float64, 10)
	sample := make([]float64, 256*64)
	for i := range sample {
		sample[i] = float64(i%17) / 16
	}
	return []netBenchCase{
		{"2d", fixedSnapshot(2, []int{16, 16}, "tanh"), newNetInput(nil, unitPlane())},
		{"digits", digits, &netInput{sample: sample, rows: 256}},
	}
}
