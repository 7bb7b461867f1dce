package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit statuses, the same for every command.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	programName = "workbench"
)

// env is what a command may touch: its streams and environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command is one subcommand.
type command struct {
	name     string
	summary  string
	usage    string   // argument synopsis after the command name
	examples []string // shown by --help
	run      func(e *env, args []string) error
}

// usageError is a bad invocation: exit status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

var commands []*command

func register(c *command) { commands = append(commands, c) }

func findCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// newFlags returns a flag set whose --help prints the command's usage and
// examples.
func newFlags(e *env, c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(programName+" "+c.name, flag.ContinueOnError)
	// The flag package's own messages are dropped: dispatch prints the
	// error in one line, and --help prints the full usage below.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	helpOut[fs] = func() {
		w := e.stdout
		fs.SetOutput(w)
		fmt.Fprintf(w, "%s\n\nUsage:\n  %s %s %s\n", c.summary, programName, c.name, c.usage)
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintf(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
		if len(c.examples) > 0 {
			fmt.Fprintf(w, "\nExamples:\n")
			for _, ex := range c.examples {
				fmt.Fprintf(w, "  %s\n", ex)
			}
		}
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("show NAME --json"), and returns the positional arguments. "--" ends
// flag parsing. --help ends the command with status 0.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				if h := helpOut[fs]; h != nil {
					h()
				}
				return nil, errHelp
			}
			return nil, usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

var errHelp = errors.New("help requested")

// helpOut holds each flag set's --help printer.
var helpOut = map[*flag.FlagSet]func(){}

// run dispatches a command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) == 0 {
		args = []string{"ui"}
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		if len(args) > 1 {
			if c := findCommand(args[1]); c != nil {
				return dispatch(e, c, []string{"--help"})
			}
		}
		printMainHelp(stdout)
		return exitOK
	case "--version", "-v":
		name = "version"
	}
	c := findCommand(name)
	if c == nil {
		if strings.HasPrefix(name, "-") {
			// Flags without a command go to the TUI (e.g. --db PATH).
			return dispatch(e, findCommand("ui"), args)
		}
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n", programName, name)
		printMainHelp(stderr)
		return exitUsage
	}
	return dispatch(e, c, args[1:])
}

func dispatch(e *env, c *command, args []string) int {
	err := c.run(e, args)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, new(usageError)):
		fmt.Fprintf(e.stderr, "%s %s: %v\nRun '%s %s --help' for usage.\n", programName, c.name, err, programName, c.name)
		return exitUsage
	case errors.Is(err, errQuiet):
		return exitFailed
	default:
		fmt.Fprintf(e.stderr, "%s %s: %v\n", programName, c.name, err)
		return exitFailed
	}
}

// errQuiet fails a command whose output already said why.
var errQuiet = errors.New("failed")

func printMainHelp(w io.Writer) {
	fmt.Fprintf(w, "workbench: design, train, tune and compare neural networks in the terminal.\n\n")
	fmt.Fprintf(w, "Usage:\n  %s              open the TUI\n  %s COMMAND [flags]\n\nCommands:\n", programName, programName)
	cs := append([]*command(nil), commands...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		if strings.HasPrefix(c.name, "__") {
			continue // internal
		}
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun '%s COMMAND --help' for a command's flags and examples.\n", programName)
}
