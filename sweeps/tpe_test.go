package sweeps

import (
	"math"
	"reflect"
	"sort"
	"strconv"
	"testing"

	"workbench/trainer"
)

// synthetic is a cheap objective to minimise over the space of
// syntheticSpec: a log-scale learning rate, an int width, a uniform
// dropout and a choice, with its minimum 0 at lr 3e-3, units 48,
// dropout 0.1 and act tanh.
func synthetic(p map[string]string) float64 {
	lr, _ := strconv.ParseFloat(p["lr"], 64)
	units, _ := strconv.ParseFloat(p["model.hidden[0].units"], 64)
	drop, _ := strconv.ParseFloat(p["dropout"], 64)
	y := math.Pow(math.Log10(lr/3e-3), 2) + math.Pow((units-48)/40, 2) + 4*math.Pow(drop-0.1, 2)
	if p["act"] != "tanh" {
		y += 0.3
	}
	return y
}

func syntheticSpec(sampler string, seed uint64) Spec {
	return Spec{Base: base(5), Sampler: sampler, Trials: 30, Seed: seed, Random: []Dist{
		{Field: "lr", Kind: "log", Min: 1e-5, Max: 1},
		{Field: "model.hidden[0].units", Kind: "int", Min: 1, Max: 128},
		{Field: "dropout", Kind: "uniform", Min: 0, Max: 0.5},
		{Field: "act", Kind: "choice", Items: []string{"relu", "tanh", "sigmoid", "elu"}},
	}}
}

// searchFunc runs a sweep's sampler against f, one trial at a time, and
// returns the objectives in trial order.
func searchFunc(t testing.TB, s Spec, f func(map[string]string) float64) ([]float64, []Trial) {
	t.Helper()
	expanded, err := Expand(s)
	if err != nil {
		t.Fatal(err)
	}
	next := newSource(s, expanded, true, func(trainer.Spec) error { return nil })
	var done []TrialResult
	var ys []float64
	var trials []Trial
	for i := 0; i < s.budget(len(expanded)); i++ {
		tr, err := next(i, done)
		if err != nil {
			t.Fatalf("trial %d: %v", i, err)
		}
		y := f(tr.Params)
		done = append(done, TrialResult{Trial: tr, Status: trainer.StatusDone, Objective: y, HasObj: true})
		ys = append(ys, y)
		trials = append(trials, tr)
	}
	return ys, trials
}

func bestOf(ys []float64) float64 {
	b := math.Inf(1)
	for _, y := range ys {
		b = math.Min(b, y)
	}
	return b
}

func TestTPEDeterministicForItsSeed(t *testing.T) {
	_, a := searchFunc(t, syntheticSpec(SamplerTPE, 3), synthetic)
	_, b := searchFunc(t, syntheticSpec(SamplerTPE, 3), synthetic)
	_, c := searchFunc(t, syntheticSpec(SamplerTPE, 4), synthetic)
	if len(a) != 30 || !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed gave different trials")
	}
	if reflect.DeepEqual(a, c) {
		t.Fatalf("seeds 3 and 4 gave the same trials")
	}
	r, _ := Expand(syntheticSpec(SamplerRandom, 3))
	for i := 0; i < startupTrials(syntheticSpec(SamplerTPE, 3)); i++ {
		if !reflect.DeepEqual(a[i].Params, r[i].Params) {
			t.Fatalf("startup trial %d: %v, random search drew %v", i, a[i].Params, r[i].Params)
		}
	}
	for _, tr := range a {
		if tr.Spec.Optimizer.LR < 1e-5 || tr.Spec.Optimizer.LR > 1 || tr.Spec.Model.Hidden[0].Units < 1 || tr.Spec.Model.Hidden[0].Units > 128 ||
			tr.Spec.Model.Hidden[0].Dropout < 0 || tr.Spec.Model.Hidden[0].Dropout > 0.5 {
			t.Fatalf("trial %d out of the space: %v", tr.Index, tr.Params)
		}
	}
}

func TestTPEBeatsRandomOnASyntheticObjective(t *testing.T) {
	// Optuna's TPE explores widely at first (10 random trials, then wide
	// kernels); by 50 trials it has closed in.
	const seeds = 21
	var tpeBest, randBest []float64
	wins := 0
	for seed := uint64(1); seed <= seeds; seed++ {
		rs, ts := syntheticSpec(SamplerRandom, seed), syntheticSpec(SamplerTPE, seed)
		rs.Trials, ts.Trials = 50, 50
		ry, _ := searchFunc(t, rs, synthetic)
		ty, _ := searchFunc(t, ts, synthetic)
		rb, tb := bestOf(ry), bestOf(ty)
		randBest, tpeBest = append(randBest, rb), append(tpeBest, tb)
		if tb < rb {
			wins++
		}
	}
	sort.Float64s(randBest)
	sort.Float64s(tpeBest)
	t.Logf("median best of 50: random %.4f, tpe %.4f; tpe better on %d of %d seeds", randBest[seeds/2], tpeBest[seeds/2], wins, seeds)
	if tpeBest[seeds/2] >= randBest[seeds/2]*0.5 || wins < seeds*2/3 {
		t.Fatalf("tpe did not beat random: median %.4f vs %.4f, %d wins of %d", tpeBest[seeds/2], randBest[seeds/2], wins, seeds)
	}
}

func TestTPECountsPrunedAndDivergedAsBad(t *testing.T) {
	s := syntheticSpec(SamplerTPE, 1)
	p := &tpe{spec: s, lower: true}
	mk := func(i int, st trainer.Status, y float64) TrialResult {
		return TrialResult{Trial: Trial{Index: i, Params: map[string]string{"lr": "0.001"}}, Status: st, Objective: y, HasObj: !math.IsNaN(y)}
	}
	done := []TrialResult{mk(0, trainer.StatusPruned, 0.01), mk(1, trainer.StatusDone, 0.5), mk(2, trainer.StatusDiverged, math.NaN()), mk(3, trainer.StatusDone, 0.9)}
	below, above := p.split(done)
	if len(below) != 1 || below[0].Trial.Index != 1 || len(above) != 3 {
		t.Fatalf("below %v above %v", below, above)
	}
	// With every trial bad, the good density is the prior alone and TPE
	// still proposes a point in the space, jointly or axis by axis.
	for _, joint := range []bool{false, true} {
		p.multivariate = joint
		params := p.suggest(5, []TrialResult{mk(0, trainer.StatusDiverged, math.NaN())})
		if lr, err := strconv.ParseFloat(params["lr"], 64); err != nil || lr < 1e-5 || lr > 1 || len(params) != 4 {
			t.Fatalf("joint %v: suggested %v", joint, params)
		}
	}
}

func TestTPEFillsTheGoodGroupWithPrunedTrialsAsOptunaDoes(t *testing.T) {
	// An ASHA sweep early on: too few trials ran to their end for the good
	// group, so the pruned trials that got furthest fill it, by objective
	// among equals; diverged and failed ones never do.
	p := &tpe{spec: syntheticSpec(SamplerTPE, 1), lower: true}
	mk := func(i int, st trainer.Status, epochs int, y float64) TrialResult {
		return TrialResult{Trial: Trial{Index: i, Params: map[string]string{"lr": "0.001"}}, Status: st, Epochs: epochs, Objective: y, HasObj: !math.IsNaN(y)}
	}
	var done []TrialResult
	for i, c := range []struct {
		st     trainer.Status
		epochs int
		y      float64
	}{
		{trainer.StatusPruned, 3, 0.1}, {trainer.StatusPruned, 9, 0.5}, {trainer.StatusDiverged, 2, math.NaN()},
		{trainer.StatusPruned, 9, 0.4}, {trainer.StatusFailed, 0, math.NaN()}, {trainer.StatusPruned, 3, 0.2},
		{trainer.StatusPruned, 1, 0.05}, {trainer.StatusPruned, 3, 0.3}, {trainer.StatusPruned, 3, 0.6},
		{trainer.StatusPruned, 9, math.NaN()}, {trainer.StatusDiverged, 9, 0.01},
	} {
		done = append(done, mk(i, c.st, c.epochs, c.y))
	}
	indices := func(ts []TrialResult) []int {
		var out []int
		for _, r := range ts {
			out = append(out, r.Trial.Index)
		}
		return out
	}
	// 11 trials: a good group of 2, the 9-epoch trials at 0.4 and 0.5.
	below, above := p.split(done)
	if got := indices(below); !reflect.DeepEqual(got, []int{1, 3}) || len(above) != 9 {
		t.Fatalf("below %v, above %v", got, indices(above))
	}
	// A trial that ran to its end ranks above every pruned one, however
	// poor its objective.
	done = append(done, mk(11, trainer.StatusDone, 27, 0.9))
	below, _ = p.split(done)
	if got := indices(below); !reflect.DeepEqual(got, []int{3, 11}) {
		t.Fatalf("with a finished trial, below %v", got)
	}
	// Of 10 trials a good group of 1: at 0.4, or at 0.5 when higher is
	// better.
	for _, c := range []struct {
		lower bool
		want  int
	}{{true, 3}, {false, 1}} {
		p.lower = c.lower
		if below, _ = p.split(done[:10]); len(below) != 1 || below[0].Trial.Index != c.want {
			t.Fatalf("lower %v: below %v, want [%d]", c.lower, indices(below), c.want)
		}
	}
	// Only diverged and failed trials: no good group, and TPE proposes from
	// the prior alone.
	below, above = p.split([]TrialResult{done[2], done[4]})
	if len(below) != 0 || len(above) != 2 {
		t.Fatalf("below %v above %v", indices(below), indices(above))
	}
}

func TestTPEDefaults(t *testing.T) {
	for _, c := range []struct{ n, want int }{{1, 1}, {10, 1}, {11, 2}, {100, 10}, {1000, 25}} {
		if g := tpeGamma(c.n); g != c.want {
			t.Errorf("gamma(%d) = %d, want %d", c.n, g, c.want)
		}
	}
	w := tpeWeights(27)
	if w[0] != 1.0/27 || w[1] != 1 || w[26] != 1 || len(tpeWeights(3)) != 3 {
		t.Errorf("weights(27) = %v", w)
	}
	p := newParzen([]tpeDim{{low: 0, high: 1}}, [][]float64{{0.2}, {0.3}}, false)
	mus, sig := p.mus[0], p.sigmas[0]
	// Sorted with the prior: 0.2 0.3 0.5 between the ends 0 and 1; the
	// outermost take their inner gap (0.1 and 0.2), and both are clipped up
	// to range/min(100, kernels+1) = 1/4.
	if want := []float64{0.2, 0.3, 0.5}; !reflect.DeepEqual(mus, want) || math.Abs(sig[0]-0.25) > 1e-12 || math.Abs(sig[1]-0.25) > 1e-12 || sig[2] != 1 {
		t.Errorf("bandwidths: mus %v sigmas %v", mus, sig)
	}
}

func TestTPEStartupTrials(t *testing.T) {
	for _, c := range []struct{ trials, axes, want int }{
		{30, 4, 5}, {30, 3, 4}, {20, 1, 2}, {50, 2, 5}, {100, 3, 10}, {1000, 3, 10}, {30, 12, 10},
	} {
		s := Spec{Trials: c.trials, Random: make([]Dist, c.axes)}
		if got := startupTrials(s); got != c.want {
			t.Errorf("%d trials over %d axes: %d startup trials, want %d", c.trials, c.axes, got, c.want)
		}
	}
}

func TestParzenJointWidthsAndDensity(t *testing.T) {
	dims := []tpeDim{{low: 0, high: 1}, {low: 0, high: 1}}
	// 0.2·n^(−1/(2+4)) of the range, but no narrower than the magic clip,
	// range/min(100, n+2).
	for _, c := range []struct {
		n    int
		want float64
	}{{4, 1.0 / 6}, {20, 0.2 * math.Pow(20, -1.0/6)}} {
		obs := make([][]float64, c.n)
		for i := range obs {
			obs[i] = []float64{float64(i) / float64(c.n), 0.5}
		}
		p := newParzen(dims, obs, true)
		if s := p.sigmas[1][0]; math.Abs(s-c.want) > 1e-12 || p.sigmas[1][c.n] != 1 {
			t.Errorf("n=%d: widths %v, want %g and the prior's 1", c.n, p.sigmas[1], c.want)
		}
	}
	// Observations on the diagonal: the joint density is higher on it than
	// off it, where a product of per-axis densities would be level.
	p := newParzen(dims, [][]float64{{0.1, 0.1}, {0.9, 0.9}}, true)
	on, off := p.logPDF([]float64{0.1, 0.1}), p.logPDF([]float64{0.1, 0.9})
	if !(on > off+1) {
		t.Errorf("log density on the diagonal %.3f, off it %.3f", on, off)
	}
}

func TestTPEReachesRandomsBestSooner(t *testing.T) {
	// The benchmark's measure (scripts/search-quality.sh) on the synthetic
	// objective: the median number of trials TPE needs to reach random
	// search's best of 30, against where random search found it. Measured:
	// random 17, TPE 13; at Optuna's defaults (10 startup trials, axes
	// modelled on their own) TPE needed 22, with only the startup rule 15,
	// with only the joint model 14.
	const seeds = 21
	var rn, tn []int
	for seed := uint64(1); seed <= seeds; seed++ {
		ry, _ := searchFunc(t, syntheticSpec(SamplerRandom, seed), synthetic)
		ty, _ := searchFunc(t, syntheticSpec(SamplerTPE, seed), synthetic)
		best, at := math.Inf(1), 0
		for i, y := range ry {
			if y < best {
				best, at = y, i+1
			}
		}
		k := len(ty) + 1
		for i, y := range ty {
			if y <= best {
				k = i + 1
				break
			}
		}
		rn, tn = append(rn, at), append(tn, k)
	}
	sort.Ints(rn)
	sort.Ints(tn)
	t.Logf("median trials to random's best of 30: random %d, tpe %d", rn[seeds/2], tn[seeds/2])
	if float64(tn[seeds/2]) > 0.8*float64(rn[seeds/2]) {
		t.Errorf("tpe needed %d trials against random's %d", tn[seeds/2], rn[seeds/2])
	}
}
