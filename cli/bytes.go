package cli

import (
	"fmt"
	"strconv"
	"strings"
)

// parseBytes reads a memory size such as 512MiB, 8GiB, 2GB or 1048576;
// "" means 0 (the default limit) and "off" means no limit (-1).
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return 0, nil
	case "off", "none", "-1":
		return -1, nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}}
	num, mult := strings.ToLower(s), 1.0
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	// Below one byte would round to 0, the default; NaN fails both bounds.
	if err != nil || !(v*mult >= 1 && v*mult <= 1<<62) {
		return 0, fmt.Errorf("%q is not a memory size such as 512MiB or 8GiB", s)
	}
	return int64(v * mult), nil
}
