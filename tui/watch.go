package tui

import (
	"context"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// storeChangeWindow is how long a pushed change waits for others before
// the screens refresh: a burst of epochs from many workers costs one
// refresh, and a change still shows well within 200 ms.
const storeChangeWindow = 40 * time.Millisecond

// watchStore listens to a store that pushes its changes (PostgreSQL,
// through LISTEN/NOTIFY) until ctx ends. A store that cannot (a SQLite
// file), or whose listener fails to start, gives no message: the poll
// every refreshEvery still runs.
func watchStore(ctx context.Context, store sessions.Store) tea.Cmd {
	w, ok := store.(sessions.Watcher)
	if !ok {
		return nil
	}
	return func() tea.Msg {
		ch, err := w.WatchRuns(ctx)
		if err != nil {
			return nil
		}
		return waitForStoreChange(ch)()
	}
}

// waitForStoreChange waits for the next pushed change, gathers those that
// follow within storeChangeWindow, and returns them as a storeChangedMsg
// that carries ch for the next wait. A closed channel ends the watch.
func waitForStoreChange(ch <-chan string) tea.Cmd {
	return func() tea.Msg {
		id, ok := <-ch
		if !ok {
			return nil
		}
		ids := []string{id}
		timer := time.NewTimer(storeChangeWindow)
		defer timer.Stop()
		for {
			select {
			case id, ok := <-ch:
				if !ok {
					return storeChangedMsg{ids: ids}
				}
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			case <-timer.C:
				return storeChangedMsg{ids: ids, ch: ch}
			}
		}
	}
}
