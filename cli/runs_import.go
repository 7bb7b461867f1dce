package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"workbench/numfmt"
	"workbench/sessions"
)

func newRunsImportCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:     "import FILE",
		Short:   "Import runs from a JSON export (- for stdin); again after a failure, it resumes",
		Example: examples("workbench runs import runs.json --db other.db"),
		Args:    exactArgs(1, "import takes one file (- for stdin)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The file first: one that cannot be read makes no store.
			var r io.Reader = e.stdin
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				r = f
			}
			store, created, err := openStoreQuietly(e, cmd)
			if err != nil {
				return err
			}
			// Each run is imported on its own, atomically: after a failure or
			// a kill, importing the same file again skips the runs already
			// there and goes on.
			st, err := sessions.ImportFrom(context.Background(), store, r, nil)
			dropped := created && st.Imported == 0
			switch {
			case dropped:
				dropNewStore(store) // nothing went in: leave no empty store
			case created:
				announceStore(e, store.Path())
				defer store.Close()
			default:
				defer store.Close()
			}
			if dropped {
				fmt.Fprintf(e.stdout, "imported 0 runs; no store made at %s", store.Path())
			} else {
				fmt.Fprintf(e.stdout, "imported %s into %s", numfmt.Count(st.Imported, "run"), store.Path())
			}
			if st.Skipped > 0 {
				fmt.Fprintf(e.stdout, "; %d already there, identical, skipped", st.Skipped)
			}
			if st.Refused > 0 {
				fmt.Fprintf(e.stdout, "; %d refused", st.Refused)
			}
			fmt.Fprintln(e.stdout)
			name := args[0]
			if name == "-" {
				name = "<stdin>"
			}
			if err != nil {
				return importError(name, err)
			}
			if st.Refused == 0 {
				return nil
			}
			lines := []string{fmt.Sprintf("refused %s:", numfmt.Count(st.Refused, "run"))}
			for _, err := range st.Errors {
				lines = append(lines, importError(name, err).Error())
			}
			if st.Refused > len(st.Errors) {
				lines = append(lines, fmt.Sprintf("… and %d more", st.Refused-len(st.Errors)))
			}
			return errors.New(strings.Join(lines, "\n"))
		},
	}
}

// importError names the file of an import's error, and its line and
// column where the error has them, as compilers do: "runs.json:12:5: run
// 1 (ID): status: a number where a string belongs".
func importError(name string, err error) error {
	var ie *sessions.ImportError
	if errors.As(err, &ie) && ie.Line > 0 {
		return fmt.Errorf("%s:%d:%d: %s", name, ie.Line, ie.Col, ie.Detail())
	}
	return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "import: "))
}
