// Package tui is workbench's terminal UI: one root model (App) with four
// screens as children (Setup, Train, Runs, Compare), built on Bubble Tea v1,
// Lip Gloss and ntcharts. Runs opens a sweep view (parallel coordinates and
// hyperparameter importance) on the sweep of the trial under the cursor.
//
// Contract:
//   - Concurrency: models are changed only in Update, so they need no locks.
//     Trainer events arrive through a Cmd that waits on a run's channel and
//     is issued again after each batch of events; it never blocks the
//     trainer, whose own queue is unbounded. Cmd closures capture values,
//     never the model. Expensive work (decision-boundary grids, the network
//     view's maps and histograms, the learning-rate finder, store
//     queries) runs in Cmds and comes back as messages.
//   - Ownership: every background message carries its run ID; a screen drops
//     messages for runs it does not show.
//   - Errors: a bad CSV, a store problem or an invalid field shows in the
//     status line or inline; nothing panics in front of the user, and any
//     terminal size renders (below the minimum, a message says how much
//     room is needed).
package tui
