package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// statusLine is what a screen last said on the status bar.
type statusLine struct {
	text string
	ok   bool // false draws it as an error
}

// The status bar belongs to the active screen. Each screen keeps its own
// line, so that what one says ("training <id>", "exported to …") stays
// with it instead of following the user to screens where it no longer
// applies, and is there again on the way back. a.status and a.statusOK
// hold the active screen's line; a.lines the others'.

// say puts text on screen s's status line: on the bar now when s is the
// active screen, else once the user goes to s.
func (a *App) say(s screenID, text string, ok bool) {
	if s == a.screen {
		a.status, a.statusOK = text, ok
		return
	}
	a.lines[s] = statusLine{text: text, ok: ok}
}

// sayAll puts text on every screen's line, for what applies app-wide (the
// store is unavailable, the app is stopping runs to quit).
func (a *App) sayAll(text string, ok bool) {
	for s := range screenID(numScreens) {
		a.say(s, text, ok)
	}
}

// lineOf returns screen s's status line.
func (a *App) lineOf(s screenID) statusLine {
	if s == a.screen {
		return statusLine{text: a.status, ok: a.statusOK}
	}
	return a.lines[s]
}

// switchLine keeps the active screen's line and puts s's on the bar; show
// calls it as s becomes the active screen.
func (a *App) switchLine(s screenID) {
	a.lines[a.screen] = statusLine{text: a.status, ok: a.statusOK}
	a.status, a.statusOK = a.lines[s].text, a.lines[s].ok
}

// sayHereAndOnTrain puts text on the active screen's line and on Train's,
// for the end of a sweep, whose trials Train shows, wherever the user is.
func (a *App) sayHereAndOnTrain(text string, ok bool) {
	a.say(a.screen, text, ok)
	a.say(screenTrain, text, ok)
}

// presetEdited rewrites Setup's line when it names the preset whose form
// was edited ("preset: digits (edited)") or matches it again; a line that
// says something else since (a layer added) stays.
func (a *App) presetEdited(msg presetEditedMsg) {
	if l := a.lineOf(screenSetup); l.text == presetLine(msg.name, !msg.edited) {
		a.say(screenSetup, presetLine(msg.name, msg.edited), l.ok)
	}
}

// fitStatus cuts a status line to w cells. A preset's line keeps its
// " (edited)" and cuts the preset's name instead: at 50 columns the spiral
// preset's line lost the very word that says the form departs from it.
func fitStatus(s string, w int) string {
	const edited = " (edited)"
	if lipgloss.Width(s) <= w || !strings.HasPrefix(s, "preset: ") || !strings.HasSuffix(s, edited) || w <= len(edited)+len("preset: ")+1 {
		return s
	}
	return truncate(strings.TrimSuffix(s, edited), w-len(edited)) + edited
}

// statusLines lays the active screen's status line out at the terminal's
// width: whole, wrapped over as many rows as it needs (a long error was
// cut at the edge, its end unreadable), up to a third of the terminal's
// height, past which the last row ends in "…". A preset's line keeps to
// one row (fitStatus). The screens' height leaves the rows (contentSize).
func (a *App) statusLines() []string {
	w := max(a.w, 1)
	s := a.status
	if strings.HasPrefix(s, "preset: ") {
		return []string{fitStatus(s, w)}
	}
	if lipgloss.Width(s) <= w {
		return []string{s}
	}
	rows := strings.Split(ansi.Wrap(s, w, ""), "\n")
	if n := max(a.h/3, 1); len(rows) > n {
		rows = rows[:n]
		rows[n-1] = truncate(rows[n-1]+" …", w)
	}
	return rows
}
