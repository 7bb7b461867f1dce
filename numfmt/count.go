package numfmt

import "strconv"

// Count returns n and the noun, plural unless n is 1: "1 run", "0 runs",
// "3 trials". The noun takes an s; "run(s)" and "1 trials" read as
// unfinished.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
