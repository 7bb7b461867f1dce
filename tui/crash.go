package tui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// crashSaveWait bounds how long a crash waits for live runs to be saved.
const crashSaveWait = 3 * time.Second

// Run opens the app on in and out until the user quits. A bug that panics
// in Update or View does not take the terminal with it: the app stops its
// runs (saved as "stopped"), writes the stack to a crash file, quits the
// program normally (so the terminal leaves raw mode and the alternate
// screen) and returns an error that names the file.
func Run(store sessions.Store, o Options, in io.Reader, out io.Writer) error {
	a := New(store, o)
	p := tea.NewProgram(a, tea.WithAltScreen(), tea.WithInput(in), tea.WithOutput(out))
	a.quitProgram = func() { go p.Quit() }
	_, err := p.Run()
	if a.crashFile != "" {
		return fmt.Errorf("workbench hit a bug and stopped; runs in flight were saved as stopped.\nThe details are in %s: please attach that file to a bug report", a.crashFile)
	}
	if err != nil {
		return fmt.Errorf("terminal UI: %v", err)
	}
	return nil
}

// crashed handles a panic caught in Update or View: it stops every live
// run and sweep, waits (bounded) for their recorders to save them, writes
// the crash file and asks the program to quit.
func (a *App) crashed(p any) {
	if a.crashFile != "" {
		return
	}
	stack := debug.Stack()
	a.cancelSweeps()
	// The panic may have come from the Train screen itself: a second one
	// while stopping must not stop the crash file being written.
	func() {
		defer func() { _ = recover() }()
		live := a.screens[screenTrain]
		live.Handle(stopRunsMsg{})
		deadline := time.After(crashSaveWait)
		for _, done := range live.(liveScreen).Saved() {
			select {
			case <-done:
			case <-deadline:
				return
			}
		}
	}()
	dir := a.opts.CrashDir
	if dir == "" {
		dir = os.TempDir()
	}
	name := filepath.Join(dir, "workbench-crash-"+time.Now().UTC().Format("20060102-150405.000")+".txt")
	report := fmt.Sprintf("workbench crashed at %s\npanic: %v\n\n%s", time.Now().UTC().Format(time.RFC3339), p, stack)
	if err := os.WriteFile(name, []byte(report), 0o600); err != nil {
		// Nowhere to write: keep the stack for the message instead.
		name = "(could not write a crash file: " + err.Error() + ")\n" + report
	}
	a.crashFile = name
	if a.quitProgram != nil {
		a.quitProgram()
	}
}

// crashView is what the app shows between a crash and the program's exit.
func (a *App) crashView() string {
	return "workbench hit a bug and is closing; runs in flight were saved as stopped.\n"
}
