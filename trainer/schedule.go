package trainer

import "math"

// schedule gives the learning rate for each epoch.
type schedule struct {
	spec   ScheduleSpec
	lr0    float64
	epochs int
	// plateau state
	lr    float64
	best  float64
	wait  int
	lower bool // the monitored metric improves downwards
}

func newSchedule(s ScheduleSpec, lr0 float64, epochs int) *schedule {
	sc := &schedule{spec: s, lr0: lr0, epochs: epochs, lr: lr0}
	if s.Name == "plateau" {
		mon := s.Monitor
		if mon == "" {
			mon = "val_loss"
		}
		m, _ := parseMonitor(mon)
		sc.lower = lowerIsBetter(m.metric)
		sc.best = math.Inf(1)
		if !sc.lower {
			sc.best = math.Inf(-1)
		}
	}
	return sc
}

// monitorKey returns the metric key that plateau watches.
func (s *schedule) monitorKey() string {
	if s.spec.Monitor == "" {
		return "val_loss"
	}
	return s.spec.Monitor
}

// LR returns the learning rate for epoch e (0-based).
func (s *schedule) LR(e int) float64 {
	switch s.spec.Name {
	case "step":
		return s.lr0 * math.Pow(s.spec.Gamma, float64(e/s.spec.StepSize))
	case "exponential":
		return s.lr0 * math.Pow(s.spec.Gamma, float64(e))
	case "cosine":
		lo := s.spec.MinLR
		return lo + (s.lr0-lo)*(1+math.Cos(math.Pi*float64(e)/float64(s.epochs)))/2
	case "plateau":
		return s.lr
	}
	return s.lr0
}

// observe feeds the monitored metric at the end of an epoch (plateau only).
func (s *schedule) observe(v float64) {
	if s.spec.Name != "plateau" || math.IsNaN(v) {
		return
	}
	better := v < s.best
	if !s.lower {
		better = v > s.best
	}
	if better {
		s.best, s.wait = v, 0
		return
	}
	s.wait++
	if s.wait >= s.spec.Patience {
		s.lr = math.Max(s.lr*s.spec.Factor, s.spec.MinLR)
		s.wait = 0
	}
}
