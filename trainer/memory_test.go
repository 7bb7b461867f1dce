package trainer

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"workbench/datasets"
)

// TestEstimateMemoryMatchesTheModel builds models and their optimizers in
// both precisions and checks the estimate of weights (without the best and
// last copies, which the runner holds), optimizer and activations against
// what was allocated.
func TestEstimateMemoryMatchesTheModel(t *testing.T) {
	for _, c := range []struct {
		name   string
		hidden []LayerSpec
		opt    string
		batch  int
	}{
		{"wide relu, adam", []LayerSpec{{Units: 512, Activation: "relu"}, {Units: 256, Activation: "relu"}}, "adam", 64},
		{"batch norm and dropout, momentum", []LayerSpec{{Units: 300, Activation: "tanh", BatchNorm: true, Dropout: 0.2}}, "momentum", 1024},
		{"linear, sgd", []LayerSpec{{Units: 200, Activation: "linear"}}, "sgd", 32},
	} {
		for _, prec := range PrecisionNames {
			s := DefaultSpec()
			s.Model.Hidden, s.Optimizer.Name, s.BatchSize, s.Precision = c.hidden, c.opt, c.batch, prec
			const inputs, classes, rows = 100, 10, 5000
			e := EstimateMemory(&s, inputs, OutputsFor(datasets.Multiclass, classes), rows)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			m, err := newEngine(s, datasets.Multiclass, inputs, classes, max(c.batch, 256), 1, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			o, err := m.newOptimizer(s.Optimizer)
			if err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			got := float64(after.TotalAlloc - before.TotalAlloc)
			want := float64(e.Weights - 2*8*e.Params + e.Optimizer + e.Activations)
			if got < want*0.8 || got > want*1.25 {
				t.Errorf("%s, %s: estimated %s, allocated %s", c.name, prec, FormatBytes(int64(want)), FormatBytes(int64(got)))
			}
			runtime.KeepAlive(m)
			runtime.KeepAlive(o)
			m.Close()
		}
	}
	// Float32 halves the network's share and keeps the float64 copies
	// and data.
	s := DefaultSpec()
	s.Model.Hidden = []LayerSpec{{Units: 256, Activation: "relu"}}
	e64 := EstimateMemory(&s, 784, 10, 60000)
	s.Precision = Float32
	e32 := EstimateMemory(&s, 784, 10, 60000)
	if e32.Optimizer*2 != e64.Optimizer || e32.Data != e64.Data || e32.Weights*4 != e64.Weights*3 || e32.Params != e64.Params {
		t.Errorf("float32 %+v against float64 %+v", e32, e64)
	}
}

func TestCheckMemoryRefusesAHugeModel(t *testing.T) {
	s := DefaultSpec()
	s.Model.Hidden = []LayerSpec{{Units: 65536, Activation: "relu"}, {Units: 65536, Activation: "relu"}}
	e, err := CheckMemory(&s, datasets.Multiclass, 64, 10, 1797, 16<<30)
	if err == nil || !strings.Contains(err.Error(), "--max-memory") || !strings.Contains(err.Error(), "4299948042 parameters") {
		t.Fatalf("%v", err)
	}
	if e.Params != 4_299_948_042 || e.Total < 100<<30 {
		t.Fatalf("%+v", e)
	}
	// The same spec with the check off, and a small one under the limit.
	if _, err := CheckMemory(&s, datasets.Multiclass, 64, 10, 1797, -1); err != nil {
		t.Fatal(err)
	}
	small := DefaultSpec()
	if _, err := CheckMemory(&small, datasets.Binary, 2, 2, 1000, 0); err != nil {
		t.Fatalf("a default spec: %v", err)
	}
	// Sizes that would overflow saturate.
	s.Model.Hidden = []LayerSpec{{Units: 1 << 40, Activation: "relu"}, {Units: 1 << 40, Activation: "relu"}}
	if e := EstimateMemory(&s, 1<<30, 10, 1<<40); e.Total <= 0 {
		t.Fatalf("overflow: %+v", e)
	}
	if lim, what := MemoryLimit(); lim <= 0 || !strings.Contains(what, "%") {
		t.Logf("no memory limit on this machine: %d %q", lim, what)
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1536: "1.5 KiB", 96 << 30: "96.0 GiB", 300 << 20: "300 MiB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
