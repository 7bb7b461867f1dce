// Package analysis works on saved runs: it combines them into ensembles,
// compresses them (magnitude pruning, int8 quantization) and explains them
// (permutation importance, one row's attribution). Each result that is a
// model is saved in the store as a derived run (kind "ensemble" or
// "compressed") that lists where it came from and predicts like any run.
//
// It sits between sessions and sweeps: it imports datasets, trainer and
// sessions, and nothing above them.
//
// Contract:
//   - Data: every operation rebuilds the data of the runs it reads from
//     their spec and refuses to go on when its hash differs from the one
//     stored with the run (a CSV that changed since, for instance). Members
//     of an ensemble must share the data hash and split; a refusal names
//     the field that differs.
//   - Determinism: results depend only on the stored runs and the options
//     (permutations come from a seeded PCG source). Throughput figures are
//     measurements and vary.
//   - Concurrency: functions are safe for concurrent use; they share no
//     state. Results are plain values.
//   - Errors: bad input (an unknown run, a run without a model, an option
//     out of range, incompatible runs) returns an error that says which;
//     nothing panics on stored data.
//   - Diverged runs: explain works on a diverged run's last finite weights,
//     saying so in the result's Diverged, when they predict finite values;
//     otherwise (outputs of ±Inf or NaN, or no weights saved) it returns an
//     error wrapping ErrNothingToExplain that names the epoch it diverged
//     at. No result holds a non-finite number.
package analysis
