package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"workbench/sessions"
)

// Exit statuses, the same for every command.
const (
	ExitOK     = 0 // the command did what it was asked
	ExitFailed = 1 // it failed, or the run it trained failed or diverged
	ExitUsage  = 2 // a bad command line or an invalid spec
	// 130 and 143 (128 + the signal's number): Ctrl-C or SIGTERM stopped
	// the work, after saving it; see interruptedError.
)

const programName = "workbench"

// version is set at build time with -ldflags "-X workbench/cli.version=v1.2.3".
var version = "dev"

// env is what a command may touch: its streams and environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// maxMemory is train's --max-memory in bytes (0: the default limit,
	// negative: none).
	maxMemory int64
}

// usageError is a bad invocation: exit status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// fileError is bad content in a file the command line named (a sweep
// file): exit status 2 as for a usage error, without the usage hint,
// which says nothing about the file.
type fileError struct{ msg string }

func (f fileError) Error() string { return f.msg }

// Execute runs the command line of the process and returns its exit
// status, for main to pass to os.Exit.
func Execute() int {
	return run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// run runs a command line against the given streams and returns the exit
// status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteC()
	return report(e, cmd, err)
}

// report prints err for cmd in one line and returns the exit status.
func report(e *env, cmd *cobra.Command, err error) int {
	if err == nil {
		return ExitOK
	}
	path := programName
	if cmd != nil {
		path = cmd.CommandPath()
	}
	// Errors from lower layers often start with the command's own name
	// ("sweep: ..."); say it once.
	msg := err.Error()
	if cmd != nil {
		msg = strings.TrimPrefix(msg, cmd.Name()+": ")
	}
	var amb *sessions.AmbiguousError
	var stopped interruptedError
	switch {
	case errors.As(err, &stopped):
		fmt.Fprintf(e.stderr, "%s: %s\n", path, msg)
		return stopped.exitStatus()
	case errors.As(err, new(fileError)):
		fmt.Fprintf(e.stderr, "%s: %s\n", path, msg)
		return ExitUsage
	case errors.As(err, new(usageError)), errors.As(err, &amb):
		fmt.Fprintf(e.stderr, "%s: %s\nRun '%s --help' for usage.\n", path, msg, path)
		return ExitUsage
	default:
		fmt.Fprintf(e.stderr, "%s: %s\n", path, msg)
		return ExitFailed
	}
}

// newRoot builds the command tree. With no command it opens the TUI, so
// the root takes the ui command's flags.
func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   programName,
		Short: "Design, train, tune and compare neural networks in the terminal",
		Long: "workbench: design, train, tune and compare neural networks in the terminal.\n" +
			"With no command it opens the terminal UI; the commands run the same work headless.",
		Example: examples(
			"workbench                              # open the terminal UI",
			"workbench train --data moons --epochs 50",
			"workbench runs list --sort -val_accuracy",
		),
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          unknownCommand,
	}
	root.SuggestionsMinimumDistance = 2
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetVersionTemplate(versionLine() + "\n")
	root.SetFlagErrorFunc(flagError)
	root.SetUsageTemplate(usageTemplate)
	cobra.AddTemplateFunc("flagUsages", flagUsages)
	root.PersistentFlags().String("db", "", "the session store: a `file`, or a postgres:// URL (default $WORKBENCH_DB, else $XDG_DATA_HOME/workbench/workbench.db)")
	addUIFlags(e, root)
	root.AddCommand(newTrainCmd(e), newRunsCmd(e), newSweepCmd(e), newDatasetsCmd(e), newPredictCmd(e),
		newPlotCmd(e), newBenchCmd(e), newUICmd(e), newVersionCmd(e), newCompletionCmd(e))
	root.AddCommand(newEnsembleCmd(e), newCompressCmd(e), newExplainCmd(e))
	root.AddCommand(newLRFindCmd(e))
	root.AddCommand(newWorkerCmd(e))
	return root
}

// examples indents example lines the way cobra prints them.
func examples(lines ...string) string {
	return "  " + strings.Join(lines, "\n  ")
}

// unknownCommand accepts no arguments: an argument where a subcommand
// belongs is an unknown command, with cobra's suggestions.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if !cmd.HasSubCommands() {
		return usagef("unexpected argument %q", args[0])
	}
	cmd.SuggestionsMinimumDistance = 2
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return usageError{msg}
}

// noArgs rejects positional arguments.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	return nil
}

// exactArgs wants n positional arguments, and says what they are.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{what}
		}
		return nil
	}
}

// minArgs wants at least n positional arguments.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return usageError{what}
		}
		return nil
	}
}

// flagError makes a flag error a usage error, suggesting the nearest flag
// for an unknown one: --epoch gets "did you mean --epochs?".
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		var names []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, f.Name)
			}
		})
		if s := suggest(name, names); s != "" {
			msg += "; did you mean --" + s + "?"
		}
	}
	return usageError{msg}
}
