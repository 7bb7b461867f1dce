// Package cli is workbench's command line: a cobra command tree whose
// root opens the terminal UI and whose commands (train, runs, sweep,
// datasets, predict, plot, bench, ui, version, completion) run the same
// work headless. Execute runs the process's command line and returns its
// exit status: ExitOK, ExitFailed (including a run that failed or
// diverged) or ExitUsage (a bad command line or an invalid spec).
//
// Shared helpers live in their own files (store.go, output.go, data.go,
// trainprint.go, suggest.go, complete.go); a command file holds one
// command and its subcommands and never calls another command. The flags
// that describe a run are specflags.go. Nothing here is safe for
// concurrent use except where a command says so (sweep trials print under
// a mutex); each command runs once per process.
package cli
