package tui

import "workbench/trainer"

// A run's status reads the same to a person wherever it shows (the Train
// tabs and progress line, the status line, the Runs list and a run's
// page, and the CLI's tables, 'runs show' and 'train'): the stored word
// itself, early_stopped rather than "early stopped". It is one token in a
// table, and it is what a filter takes (status=early_stopped, in / and in
// 'runs list --filter').

// reasonCancelled is the reason the trainer gives a run stopped through
// its context: by x, q or r here, Ctrl-C in 'workbench train', or a
// cancelled sweep.
const reasonCancelled = "cancelled"

// ReasonText is the reason a person sees for a run that ended with status
// s and reason: the reason as stored, except "" where it only says the
// status again in another word (a stopped run's "cancelled"). It is safe
// for concurrent use.
func ReasonText(s trainer.Status, reason string) string {
	if s == trainer.StatusStopped && reason == reasonCancelled {
		return ""
	}
	return reason
}
