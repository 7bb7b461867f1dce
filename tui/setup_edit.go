package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/trainer"
)

// Editing a field starts in replace mode: the old value shows selected,
// and the first key that types text replaces it, as a form's selected
// field does (bubbles' textinput has no selection of its own). A key that
// edits or moves (backspace, delete, arrows, home, end) leaves replace
// mode and acts on the old value.

// startEdit opens the input on text, selected.
func (m *setupModel) startEdit(text string) tea.Cmd {
	m.editing = true
	m.input.Reset()
	m.input.SetValue(text)
	m.input.CursorEnd()
	m.replace = text != ""
	// The CSV path completes with Tab, as the file picker's input does.
	m.input.ShowSuggestions = m.cursorKey() == "data.path" && !m.sweepIn
	m.input.SetSuggestions(nil)
	if m.input.ShowSuggestions {
		m.input.SetSuggestions(completePath(text))
	}
	return m.input.Focus()
}

// editKey hands a key to the input, first leaving replace mode: typed text
// replaces the old value, and any other key edits it.
func (m *setupModel) editKey(msg tea.KeyMsg) tea.Cmd {
	if m.replace {
		m.replace = false
		if msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace {
			m.input.SetValue("")
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.editing && m.input.ShowSuggestions {
		m.input.SetSuggestions(completePath(m.input.Value()))
	}
	return cmd
}

// editView draws the input; in replace mode, the old value selected.
func (m *setupModel) editView() string {
	if !m.replace {
		return m.input.View()
	}
	return m.input.Prompt + m.styles.Selection.Render(m.input.Value()) + m.styles.Subtle.Render("  typing replaces it")
}

// paramGrowth is how many times a network's parameter count may grow in
// one change before Setup warns.
const paramGrowth = 10

// params counts the spec's parameters, when the data's shape is known.
func (m *setupModel) params() (int, bool) {
	task, ok := m.task()
	if !ok || m.table == nil {
		return 0, false
	}
	return trainer.CountParams(m.spec.Model, task, m.table.D+len(m.spec.Data.Crosses), m.table.Meta.Classes()), true
}

// growthWarning warns when a change took the parameter count from before
// to more than paramGrowth times as many.
func (m *setupModel) growthWarning(label string, before int) tea.Cmd {
	after, ok := m.params()
	if !ok || before <= 0 || after <= paramGrowth*before {
		return nil
	}
	text := fmt.Sprintf("%s: the network grows from %d to %d parameters (%d×); training will be slower", label, before, after, after/before)
	return func() tea.Msg { return statusMsg{text: text, err: true} }
}

// layerStatus says what adding or removing a layer did to the network
// (the status line kept the last preset's name), or warns as
// growthWarning does when it grew past paramGrowth times.
func (m *setupModel) layerStatus(what string, before int) tea.Cmd {
	if warn := m.growthWarning(what, before); warn != nil {
		return warn
	}
	text := what
	if after, ok := m.params(); ok && before > 0 {
		text = fmt.Sprintf("%s: %d parameters, were %d", what, after, before)
	}
	return func() tea.Msg { return statusMsg{text: text} }
}

// cursorKey is the key of the field under the cursor, or "".
func (m *setupModel) cursorKey() string {
	if f := m.current(); f != nil {
		return f.key
	}
	return ""
}

// seek puts the cursor on the field with key, when the form has it (a
// preset or a new layer moves the fields around it).
func (m *setupModel) seek(key string) {
	for i, f := range m.fields {
		if key != "" && f.key == key {
			m.cursor = i + 1
			return
		}
	}
}
