package main

func init() {
	register(&command{
		name:    "ui",
		summary: "Open the terminal UI (the default)",
		usage:   "[--db PATH]",
		run: func(e *env, args []string) error {
			printMainHelp(e.stdout)
			return nil
		},
	})
}
