package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// csvFiles is the listing of Setup's "open CSV…" picker: the folders and
// the CSV files (csvTypes) of one folder, as the path input's completion
// offers them. bubbles' filepicker listed every file and greyed out the
// ones it would not open, which without colour looked like the others and
// said nothing of why; it cannot leave them out, so the listing is ours. A
// line under the list counts the files left out.
//
// It follows the component contract without Focus: Setup hands it keys
// only while the picker is open. It is not safe for concurrent use.
type csvFiles struct {
	CurrentDirectory string

	id      int64 // tags its listings: a closed picker's are dropped
	entries []fileEntry
	hidden  int   // files left out: not CSV
	err     error // the folder could not be read
	loading bool
	cursor  int
	offset  int
	height  int
	back    string // the folder just left, for the cursor to land on
	picked  string // the file the last key chose
	keys    csvFilesKeys
	styles  *Styles
}

// fileEntry is one line of the listing.
type fileEntry struct {
	name string
	dir  bool
	size int64
}

type csvFilesKeys struct {
	Up, Down, Top, Bottom, PageUp, PageDown, Back, Open key.Binding
}

var pickerIDs atomic.Int64

func newCSVFiles(dir string, st *Styles) csvFiles {
	return csvFiles{CurrentDirectory: dir, id: pickerIDs.Add(1), styles: st, height: 5, keys: csvFilesKeys{
		Up:       key.NewBinding(key.WithKeys("up")),
		Down:     key.NewBinding(key.WithKeys("down")),
		Top:      key.NewBinding(key.WithKeys("home")),
		Bottom:   key.NewBinding(key.WithKeys("end")),
		PageUp:   key.NewBinding(key.WithKeys("pgup")),
		PageDown: key.NewBinding(key.WithKeys("pgdown")),
		Back:     key.NewBinding(key.WithKeys("left")),
		Open:     key.NewBinding(key.WithKeys("right", "enter")),
	}}
}

// SetHeight sets how many entries show at once.
func (m *csvFiles) SetHeight(h int) { m.height = max(h, 1) }

// Init lists CurrentDirectory.
func (m *csvFiles) Init() tea.Cmd {
	m.loading, m.entries, m.err, m.hidden = true, nil, nil, 0
	id, dir := m.id, m.CurrentDirectory
	return func() tea.Msg { return listFiles(id, dir) }
}

// listFiles reads dir's folders and CSV files, folders first, hidden
// names left out.
func listFiles(id int64, dir string) filesListedMsg {
	des, err := os.ReadDir(dir)
	if err != nil {
		return filesListedMsg{id: id, dir: dir, err: err}
	}
	msg := filesListedMsg{id: id, dir: dir}
	for _, de := range des {
		name := de.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		info, err := os.Stat(filepath.Join(dir, name)) // a link's target
		if err != nil {
			continue // a broken link
		}
		switch {
		case info.IsDir():
			msg.entries = append(msg.entries, fileEntry{name: name, dir: true})
		case isCSVFile(name):
			msg.entries = append(msg.entries, fileEntry{name: name, size: info.Size()})
		default:
			msg.hidden++
		}
	}
	sort.SliceStable(msg.entries, func(i, j int) bool { return msg.entries[i].dir && !msg.entries[j].dir })
	return msg
}

// Update takes the folder's listing and the keys that move, open a folder
// or go up.
func (m csvFiles) Update(msg tea.Msg) (csvFiles, tea.Cmd) {
	switch msg := msg.(type) {
	case filesListedMsg:
		if msg.id != m.id || msg.dir != m.CurrentDirectory {
			return m, nil // a closed picker's, or a folder since left
		}
		m.loading, m.entries, m.hidden, m.err = false, msg.entries, msg.hidden, msg.err
		m.cursor, m.offset = 0, 0
		for i, e := range m.entries {
			if e.dir && e.name == m.back {
				m.cursor = i
			}
		}
		m.back = ""
		m.scroll()
	case tea.KeyMsg:
		m.picked = ""
		k := m.keys
		switch {
		case key.Matches(msg, k.Up):
			m.cursor--
		case key.Matches(msg, k.Down):
			m.cursor++
		case key.Matches(msg, k.Top):
			m.cursor = 0
		case key.Matches(msg, k.Bottom):
			m.cursor = len(m.entries) - 1
		case key.Matches(msg, k.PageUp):
			m.cursor -= m.height
		case key.Matches(msg, k.PageDown):
			m.cursor += m.height
		case key.Matches(msg, k.Back):
			parent := filepath.Dir(m.CurrentDirectory)
			if parent == m.CurrentDirectory {
				return m, nil
			}
			m.back = filepath.Base(m.CurrentDirectory)
			m.CurrentDirectory = parent
			return m, m.Init()
		case key.Matches(msg, k.Open):
			if m.cursor < 0 || m.cursor >= len(m.entries) {
				return m, nil
			}
			e := m.entries[m.cursor]
			path := filepath.Join(m.CurrentDirectory, e.name)
			if e.dir {
				m.CurrentDirectory = path
				return m, m.Init()
			}
			if msg.String() == "enter" {
				m.picked = path
			}
			return m, nil
		}
		m.scroll()
	}
	return m, nil
}

// scroll keeps the cursor on an entry and in view.
func (m *csvFiles) scroll() {
	m.cursor = min(max(m.cursor, 0), max(len(m.entries)-1, 0))
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+m.height {
		m.offset = m.cursor - m.height + 1
	}
}

// DidSelectFile reports whether msg, just given to Update, chose a file,
// and its path.
func (m csvFiles) DidSelectFile(msg tea.Msg) (bool, string) {
	if _, ok := msg.(tea.KeyMsg); !ok || m.picked == "" {
		return false, ""
	}
	return true, m.picked
}

// View lists the entries in view, a folder's name ending in /, a file's
// size before its name, and under them how many files were left out.
func (m csvFiles) View() string {
	st := m.styles
	var lines []string
	switch {
	case m.err != nil:
		lines = append(lines, st.Error.Render("cannot read this folder: "+m.err.Error()))
	case m.loading:
		lines = append(lines, st.Subtle.Render("reading…"))
	case len(m.entries) == 0 && m.hidden == 0:
		lines = append(lines, st.Subtle.Render("this folder is empty"))
	case len(m.entries) == 0:
		lines = append(lines, st.Subtle.Render("no folders or CSV files here"))
	}
	for i := m.offset; i < min(len(m.entries), m.offset+m.height); i++ {
		e := m.entries[i]
		size, name, style := "", e.name, st.Text
		if e.dir {
			name, style = e.name+string(filepath.Separator), st.Accent
		} else {
			size = fileSize(e.size)
		}
		line := fmt.Sprintf("%6s %s", size, name)
		if i == m.cursor {
			lines = append(lines, st.Selected.Render("› "+line))
		} else {
			lines = append(lines, "  "+style.Render(line))
		}
	}
	if m.hidden > 0 && m.err == nil && !m.loading {
		// Short enough for the panel at 80×24; the title says CSV.
		what := fmt.Sprintf("%d non-CSV files not shown", m.hidden)
		if m.hidden == 1 {
			what = "1 non-CSV file not shown"
		}
		lines = append(lines, st.Subtle.Render(what))
	}
	return strings.Join(lines, "\n")
}

// fileSize is n bytes in SI units, as ls -h --si writes them: 135B, 4.1kB,
// 12MB.
func fileSize(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%dB", max(n, 0))
	}
	f, unit := float64(n), 0
	for f >= 1000 && unit < len("kMGTPE") {
		f /= 1000
		unit++
	}
	if f < 10 {
		return fmt.Sprintf("%.1f%cB", f, "kMGTPE"[unit-1])
	}
	return fmt.Sprintf("%.0f%cB", f, "kMGTPE"[unit-1])
}
