// Package queue runs sweeps whose trials train on many machines: the
// trials of a distributed sweep are River jobs (github.com/riverqueue/river)
// in the PostgreSQL store, and workers on any number of machines take them.
//
//   - Enqueue stores a sweep, its trials (sessions.InsertSweepTx) and one
//     job per trial in one transaction.
//   - Work runs a worker: each job is one attempt of its trial
//     (sessions.BeginAttempt), a run of its own trained on one core. The
//     attempt number fences the store: an attempt whose job was rescued and
//     handed on fails its next epoch write (sessions.ErrSuperseded) and
//     ends interrupted. A worker stopped by its context saves its trials
//     stopped and puts their jobs back (river.JobSnooze(0)).
//   - Each worker beats for its runs; a run whose heartbeat stops is
//     marked interrupted by any other worker and its job made available at
//     once, sooner than River's rescue of stuck jobs (RescueAfter).
//   - Cancel cancels a sweep's remaining jobs; running trials stop at
//     their next epoch, saved stopped.
//   - TPE: only the startup trials are enqueued; the others wait as
//     pending trials, and the worker that ends a trial proposes the next
//     from the finished trials in the store (sweeps.NextTrial) and enqueues
//     it in one transaction.
//
// River's tables live beside the store's, in the schema search_path
// names; Migrate creates them under the store's migration lock.
//
// It sits above sweeps and below the CLI; sessions and trainer never
// import it. Its functions are safe for concurrent use. Errors name the
// store by its URL without password (sessions.RedactURL).
package queue
