// Command workbench is a keyboard-driven terminal workbench for designing,
// training, tuning and comparing neural networks. With no arguments it
// opens the TUI; its subcommands run the same work headless. The command
// line lives in package cli.
package main

import (
	"os"

	"workbench/cli"
)

func main() {
	os.Exit(cli.Execute())
}
