package sweeps

import (
	"context"
	"errors"
	"math"
	"sort"

	"workbench/sessions"
	"workbench/trainer"
)

// Report is a stored sweep read back for people: its trials ranked by the
// objective, each field's effect and its importance. It is plain data, safe
// to read from several goroutines.
type Report struct {
	Sweep *sessions.Sweep `json:"sweep"`
	Spec  Spec            `json:"-"`
	// Fields are the swept fields, in the sweep's order.
	Fields []string `json:"fields"`
	// Lower is true when a lower objective is better.
	Lower bool `json:"lower_is_better"`
	// Trials are ranked best first (see RanksAbove): pruned trials after
	// completed ones, trials without an objective last.
	Trials     []ReportTrial `json:"trials"`
	Effects    []Effect      `json:"effects"`
	Importance Importance    `json:"importance"`
	// Configs is each configuration's mean ± std over its seeds, for a
	// sweep with Seeds > 1; nil otherwise.
	Configs []ConfigStat `json:"configs,omitempty"`
}

// ReportTrial is one trial of a stored sweep.
type ReportTrial struct {
	RunID     string            `json:"run_id"`
	Name      string            `json:"name,omitempty"`
	Status    trainer.Status    `json:"status"`
	Objective float64           `json:"-"`
	HasObj    bool              `json:"-"`
	Epochs    int               `json:"epochs"`
	Params    map[string]string `json:"params"`
}

// Load reads sweep id and its trials from store.
func Load(ctx context.Context, store sessions.Store, id string) (*Report, error) {
	sw, err := store.GetSweep(ctx, id)
	if err != nil {
		return nil, err
	}
	var spec Spec
	if sp, err := ParseSpecFile([]byte(sw.Config)); err == nil {
		spec = sp
	}
	runs, err := store.ListRuns(ctx, sessions.Query{SweepID: id, Sort: "created"})
	if err != nil {
		return nil, err
	}
	runs, queued, err := currentAttempts(ctx, store, id, runs)
	if err != nil {
		return nil, err
	}
	rep := &Report{Sweep: sw, Spec: spec, Fields: spec.Fields(), Lower: trainer.LowerIsBetter(sw.Objective), Trials: []ReportTrial{}}
	key := sessions.MetricKey(sw.Objective)
	var specs []trainer.Spec
	var objs []float64
	for _, r := range runs {
		v, ok := r.Metrics[key]
		if ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			ok = false
		}
		t := ReportTrial{RunID: r.ID, Name: r.Name, Status: r.Status, Objective: v, HasObj: ok, Epochs: r.EpochsDone, Params: map[string]string{}}
		for _, f := range rep.Fields {
			t.Params[f] = ParamValue(r.Spec, f)
		}
		rep.Trials = append(rep.Trials, t)
		specs = append(specs, r.Spec)
		if !ok || cutShort(r.Status) || r.Status == trainer.StatusDiverged {
			// A diverged trial's last metrics are wild (a val_r2 of
			// -2.7e109 took 100% of the variance to its learning rate):
			// it is ranked, with its status, but it tells the effects
			// and importance nothing about the values that worked.
			v = math.NaN()
		}
		objs = append(objs, v)
	}
	for _, q := range queued {
		t := ReportTrial{Status: trainer.Status(q.State), Objective: math.NaN(), Params: map[string]string{}}
		for _, f := range rep.Fields {
			if q.State != sessions.TrialPending { // a pending trial has no parameters yet
				t.Params[f] = ParamValue(q.Spec, f)
			}
		}
		rep.Trials = append(rep.Trials, t)
	}
	rep.Effects = Effects(spec, rep.Fields, specs, objs)
	rep.Importance = Importances(spec, specs, objs)
	sort.SliceStable(rep.Trials, func(i, j int) bool {
		return RanksAbove(rep.Lower, rep.Trials[i].Standing(), rep.Trials[j].Standing())
	})
	if spec.Seeds > 1 {
		rep.Configs = SeedStats(rep.Fields, rep.Lower, rep.Trials)
	}
	return rep, nil
}

// trialLister is a store that keeps distributed sweeps' trials.
type trialLister interface {
	Trials(ctx context.Context, sweepID string) ([]sessions.TrialRow, error)
}

// currentAttempts keeps, of a distributed sweep's runs, each trial's
// current attempt, so that a trial counts once however often it was
// retried, and returns the trials that have no run yet. A sweep run in one
// process comes back as it is.
func currentAttempts(ctx context.Context, store sessions.Store, id string, runs []*sessions.Run) ([]*sessions.Run, []sessions.TrialRow, error) {
	tl, ok := store.(trialLister)
	if !ok {
		return runs, nil, nil
	}
	trials, err := tl.Trials(ctx, id)
	if errors.Is(err, sessions.ErrNotDistributed) || (err == nil && len(trials) == 0) {
		return runs, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	current := map[string]bool{}
	var queued []sessions.TrialRow
	for _, t := range trials {
		if t.RunID == "" {
			queued = append(queued, t)
		}
		current[t.RunID] = true
	}
	kept := runs[:0]
	for _, r := range runs {
		if current[r.ID] {
			kept = append(kept, r)
		}
	}
	return kept, queued, nil
}

// cutShort reports whether a trial with this status ended before its
// epochs for a reason that says nothing of its hyperparameters: the sweep
// was stopped (Ctrl-C, x) or the process went away. Its objective is of
// a partial run, so the effects and importance leave it out, as they do a
// trial still running: a grid stopped mid-trial counted that trial among
// its "finished" points.
func cutShort(s trainer.Status) bool {
	return s == trainer.StatusStopped || s == trainer.StatusInterrupted || s == trainer.StatusFailed
}
