package sweeps

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/trainer"
)

// Options tunes a sweep run.
type Options struct {
	// Parallel is the number of trials trained at once (0 = the number of
	// cores). Each trial trains on one core.
	Parallel int
	// OnTrialStart, when set, receives each trial's events, after they are
	// stored, in an unbounded queue: the sweep never waits for its reader.
	OnTrialStart func(t Trial, runID string, h *trainer.Handle, data *datasets.Prepared, events *trainer.EventQueue)
	// OnTrialDone is called after each trial ends.
	OnTrialDone func(r TrialResult)
	// SnapshotEvery is passed to each trial (live decision boundaries).
	SnapshotEvery time.Duration
	// OnStart is called once the sweep row exists, with its ID.
	OnStart func(id string, trials []Trial)
}

// TrialResult is how a trial ended.
type TrialResult struct {
	Trial     Trial          `json:"trial"`
	RunID     string         `json:"run_id"`
	Status    trainer.Status `json:"status"`
	Objective float64        `json:"objective"`
	HasObj    bool           `json:"has_objective"`
	Epochs    int            `json:"epochs"`
	Err       string         `json:"error,omitempty"`
}

// Result is a whole sweep.
type Result struct {
	ID        string        `json:"id"`
	Objective string        `json:"objective"`
	Lower     bool          `json:"lower_is_better"`
	Status    string        `json:"status"`
	Trials    []TrialResult `json:"trials"`
}

// objectiveFor resolves the objective name against the base spec's task.
func objectiveFor(s Spec, task datasets.Task) (string, error) {
	obj := s.Objective
	if obj == "" {
		obj = "val_" + trainer.KeyMetric(task)
	}
	if _, err := trainer.ParseMetric(obj, task); err != nil {
		return "", fmt.Errorf("sweep: objective %q: %v", obj, err)
	}
	return obj, nil
}

// CheckObjective resolves s's objective against the data's task and
// checks that every trial computes it: val_cost needs a cost matrix in
// each trial (the base's, or one the trial's values set). It returns the
// objective's name.
func CheckObjective(s Spec, task datasets.Task) (string, error) {
	obj, err := objectiveFor(s, task)
	if err != nil {
		return "", err
	}
	if m, _ := trainer.ParseMonitor(obj); m.Metric != trainer.CostMetric {
		return obj, nil // every trial computes it: no need to expand
	}
	trials, err := Expand(s)
	if err != nil {
		return "", err
	}
	return obj, checkTrialsObjective(obj, trials)
}

// checkTrials returns the sweep's objective on data of the task, after
// checking that every trial computes it and can train: what Run and
// Prepare refuse before any trial trains or is queued.
func checkTrials(s Spec, task datasets.Task, trials []Trial) (string, error) {
	obj, err := objectiveFor(s, task)
	if err != nil {
		return "", err
	}
	if err := checkTrialsObjective(obj, trials); err != nil {
		return "", err
	}
	check := trialCheck(task, obj)
	for _, t := range trials {
		if err := check(t.Spec); err != nil {
			return "", fmt.Errorf("sweep: trial %d: %v", t.Index+1, err)
		}
	}
	return obj, nil
}

// checkTrialsObjective refuses an objective a trial does not compute;
// when none does, it names the objective rather than the first trial.
func checkTrialsObjective(obj string, trials []Trial) error {
	var first error
	bad := 0
	for _, t := range trials {
		if err := t.Spec.CheckCost(obj); err != nil {
			if bad++; first == nil {
				first = fmt.Errorf("sweep: trial %d: objective %v", t.Index+1, err)
			}
		}
	}
	if bad > 0 && bad == len(trials) {
		return fmt.Errorf("sweep: objective %v", trials[0].Spec.CheckCost(obj))
	}
	return first
}

// trialCheck checks a trial's spec against the data's task and the
// objective, as Run does before it trains one.
func trialCheck(task datasets.Task, obj string) func(trainer.Spec) error {
	return func(sp trainer.Spec) error {
		if err := sp.CheckTask(task); err != nil {
			return err
		}
		if err := sp.CheckCost(obj); err != nil {
			return fmt.Errorf("objective %v", err)
		}
		return nil
	}
}

// dataCache builds each distinct data spec once; trials share it read-only.
type dataCache struct {
	mu sync.Mutex
	m  map[string]*datasets.Prepared
}

func (c *dataCache) get(d datasets.Spec) (*datasets.Prepared, error) {
	b, _ := json.Marshal(d)
	k := string(b)
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.m[k]; ok {
		return p, nil
	}
	p, err := datasets.Build(d)
	if err != nil {
		return nil, err
	}
	c.m[k] = p
	return p, nil
}

// Run expands s and trains every trial, saving each as a session of a new
// sweep in store. Cancelling ctx stops running trials (saved as stopped)
// and skips the rest; Run returns once every worker has ended.
func Run(ctx context.Context, store sessions.Store, s Spec, o Options) (*Result, error) {
	trials, err := Expand(s)
	if err != nil {
		return nil, err
	}
	cache := &dataCache{m: map[string]*datasets.Prepared{}}
	first, err := cache.get(trials[0].Spec.Data)
	if err != nil {
		return nil, err
	}
	obj, err := checkTrials(s, first.Task(), trials)
	if err != nil {
		return nil, err
	}
	check := trialCheck(first.Task(), obj) // for the trials a sampler proposes later
	lower := trainer.LowerIsBetter(obj)
	cfg, _ := json.Marshal(s)
	n := s.budget(len(trials))
	res := &Result{ID: "sweep-" + trainer.NewID(), Objective: obj, Lower: lower, Status: "running", Trials: make([]TrialResult, n)}
	if err := store.CreateSweep(ctx, &sessions.Sweep{ID: res.ID, Name: s.Name, Status: "running", Objective: obj, Config: string(cfg), Created: time.Now().UTC()}); err != nil {
		return nil, err
	}
	if o.OnStart != nil {
		o.OnStart(res.ID, trials)
	}
	par := o.Parallel
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	pr := newPruner(s, obj, lower)
	next := newSource(s, trials, lower, check)
	// A trial is made only when a worker is free, from the trials finished
	// by then, so a sampler that learns sees every earlier trial when
	// trials run one at a time.
	slots := make(chan struct{}, par)
	var mu sync.Mutex
	var done []TrialResult
	finish := func(r TrialResult) {
		res.Trials[r.Trial.Index] = r
		mu.Lock()
		done = append(done, r)
		mu.Unlock()
		if o.OnTrialDone != nil {
			o.OnTrialDone(r)
		}
		<-slots
	}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			t := Trial{Index: i}
			if i < len(trials) {
				t = trials[i]
			}
			res.Trials[i] = TrialResult{Trial: t, Status: trainer.StatusStopped, Err: "not started: the sweep was cancelled"}
			continue
		}
		mu.Lock()
		sofar := append([]TrialResult(nil), done...)
		mu.Unlock()
		t, err := next(i, sofar)
		if err != nil {
			finish(TrialResult{Trial: t, Status: trainer.StatusFailed, Err: err.Error()})
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			finish(runTrial(ctx, store, cache, res.ID, t, obj, pr, o))
		}()
	}
	wg.Wait()
	res.Status = "done"
	if ctx.Err() != nil {
		res.Status = "stopped"
	}
	if err := store.UpdateSweep(context.Background(), res.ID, res.Status); err != nil {
		return res, err
	}
	return res, nil
}

func runTrial(ctx context.Context, store sessions.Store, cache *dataCache, sweepID string, t Trial, obj string, pr trialPruner, o Options) TrialResult {
	r := TrialResult{Trial: t, Status: trainer.StatusFailed}
	data, err := cache.get(t.Spec.Data)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	opts := trainer.Options{Workers: 1, SnapshotEvery: o.SnapshotEvery}
	if pr != nil {
		// Stopping at the last epoch saves nothing, so the trial ends done.
		opts.Prune = func(epoch int, val map[string]float64) bool {
			return pr.report(t.Index, epoch, val) && epoch < t.Spec.Epochs
		}
	}
	live, err := sessions.Start(ctx, store, t.Spec, sessions.StartOptions{Data: data, Trainer: opts, SweepID: sweepID})
	if err != nil {
		r.Err = err.Error()
		return r
	}
	h, rec := live.Handle, live.Recorder
	r.RunID = h.ID
	var tee *trainer.EventQueue
	if o.OnTrialStart != nil {
		tee = trainer.NewEventQueue()
		o.OnTrialStart(t, h.ID, h, data, tee)
	}
	best := math.NaN()
	split, metric, _ := strings.Cut(obj, "_")
	for ev := range rec.Events() {
		if tee != nil {
			tee.Push(ev)
		}
		switch e := ev.(type) {
		case trainer.EpochEvent:
			// The objective is its value at the run's best epoch, as the
			// store keeps it (best_*) and as sweep show ranks it: not the
			// best value any epoch reached.
			if !e.Best {
				break
			}
			src := e.Val
			if split == "train" {
				src = e.Train
			}
			if v, ok := src[metric]; ok {
				best = v
			}
		case trainer.FinishedEvent:
			r.Status, r.Epochs = e.Status, e.Epochs
		}
	}
	if tee != nil {
		tee.Close()
	}
	if err := rec.Err(); err != nil {
		r.Err = err.Error()
	}
	r.Objective, r.HasObj = best, !math.IsNaN(best)
	return r
}

// pruner is median stopping: after the warm-up, a trial whose objective at
// an epoch is worse than the median of earlier trials (lower index) at the
// same epoch is stopped.
type pruner struct {
	mu      sync.Mutex
	warmup  int
	split   string
	metric  string
	lower   bool
	reports map[int]map[int]float64 // epoch → trial → value
}

// minPruneTrials is how many earlier trials must have reported an epoch
// before a trial can be pruned at it.
const minPruneTrials = 2

func newMedian(s Spec, obj string, lower bool) *pruner {
	split, metric, _ := strings.Cut(obj, "_")
	w := s.PruneWarmup
	if w <= 0 {
		w = 5
	}
	return &pruner{warmup: w, split: split, metric: metric, lower: lower, reports: map[int]map[int]float64{}}
}

func (p *pruner) report(trial, epoch int, val map[string]float64) bool {
	v, ok := val[p.metric]
	if !ok || math.IsNaN(v) {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reports[epoch] == nil {
		p.reports[epoch] = map[int]float64{}
	}
	p.reports[epoch][trial] = v
	if epoch <= p.warmup {
		return false
	}
	var earlier []float64
	for t, x := range p.reports[epoch] {
		if t < trial {
			earlier = append(earlier, x)
		}
	}
	return worseThanMedian(v, earlier, p.lower)
}

// worseThanMedian reports whether v is worse than the median of the
// earlier trials' values, once there are minPruneTrials of them. It sorts
// earlier in place.
func worseThanMedian(v float64, earlier []float64, lower bool) bool {
	if len(earlier) < minPruneTrials {
		return false
	}
	sort.Float64s(earlier)
	n := len(earlier)
	med := earlier[n/2]
	if n%2 == 0 {
		med = (earlier[n/2-1] + earlier[n/2]) / 2
	}
	if lower {
		return v > med
	}
	return v < med
}

// Fields returns the fields a sweep varies, in order.
func (s Spec) Fields() []string {
	var f []string
	for _, p := range s.Grid {
		f = append(f, p.Field)
	}
	for _, d := range s.Random {
		f = append(f, d.Field)
	}
	if s.Seeds > 1 {
		f = append(f, "seed")
	}
	return f
}
