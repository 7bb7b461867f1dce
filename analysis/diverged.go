package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"

	"workbench/sessions"
	"workbench/trainer"
)

// A run that diverged keeps the last weights that were finite (the
// trainer stops at the first non-finite loss or weight and saves the
// epoch before it, or the best epoch under early stopping). Explain
// explains those weights, and says so in the result's Diverged, as long as
// they predict finite values; when they do not (the validation loss
// overflowed with finite weights), or when no epoch finished, there is
// nothing to explain and the error says so.

// ErrNothingToExplain is a run whose saved model predicts non-finite
// values, or that saved none because it diverged.
var ErrNothingToExplain = errors.New("nothing to explain")

var divergedEpoch = regexp.MustCompile(`epoch (\d+)`)

// divergedAt is the epoch in which run r diverged: the one its reason
// names, else the one after the last it finished.
func divergedAt(r *sessions.Run) int {
	if m := divergedEpoch.FindStringSubmatch(r.Reason); m != nil {
		if e, err := strconv.Atoi(m[1]); err == nil {
			return e
		}
	}
	return r.EpochsDone + 1
}

// weightsEpoch is the epoch whose weights run r saved.
func weightsEpoch(r *sessions.Run) int {
	if r.Spec.EarlyStop.Enabled() && r.BestEpoch > 0 {
		return r.BestEpoch
	}
	return r.EpochsDone
}

// loadExplainable loads run id's model for explaining, and a note for a
// run that diverged: which weights are explained.
func loadExplainable(ctx context.Context, store sessions.Store, id string) (*sessions.SavedModel, string, error) {
	m, err := sessions.LoadModel(ctx, store, id)
	if err != nil {
		if r, rerr := store.GetRun(ctx, id); rerr == nil && r.Status == trainer.StatusDiverged {
			return nil, "", fmt.Errorf("explain: run %s diverged at epoch %d; %w: no epoch finished, so no weights were saved", id, divergedAt(r), ErrNothingToExplain)
		}
		return nil, "", err
	}
	note := ""
	if r := m.Run; r.Status == trainer.StatusDiverged {
		note = fmt.Sprintf("run %s diverged at epoch %d (%s); explaining its last finite weights, from epoch %d", id, divergedAt(r), r.Reason, weightsEpoch(r))
	}
	return m, note, nil
}

// nonFinite counts the values of v that are ±Inf or NaN.
func nonFinite(v []float64) int {
	n := 0
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			n++
		}
	}
	return n
}

// notExplainable is the error for run r, whose model gave a non-finite
// result: what follows "give", as in "-Inf for test row 3".
func notExplainable(r *sessions.Run, what string) error {
	if r.Status == trainer.StatusDiverged {
		return fmt.Errorf("explain: run %s diverged at epoch %d; %w: its last finite weights, from epoch %d, give %s",
			r.ID, divergedAt(r), ErrNothingToExplain, weightsEpoch(r), what)
	}
	return fmt.Errorf("explain: run %s gives %s; %w", r.ID, what, ErrNothingToExplain)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
