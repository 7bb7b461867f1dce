package tui

import (
	"hash/fnv"

	"github.com/charmbracelet/lipgloss"
)

// Semantic colours, adaptive to light and dark terminals. lipgloss drops
// them under NO_COLOR or a colourless terminal.
var (
	colText   = lipgloss.AdaptiveColor{Light: "#1a1a1a", Dark: "#e6e6e6"}
	colSubtle = lipgloss.AdaptiveColor{Light: "#7a7a7a", Dark: "#8a8a8a"}
	colBorder = lipgloss.AdaptiveColor{Light: "#c8c8c8", Dark: "#444444"}
	colFocus  = lipgloss.AdaptiveColor{Light: "#5b3cc4", Dark: "#a58cff"}
	colAccent = lipgloss.AdaptiveColor{Light: "#0a7a8c", Dark: "#4fd1e0"}
	colError  = lipgloss.AdaptiveColor{Light: "#c0392b", Dark: "#ff6b6b"}
	colGood   = lipgloss.AdaptiveColor{Light: "#1e8449", Dark: "#58d68d"}
	colBad    = lipgloss.AdaptiveColor{Light: "#b9770e", Dark: "#f5b041"}
)

// objectiveScale runs from the worst objective to the best.
var objectiveScale = []lipgloss.AdaptiveColor{
	{Light: "#b03a2e", Dark: "#e74c3c"},
	{Light: "#ca6f1e", Dark: "#f0883e"},
	{Light: "#b7950b", Dark: "#f4d03f"},
	{Light: "#7dae3b", Dark: "#a9dc76"},
	{Light: "#1e8449", Dark: "#2ecc71"},
}

// seriesPalette holds run colours; a run's colour is picked by a hash of
// its ID, so it keeps its colour on every screen.
var seriesPalette = []lipgloss.AdaptiveColor{
	{Light: "#1f77b4", Dark: "#5dade2"},
	{Light: "#d35400", Dark: "#f0a35e"},
	{Light: "#1e8449", Dark: "#6fdc8c"},
	{Light: "#8e44ad", Dark: "#c39bd3"},
	{Light: "#b03a2e", Dark: "#f1948a"},
	{Light: "#117a65", Dark: "#76d7c4"},
	{Light: "#7d6608", Dark: "#f7dc6f"},
	{Light: "#34495e", Dark: "#aeb6bf"},
}

func seriesIndex(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(len(seriesPalette)))
}

// plain is the unstyled base for layout (widths, heights, clipping), built
// once so views never call lipgloss.NewStyle.
var plain = lipgloss.NewStyle()

// seriesStyles holds one foreground style per palette colour.
var seriesStyles = func() []lipgloss.Style {
	out := make([]lipgloss.Style, len(seriesPalette))
	for i, c := range seriesPalette {
		out[i] = lipgloss.NewStyle().Foreground(c)
	}
	return out
}()

// seriesStyle is the style of a run's colour.
func seriesStyle(id string) lipgloss.Style { return seriesStyles[seriesIndex(id)] }

// Styles holds every style the views use, built once.
type Styles struct {
	Title, Subtle, Text, Focus, Accent, Error, Good, Bad lipgloss.Style
	TabActive, Tab, StatusBar, Help                      lipgloss.Style
	Panel, PanelFocused                                  lipgloss.Style
	Selected, Header, Invalid, Dialog                    lipgloss.Style
	// Selection marks selected text (a field's old value while typing
	// replaces it).
	Selection                    lipgloss.Style
	TrainSeries, ValSeries, Axis lipgloss.Style
	// ObjScale colours an objective from worst to best.
	ObjScale []lipgloss.Style
}

// DefaultStyles returns the workbench theme.
func DefaultStyles() Styles {
	s := Styles{}
	s.Text = lipgloss.NewStyle().Foreground(colText)
	s.Subtle = lipgloss.NewStyle().Foreground(colSubtle)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(colFocus)
	s.Focus = lipgloss.NewStyle().Foreground(colFocus).Bold(true)
	s.Accent = lipgloss.NewStyle().Foreground(colAccent)
	s.Error = lipgloss.NewStyle().Foreground(colError).Bold(true)
	s.Good = lipgloss.NewStyle().Foreground(colGood)
	s.Bad = lipgloss.NewStyle().Foreground(colBad)
	s.TabActive = lipgloss.NewStyle().Bold(true).Foreground(colFocus).Underline(true).Padding(0, 1)
	s.Tab = lipgloss.NewStyle().Foreground(colSubtle).Padding(0, 1)
	s.StatusBar = lipgloss.NewStyle().Foreground(colSubtle)
	s.Help = lipgloss.NewStyle().Foreground(colSubtle)
	s.Panel = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colBorder).Padding(0, 1)
	s.PanelFocused = s.Panel.BorderForeground(colFocus)
	s.Selected = lipgloss.NewStyle().Foreground(colFocus).Bold(true)
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(colAccent)
	s.Selection = lipgloss.NewStyle().Reverse(true)
	s.Invalid = lipgloss.NewStyle().Foreground(colError)
	s.Dialog = lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(colFocus).Padding(1, 2)
	s.TrainSeries = lipgloss.NewStyle().Foreground(seriesPalette[0])
	s.ValSeries = lipgloss.NewStyle().Foreground(seriesPalette[1])
	s.Axis = lipgloss.NewStyle().Foreground(colSubtle)
	for _, c := range objectiveScale {
		s.ObjScale = append(s.ObjScale, lipgloss.NewStyle().Foreground(c))
	}
	return s
}
