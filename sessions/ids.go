package sessions

import "fmt"

// MaxIDLen bounds a run or sweep ID.
const MaxIDLen = 64

// ValidID checks that id is safe to use in a file name and on a terminal:
// 1 to MaxIDLen characters from A-Z a-z 0-9 . _ -, not starting with a dot
// or a dash. Runs and sweeps are created and imported only with such IDs.
func ValidID(id string) error {
	if id == "" {
		return fmt.Errorf("empty ID (%w)", ErrInvalid)
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("ID %.20q… is %d characters long, at most %d (%w)", id, len(id), MaxIDLen, ErrInvalid)
	}
	if id[0] == '.' || id[0] == '-' {
		return fmt.Errorf("ID %q starts with %q (%w)", id, id[0], ErrInvalid)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("ID %q has %q at byte %d; IDs use A-Z a-z 0-9 . _ - (%w)", id, c, i, ErrInvalid)
		}
	}
	return nil
}

// ExportFileName is the file the app's export key writes for run id, in
// the current directory; it fails for an ID that ValidID rejects, so no
// ID can name a path elsewhere.
func ExportFileName(id string) (string, error) {
	if err := ValidID(id); err != nil {
		return "", err
	}
	return "workbench-" + id + ".json", nil
}
