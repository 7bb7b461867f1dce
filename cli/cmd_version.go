package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// revision returns the VCS revision the binary was built from, if known.
func revision() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return ""
}

// versionLine is what version and --version print.
func versionLine() string {
	if rev := revision(); rev != "" {
		return fmt.Sprintf("workbench %s %s (%s)", version, rev, runtime.Version())
	}
	return fmt.Sprintf("workbench %s (%s)", version, runtime.Version())
}

func newVersionCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "version [--json]",
		Short:   "Print the version",
		Example: examples("workbench version", "workbench version --json"),
		Args:    noArgs,
	}
	jsonOut := cmd.Flags().Bool("json", false, "print JSON")
	cmd.RunE = func(*cobra.Command, []string) error {
		if *jsonOut {
			return writeJSON(e.stdout, map[string]string{"version": version, "revision": revision(), "go": runtime.Version()}, false)
		}
		fmt.Fprintln(e.stdout, versionLine())
		return nil
	}
	return cmd
}
