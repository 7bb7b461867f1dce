// Package datasets turns a dataset name or a CSV file into validated,
// preprocessed and split matrices for the trainer.
//
// It knows nothing of training, storage or UI and imports nothing else of the
// project.
//
// Contract:
//   - Determinism: every generator, split and augmentation takes its
//     randomness from a seed in the Spec; the same Spec always yields the
//     same matrices, bit for bit, and the same content Hash.
//   - Concurrency: functions are safe for concurrent use. A *Prepared is
//     read-only after Build returns and may be shared between goroutines;
//     an *Augmenter is not safe for concurrent use (it owns an RNG).
//   - Errors and panics: bad data (a ragged CSV row, a missing value under
//     the "error" policy, an unknown dataset name, an invalid option)
//     returns an error naming the file, line, column or field. Functions
//     panic only on programmer errors such as mismatched buffer lengths,
//     with messages prefixed "datasets: ". No input bytes can cause a panic.
//
// Matrices are flat row-major []float64 slices: X holds N rows of D
// features, Y holds N targets (a class index for classification, a value
// for regression).
package datasets
