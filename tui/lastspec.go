package tui

import (
	"context"
	"encoding/json"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
	"workbench/trainer"
)

// lastSpecKey is the store setting that holds the spec Setup last
// trained, so the next launch starts from it.
const lastSpecKey = "setup.last_spec"

// lastObjectiveKey is the store setting that holds the objective of the
// sweep Setup last started ("" for the task's key metric): it is not a
// field of the run spec, so the spec's setting cannot hold it.
const lastObjectiveKey = "setup.sweep_objective"

// lastSpec returns the spec Setup last trained, when the store keeps
// settings and holds a valid one, with the objective of the last sweep
// Setup started ("" when none was). It reads two rows, quickly enough for
// New.
func lastSpec(store sessions.Store) (spec trainer.Spec, objective string, ok bool) {
	st, ok := store.(sessions.Settings)
	if !ok || store == nil {
		return trainer.Spec{}, "", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	v, ok, err := st.GetSetting(ctx, lastSpecKey)
	if err != nil || !ok {
		return trainer.Spec{}, "", false
	}
	s, err := trainer.ParseSpec([]byte(v))
	if err != nil {
		return trainer.Spec{}, "", false // written by another version: start afresh
	}
	if o, ok, err := st.GetSetting(ctx, lastObjectiveKey); err == nil && ok {
		objective = o
	}
	return s, objective, true
}

// saveLastSpec keeps spec as the one Setup restores on the next launch,
// and, for a sweep (sweep true), its objective. A store that cannot keep
// them (read-only, no settings) is no reason to stop a run, so failures
// are dropped.
func saveLastSpec(store sessions.Store, spec trainer.Spec, sweep bool, objective string) tea.Cmd {
	st, ok := store.(sessions.Settings)
	if !ok || store == nil {
		return nil
	}
	spec = spec.Clone()
	return func() tea.Msg {
		b, err := json.Marshal(spec)
		if err != nil {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		st.PutSetting(ctx, lastSpecKey, string(b))
		if sweep {
			st.PutSetting(ctx, lastObjectiveKey, objective)
		}
		return nil
	}
}
