package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// shellWords splits one line of a help example as a POSIX shell would:
// quotes and backslashes, a # comment, pipes and redirections. It returns
// the words of each piped command (a redirection's target dropped), or an
// error for an unquoted ; or & (the shell would end the command there).
func shellWords(line string) ([][]string, error) {
	var cmds [][]string
	var words []string
	var w strings.Builder
	inWord, redirect := false, false
	flush := func() {
		if inWord {
			if !redirect {
				words = append(words, w.String())
			}
			redirect = false
		}
		w.Reset()
		inWord = false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("unbalanced %c", c)
			}
			w.WriteString(line[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == '\\' && i+1 < len(line):
			w.WriteByte(line[i+1])
			inWord = true
			i++
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			flush()
			return append(cmds, words), nil
		case c == '|':
			flush()
			cmds, words = append(cmds, words), nil
		case c == '>' || c == '<':
			flush()
			redirect = true
		case c == ';' || c == '&':
			return nil, fmt.Errorf("unquoted %c at column %d ends the shell command", c, i+1)
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return append(cmds, words), nil
}

// TestHelpExamplesRunAsWritten: every example in every command's help,
// pasted into a shell, reaches workbench whole (a grid axis such as
// layers=8;16,16 needs quotes) with flags its command takes.
func TestHelpExamplesRunAsWritten(t *testing.T) {
	var walk func(c *cobra.Command)
	checked := 0
	walk = func(c *cobra.Command) {
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			cmds, err := shellWords(line)
			if err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
				continue
			}
			for _, words := range cmds {
				if len(words) == 0 || words[0] != programName {
					continue
				}
				root := newRoot(&env{getenv: os.Getenv})
				sub, rest, err := root.Find(words[1:])
				if err == nil {
					err = sub.ParseFlags(rest)
				}
				if err != nil {
					t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
				}
				checked++
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot(&env{getenv: os.Getenv}))
	if checked < 40 {
		t.Errorf("checked %d examples; the walk missed commands", checked)
	}
}

// TestEveryCommandHasExamples: the README promises that every command's
// --help has examples; a command a user runs (not a group, not cobra's
// own help) must have at least one.
func TestEveryCommandHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && !c.Hidden && c.Name() != "help" && strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s --help has no examples", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot(&env{getenv: os.Getenv}))
}
