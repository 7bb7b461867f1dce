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

// lastSpec returns the spec Setup last trained, when the store keeps
// settings and holds a valid one. It reads one row, quickly enough for New.
func lastSpec(store sessions.Store) (trainer.Spec, bool) {
	st, ok := store.(sessions.Settings)
	if !ok || store == nil {
		return trainer.Spec{}, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	v, ok, err := st.GetSetting(ctx, lastSpecKey)
	if err != nil || !ok {
		return trainer.Spec{}, false
	}
	s, err := trainer.ParseSpec([]byte(v))
	if err != nil {
		return trainer.Spec{}, false // written by another version: start afresh
	}
	return s, true
}

// saveLastSpec keeps spec as the one Setup restores on the next launch.
// A store that cannot keep it (read-only, no settings) is no reason to
// stop a run, so failures are dropped.
func saveLastSpec(store sessions.Store, spec trainer.Spec) tea.Cmd {
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
		return nil
	}
}
