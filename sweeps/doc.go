// Package sweeps runs hyperparameter sweeps: a base run spec and a search
// space (a grid, random search with a trial budget, or repeats over seeds)
// expanded into trials, run in a worker pool, each saved as a session
// linked to the sweep, with optional pruning: median stopping or ASHA
// (asynchronous successive halving). The random axes can be drawn by TPE
// (Bergstra et al. 2011, as Optuna's TPESampler with multivariate=True and
// fewer random startup trials on a small budget), which proposes each
// trial from the ones finished before it. Stored sweeps are read back as
// a Report with each hyperparameter's importance (functional ANOVA: exact
// on a complete grid, else on a random forest) and the axes of a
// parallel-coordinates figure.
//
// A trial's objective is its metric at the run's best epoch, as the store
// keeps it (best_*). When the base spec cross-validates (cv: K), each
// trial is a K-fold run and its objective is the mean over the K folds,
// at the best epoch of that mean curve among those every fold reached
// (as xgboost.cv picks its best iteration); median and ASHA pruning judge
// the same fold-mean curve, epoch by epoch. The direction follows the
// metric: val_loss and val_cost (the expected misclassification cost, which
// every trial must have a cost matrix for; CheckObjective) rank lowest
// first, the rest highest first.
//
// It sits between sessions and the UI: it imports trainer, datasets and
// sessions, and nothing imports it but tui and main.
//
// Contract:
//   - Determinism: Expand is deterministic for a sweep spec (random search
//     draws from the sweep's seed). Each trial is deterministic given its
//     spec and derived seed, so without pruning a sweep gives the same
//     trial results at any parallelism. With pruning, which earlier trials
//     have reached an epoch depends on timing when trials run in parallel,
//     as in Optuna's MedianPruner and SuccessiveHalvingPruner. TPE is
//     deterministic for its seed at parallelism 1, where each trial is
//     made after the one before it finished; at higher parallelism a
//     trial is made when a worker frees up, from whichever trials have
//     finished by then, so the trials depend on finish order, as in
//     Optuna. Importances are deterministic for the same trials.
//   - Concurrency: Run is safe to call from any goroutine; its callbacks run
//     on worker goroutines and must be safe for concurrent use.
//   - Errors: an invalid space (an unknown field, a bad value, a spec that
//     fails validation) is an error naming the field and value; nothing
//     panics on user input.
package sweeps
