package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/trainer"
)

// Opening a CSV file: "open CSV…" opens bubbles' file picker in the info
// panel beside a path input that completes with tab. ↑/↓ move in the
// picker, → or enter opens a folder or picks a file, ← goes up; typed text
// goes to the input, and enter with a typed path opens it.

// csvTypes are the files the picker offers, by extension in lower case.
var csvTypes = []string{".csv", ".tsv", ".txt"}

// isCSVFile reports whether the picker and the path completion offer a
// file of this name: a .csv, .tsv or .txt, in any case (DATA.CSV, x.Txt).
func isCSVFile(name string) bool {
	return slices.Contains(csvTypes, strings.ToLower(filepath.Ext(name)))
}

// openFiles starts choosing a CSV file, in the current file's folder or
// the working directory.
func (m *setupModel) openFiles() tea.Cmd {
	dir := "."
	if p := m.spec.Data.Path; p != "" && p != "-" {
		dir = filepath.Dir(p)
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	m.files = newCSVFiles(dir, m.styles)
	m.files.SetHeight(max(m.h-6, 3))
	m.picking = true
	cmd := m.startEdit("")
	// Short enough for the value column at 80×24; the help line says
	// that tab completes.
	m.input.Placeholder = "type a path or pick →"
	m.input.ShowSuggestions = true
	m.input.KeyMap.NextSuggestion = key.NewBinding(key.WithKeys("ctrl+n"))
	m.input.KeyMap.PrevSuggestion = key.NewBinding(key.WithKeys("ctrl+p"))
	return tea.Batch(cmd, m.files.Init())
}

// closeFiles ends choosing a file.
func (m *setupModel) closeFiles() {
	m.picking, m.editing, m.pending = false, false, ""
	m.input.ShowSuggestions = false
	m.input.SetSuggestions(nil)
	m.input.Blur()
}

func (m setupModel) updateFiles(msg tea.KeyMsg) (setupModel, tea.Cmd) {
	typed := strings.TrimSpace(m.input.Value())
	switch {
	case msg.Type == tea.KeyEsc:
		m.closeFiles()
		return m, nil
	case msg.Type == tea.KeyEnter && typed != "":
		path := expandHome(typed)
		st, err := os.Stat(path)
		if err == nil && st.IsDir() { // a folder: browse it
			m.files.CurrentDirectory = path
			m.input.SetValue("")
			return m, m.files.Init()
		}
		// The name of a built-in set that is no file here ("moons")
		// leaves the CSV for that set, as typing it on the row did.
		if f := m.current(); err != nil && f != nil && f.key == "data.name" && typed != openCSV && slices.Contains(f.steps, typed) {
			m.closeFiles()
			m.pending = ""
			return m, m.commit(f, typed)
		}
		m.closeFiles()
		return m, m.openCSVPath(path)
	case msg.Type == tea.KeyUp, msg.Type == tea.KeyDown, msg.Type == tea.KeyPgUp, msg.Type == tea.KeyPgDown,
		msg.Type == tea.KeyEnter, typed == "" && (msg.Type == tea.KeyLeft || msg.Type == tea.KeyRight):
		var cmd tea.Cmd
		m.files, cmd = m.files.Update(msg)
		if ok, path := m.files.DidSelectFile(msg); ok {
			m.closeFiles()
			return m, m.openCSVPath(path)
		}
		return m, cmd
	}
	cmd := m.editKey(msg)
	m.input.SetSuggestions(completePath(m.input.Value()))
	return m, cmd
}

// openCSVPath makes the CSV file at path the data, keeping the seed and
// the scaling, and loads it. It goes through the registry, as --data does,
// so that leaving the Playground's sets takes the usual 70/15/15 split
// (Setup kept the Playground's 50% where train --data took 70%).
func (m *setupModel) openCSVPath(path string) tea.Cmd {
	d := m.spec.Data
	if err := m.spec.Set("data", path); err != nil || m.spec.Data.Path != path {
		m.spec.Data = datasets.Spec{Path: path, Split: d.Split, Seed: d.Seed, Scale: d.Scale}
	}
	m.table, m.columns = nil, nil
	m.rebuild()
	return m.loadDataset()
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// maxCompletions caps the paths offered for one prefix.
const maxCompletions = 64

// completePath returns the paths that complete typed: the folders and CSV
// files of its folder whose names start with its last part. Hidden
// entries are offered only when the part starts with a dot.
func completePath(typed string) []string {
	if typed == "" {
		return nil
	}
	dirPart, base := "", typed
	if i := strings.LastIndexAny(typed, `/\`); i >= 0 {
		dirPart, base = typed[:i+1], typed[i+1:]
	}
	dir := expandHome(dirPart)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, base) || (strings.HasPrefix(n, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(dir, n)); err == nil {
				isDir = st.IsDir()
			}
		}
		switch {
		case isDir:
			out = append(out, dirPart+n+string(filepath.Separator))
		case isCSVFile(n):
			out = append(out, dirPart+n)
		}
		if len(out) == maxCompletions {
			break
		}
	}
	return out
}

// Columns: the target steps through the header's names, and enter on the
// ignored columns opens a list of them, each with its detected type, where
// space marks the columns to drop.

// colPicker is the list of a CSV file's columns to ignore.
type colPicker struct {
	cursor int
	marked map[string]bool
}

// openColumns starts picking the columns to ignore.
func (m *setupModel) openColumns() tea.Cmd {
	if len(m.columns) == 0 {
		return func() tea.Msg {
			return statusMsg{text: "the file's columns are not known yet: open a CSV file that loads", err: true}
		}
	}
	m.cols = colPicker{marked: map[string]bool{}}
	for _, c := range m.spec.Data.Ignore {
		m.cols.marked[c] = true
	}
	m.choosingCols = true
	return nil
}

// targetColumn is the index of the target column among m.columns.
func (m *setupModel) targetColumn() int {
	t := m.spec.Data.Target
	for j, c := range m.columns {
		if c.Name == t || fmt.Sprint(j) == t {
			return j
		}
	}
	return len(m.columns) - 1
}

func (m setupModel) updateColumns(msg tea.KeyMsg) (setupModel, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.choosingCols = false
	case "up", "k":
		m.cols.cursor = max(m.cols.cursor-1, 0)
	case "down", "j":
		m.cols.cursor = min(m.cols.cursor+1, len(m.columns)-1)
	case " ", "x":
		if m.cols.cursor == m.targetColumn() {
			return m, func() tea.Msg { return statusMsg{text: "the target column cannot be ignored", err: true} }
		}
		n := m.columns[m.cols.cursor].Name
		m.cols.marked[n] = !m.cols.marked[n]
	case "enter":
		m.choosingCols = false
		var names []string
		for _, c := range m.columns { // in the file's order
			if m.cols.marked[c.Name] {
				names = append(names, c.Name)
			}
		}
		f := m.current()
		if f == nil || f.key != "data.ignore" {
			return m, nil
		}
		return m, m.commit(f, strings.Join(names, ","))
	}
	return m, nil
}

// columnSteps makes the target field step through the header's names,
// showing an empty target as the last column's name, and shows no ignored
// columns as none.
func (m *setupModel) columnSteps() {
	names := make([]string, len(m.columns))
	for j, c := range m.columns {
		names[j] = c.Name
	}
	for i := range m.fields {
		f := &m.fields[i]
		get := f.get
		switch {
		case f.key == "data.ignore":
			f.get = func(s *trainer.Spec) string {
				if v := get(s); v != "" {
					return v
				}
				return "none"
			}
		case f.key == "data.target" && len(names) > 0:
			f.steps = names
			last := names[len(names)-1]
			f.get = func(s *trainer.Spec) string {
				if v := get(s); v != "" {
					return v
				}
				return last
			}
		}
	}
}

// viewColumns lists the columns to ignore, each with its type.
func (m setupModel) viewColumns(w, h int) string {
	st := m.styles
	lines := []string{st.Title.Render("ignore columns"), st.Subtle.Render(truncate("space marks · enter applies · esc cancels", w)), ""}
	room := max(h-len(lines), 1)
	off := max(0, min(m.cols.cursor-room+1, len(m.columns)-room))
	target := m.targetColumn()
	nameW := 4
	for _, c := range m.columns {
		nameW = max(nameW, len([]rune(c.Name)))
	}
	nameW = min(nameW, max(w/2, 6))
	for j := off; j < len(m.columns) && j < off+room; j++ {
		c := m.columns[j]
		box := "[ ]"
		switch {
		case j == target:
			box = "(t)"
		case m.cols.marked[c.Name]:
			box = "[x]"
		}
		kind := c.Type
		if j == target {
			kind = "target"
		} else if c.Missing > 0 {
			kind += fmt.Sprintf(" · %d missing", c.Missing)
		}
		line := fmt.Sprintf("%s %-*s %s", box, nameW, truncate(c.Name, nameW), kind)
		if j == m.cols.cursor {
			line = st.Selected.Render("› " + line)
		} else {
			line = "  " + line
		}
		lines = append(lines, truncateANSI(line, w))
	}
	return strings.Join(lines, "\n")
}

// pickerHint is the picker's keys in the words that fit in w columns.
func pickerHint(w int) string {
	for _, h := range []string{
		"↑↓ choose · → open · ← up · enter picks · tab completes a typed path",
		"↑↓ · → open · ← up · enter picks · tab completes",
		"→ open · ← up · enter picks · tab completes",
	} {
		if lipgloss.Width(h) <= w {
			return h
		}
	}
	return "→ open · ← up · enter picks"
}

// viewFiles is the file picker under the folder it shows.
func (m setupModel) viewFiles(w, h int) string {
	st := m.styles
	head := []string{
		st.Title.Render("open a CSV file"),
		st.Subtle.Render(truncate(pickerHint(w), w)),
		st.Subtle.Render(truncate(m.files.CurrentDirectory, w)),
	}
	m.files.SetHeight(max(h-len(head)-1, 2))
	return strings.Join(head, "\n") + "\n" + plain.MaxWidth(w).Render(m.files.View())
}
