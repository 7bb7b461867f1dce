// Command workbench is a keyboard-driven terminal workbench for designing,
// training, tuning and comparing neural networks. With no arguments it
// opens the TUI; its subcommands run the same work headless.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
