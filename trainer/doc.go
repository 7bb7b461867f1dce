// Package trainer is workbench's engine: the MLP model and its layers,
// activations, losses, optimizers, learning-rate schedules, metrics and the
// training loop.
//
// Run(ctx, spec, data) starts a run on its own goroutine and returns a
// *Handle whose Events channel carries immutable events tagged with the run
// ID: one Start, throttled Progress (at most about 15 a second), one Epoch
// per epoch (never dropped), and one Finished, after which the channel is
// closed. The training goroutine never blocks on a slow reader: events are
// queued without bound (progress events are coalesced to the latest), so
// the consumer must drain Events until it is closed.
//
// Precision: Spec.Precision selects float64 (the default) or float32
// arithmetic for the network; one generic engine serves both. The loss,
// metrics, inputs and saved weights cross the boundary as float64 (float32
// weights are exact float32 values, saved in their own short form as
// weights version 2). Float32 tracks float64 closely: the same seed gives
// loss curves within 0.1% (TestFloat32AgreesWithFloat64).
//
// Matrix products run on register-tile kernels (AVX2 and AVX-512
// assembly in both precisions, pure Go elsewhere) on a per-model pool of
// workers. A network without batch normalization trains by the
// row-parallel step (rowstep.go): each worker takes a fixed block of the
// batch's rows through every layer, then its blocks of the weight
// gradients with the optimizer's update fused in, two hand-offs and one
// barrier a step; other networks split each large product by output rows.
// Kernels exposes them as a gonum BLAS; UseBLAS plugs another BLAS into
// float64 networks.
//
// Fields is the spec-field registry: one row per field of Spec with its
// path, flag, label, kind, range, steps and choices. Spec.Get and Spec.Set
// read and write a field by flag or path and hold the rules that link
// fields (gd sets batch 0, a new optimizer its learning rate, …); Validate checks
// every row. The command line, the Setup form and sweeps are built on it.
//
// Saved models are Predictors: a float MLP (Snapshot), its int8 version
// (Quantized: int8 × int8 → int32 products with power-of-two scales, so
// the integer path equals the dequantized float computation exactly) and
// ensembles of either (Ensemble). LoadPredictor reads any of them. Pruning
// (PruneMagnitude, PruneUnits), masked fine-tuning (Finetune), input
// gradients (OutputGradient, IntegratedGradients) and the binary decision
// rule (DecisionSpec, TuneThreshold, Decide) work on them.
//
// Contract:
//   - Determinism: the same Spec (including its seed) and the same data give
//     bit-identical histories and weights for any number of workers, on one
//     kind of CPU; across CPUs (AVX-512, AVX2, none) results agree within
//     rounding, since the kernels round differently. Randomness comes only
//     from math/rand/v2 PCG sources seeded from the Spec: one stream each
//     for initialization, shuffling, dropout and augmentation.
//   - Concurrency: a Handle's methods are safe for concurrent use. A Model
//     is not; Snapshot returns an independent copy whose Predict is safe
//     for concurrent use. Events are immutable once sent.
//   - Errors and panics: an invalid Spec returns an error naming the field
//     (Validate). A non-finite loss or weight ends the run with status
//     "diverged", never a panic. Functions panic only on programmer errors
//     such as buffer length mismatches, with messages prefixed "trainer: ".
//   - Allocation: after the first epoch a training step allocates nothing,
//     in either precision; every buffer is sized once for the largest batch and reused. Layer
//     health (EpochEvent.Layers) is measured on the epoch's first step and
//     the validation pass with buffers allocated once per run.
//
// FindLR runs the learning-rate range test on a throwaway model; HealthWatch
// turns layer health into warnings by documented rules.
package trainer
