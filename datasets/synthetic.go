package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// synthetic describes one built-in generator.
type synthetic struct {
	name, desc string
	task       Task
	gen        func(r *rand.Rand, n int, noise float64) (x, y []float64)
}

const playgroundRadius = 5.0

// The generators follow TensorFlow Playground (dataset.ts): points are drawn
// on a clean shape and labelled from a noised copy of their position, so the
// noise level sets the rate of labels that disagree with the clean shape.
var synthetics = []synthetic{
	{"circle", "a disc of one class inside a ring of the other (Playground)", Binary, genCircle},
	{"xor", "the four quadrants, labelled by the sign of x₁·x₂ (Playground)", Binary, genXOR},
	{"gauss", "two Gaussian clouds; noise widens them until they overlap (Playground)", Binary, genGauss},
	{"spiral", "two interleaved spirals (Playground)", Binary, genSpiral},
	{"moons", "two interleaving half circles (scikit-learn's make_moons)", Binary, genMoons},
	{"seed-example", "the text's worked example: x=[[1,2],[3,4],[5,6],[7,8]], y=[0,1,1,0]", Binary, genSeedExample},
	{"reg-plane", "regression on a tilted plane, y = (x₁+x₂)/10 (Playground)", Regression, genRegPlane},
	{"reg-gauss", "regression on a sum of signed Gaussian bumps (Playground)", Regression, genRegGauss},
}

func findSynthetic(name string) (synthetic, bool) {
	for _, s := range synthetics {
		if s.name == name {
			return s, true
		}
	}
	return synthetic{}, false
}

// Generate returns the synthetic dataset name with n points and the given
// label noise (0 to 0.5), drawn from seed. The seed example ignores n and
// noise: it is always the same four points.
func Generate(name string, n int, noise float64, seed uint64) (*Table, error) {
	s, ok := findSynthetic(name)
	if !ok {
		return nil, fmt.Errorf("unknown synthetic dataset %q", name)
	}
	if n < 4 || n > 1_000_000 {
		return nil, fmt.Errorf("samples: %d is out of range [4, 1000000]", n)
	}
	if !(noise >= 0 && noise <= 0.5) {
		return nil, fmt.Errorf("noise: %v is out of range [0, 0.5]", noise)
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	x, y := s.gen(r, n, noise)
	t := &Table{X: x, Y: y, N: len(y), D: 2}
	t.Meta = Meta{
		Name: s.name, Description: s.desc, Task: s.task, Kind: "synthetic",
		FeatureNames: []string{"x1", "x2"},
		Source:       "generated from the seed",
		License:      "generated data, no licence needed",
	}
	if s.name == "seed-example" {
		t.Meta.Source = "four fixed points, the same for every seed"
		t.Meta.License = "written out in the text, no licence needed"
	}
	if s.task == Binary {
		t.Meta.ClassNames = []string{"0", "1"}
	}
	t.finishMeta()
	return t, nil
}

func uniform(r *rand.Rand, a, b float64) float64 { return a + r.Float64()*(b-a) }

func genCircle(r *rand.Rand, n int, noise float64) (x, y []float64) {
	x, y = make([]float64, 0, 2*n), make([]float64, 0, n)
	label := func(px, py float64) float64 {
		if math.Hypot(px, py) < playgroundRadius*0.5 {
			return 1
		}
		return 0
	}
	for i := 0; i < n; i++ {
		var rad float64
		if i < n/2 {
			rad = uniform(r, 0, playgroundRadius*0.5)
		} else {
			rad = uniform(r, playgroundRadius*0.7, playgroundRadius)
		}
		a := uniform(r, 0, 2*math.Pi)
		px, py := rad*math.Sin(a), rad*math.Cos(a)
		nx := uniform(r, -playgroundRadius, playgroundRadius) * noise
		ny := uniform(r, -playgroundRadius, playgroundRadius) * noise
		x = append(x, px, py)
		y = append(y, label(px+nx, py+ny))
	}
	return x, y
}

func genXOR(r *rand.Rand, n int, noise float64) (x, y []float64) {
	x, y = make([]float64, 0, 2*n), make([]float64, 0, n)
	const pad = 0.3
	for i := 0; i < n; i++ {
		px := uniform(r, -5, 5)
		if px > 0 {
			px += pad
		} else {
			px -= pad
		}
		py := uniform(r, -5, 5)
		if py > 0 {
			py += pad
		} else {
			py -= pad
		}
		nx := uniform(r, -5, 5) * noise
		ny := uniform(r, -5, 5) * noise
		l := 0.0
		if (px+nx)*(py+ny) >= 0 {
			l = 1
		}
		x = append(x, px, py)
		y = append(y, l)
	}
	return x, y
}

func genGauss(r *rand.Rand, n int, noise float64) (x, y []float64) {
	x, y = make([]float64, 0, 2*n), make([]float64, 0, n)
	variance := 0.5 + (4-0.5)*noise/0.5
	sd := math.Sqrt(variance)
	for i := 0; i < n; i++ {
		cx, l := 2.0, 1.0
		if i >= n/2 {
			cx, l = -2.0, 0.0
		}
		x = append(x, cx+r.NormFloat64()*sd, cx+r.NormFloat64()*sd)
		y = append(y, l)
	}
	return x, y
}

func genSpiral(r *rand.Rand, n int, noise float64) (x, y []float64) {
	x, y = make([]float64, 0, 2*n), make([]float64, 0, n)
	half := n / 2
	arm := func(count int, delta, l float64) {
		for i := 0; i < count; i++ {
			rad := float64(i) / float64(count) * playgroundRadius
			t := 1.75 * float64(i) / float64(count) * 2 * math.Pi
			px := rad*math.Sin(t+delta) + uniform(r, -1, 1)*noise
			py := rad*math.Cos(t+delta) + uniform(r, -1, 1)*noise
			x = append(x, px, py)
			y = append(y, l)
		}
	}
	arm(half, 0, 1)
	arm(n-half, math.Pi, 0)
	return x, y
}

func genMoons(r *rand.Rand, n int, noise float64) (x, y []float64) {
	x, y = make([]float64, 0, 2*n), make([]float64, 0, n)
	half := n / 2
	// Scaled by 2.5 and centred so the moons fill the Playground's ±5 box.
	for i := 0; i < n; i++ {
		var px, py, l float64
		if i < half {
			t := math.Pi * float64(i) / float64(max(half-1, 1))
			px, py, l = math.Cos(t), math.Sin(t), 0
		} else {
			t := math.Pi * float64(i-half) / float64(max(n-half-1, 1))
			px, py, l = 1-math.Cos(t), 0.5-math.Sin(t), 1
		}
		px += r.NormFloat64() * noise
		py += r.NormFloat64() * noise
		x = append(x, (px-0.5)*2.5, (py-0.25)*2.5)
		y = append(y, l)
	}
	return x, y
}

func genSeedExample(_ *rand.Rand, _ int, _ float64) (x, y []float64) {
	return []float64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{0, 1, 1, 0}
}

func genRegPlane(r *rand.Rand, n int, noise float64) (x, y []float64) {
	x, y = make([]float64, 0, 2*n), make([]float64, 0, n)
	for i := 0; i < n; i++ {
		px, py := uniform(r, -5, 5), uniform(r, -5, 5)
		nx, ny := uniform(r, -5, 5)*noise, uniform(r, -5, 5)*noise
		x = append(x, px, py)
		y = append(y, (px+nx+py+ny)/10)
	}
	return x, y
}

var regGaussBumps = [][3]float64{
	{-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1},
	{-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1},
}

func genRegGauss(r *rand.Rand, n int, noise float64) (x, y []float64) {
	x, y = make([]float64, 0, 2*n), make([]float64, 0, n)
	for i := 0; i < n; i++ {
		px, py := uniform(r, -5, 5), uniform(r, -5, 5)
		nx, ny := uniform(r, -5, 5)*noise, uniform(r, -5, 5)*noise
		v := 0.0
		for _, b := range regGaussBumps {
			dx, dy := px+nx-b[0], py+ny-b[1]
			v += b[2] * math.Exp(-(dx*dx+dy*dy)/2)
		}
		x = append(x, px, py)
		y = append(y, v)
	}
	return x, y
}
