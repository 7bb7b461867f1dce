package tui

import (
	"fmt"

	"workbench/numfmt"
)

// trainingBadge is the tab bar's count of live runs: "  ⟳ 2 training",
// with the paused ones apart ("  ⟳ 1 training · 1 paused"), or "" when
// none is live. A paused run counted as training.
func (a *App) trainingBadge() string {
	live := a.screens[screenTrain].(liveScreen)
	n, p := live.Running(), live.Paused()
	switch {
	case n == 0:
		return ""
	case p == 0:
		return fmt.Sprintf("  ⟳ %d training", n)
	case p == n:
		return fmt.Sprintf("  ⏸ %d paused", p)
	}
	return fmt.Sprintf("  ⟳ %d training · %d paused", n-p, p)
}

// quitQuestion is the quit dialog's question, from the runs and sweeps
// live now.
func (a *App) quitQuestion() string {
	const answers = "\n\n y  quit    any other key  stay"
	n := a.running()
	switch {
	case n == 1:
		return "1 run still training.\nStop it (saved as stopped) and quit?" + answers
	case n > 1:
		return numfmt.Count(n, "run") + " still training.\nStop them (saved as stopped) and quit?" + answers
	}
	return "A sweep is still running.\nStop it (its trials saved as stopped) and quit?" + answers
}

// dropStaleConfirm closes the quit dialog once nothing it would stop is
// left (the runs ended while it was open: it read "0 runs still
// training. Stop them…") and says how to quit now.
func (a *App) dropStaleConfirm() {
	if a.confirm && !a.quitting && a.running() == 0 && a.sweeps == 0 {
		a.confirm = false
		a.sayAll("every run has ended: q quits", true)
	}
}
