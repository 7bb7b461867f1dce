package cli

import (
	"github.com/spf13/cobra"
)

func newCompletionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script (bash, zsh, fish or powershell)",
		Long: "Print a shell completion script. It completes commands, flags, run and sweep IDs\n" +
			"and dataset names (--data <TAB>), asking workbench itself for the candidates.",
		Example: examples(
			"source <(workbench completion bash)",
			"workbench completion zsh > \"${fpath[1]}/_workbench\"",
			"workbench completion fish > ~/.config/fish/completions/workbench.fish",
			"workbench completion powershell | Out-String | Invoke-Expression",
		),
		ValidArgs: []cobra.Completion{"bash", "zsh", "fish", "powershell"},
		Args:      exactArgs(1, "name a shell: bash, zsh, fish or powershell"),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(e.stdout, true)
			case "zsh":
				return root.GenZshCompletion(e.stdout)
			case "fish":
				return root.GenFishCompletion(e.stdout, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(e.stdout)
			}
			return usagef("unknown shell %q (bash, zsh, fish or powershell)", args[0])
		},
	}
}
