package numfmt

import (
	"strconv"
	"time"
)

// Duration formats a run's wall time for people with three significant
// digits, as Rate does: 264µs, 6.32ms, 41.2ms, 4.05s; a minute or more
// to the second (2m3s), and from 100 hours in whole hours. A run of
// 0.26ms read "0s" when rounded to the millisecond, and one of 8ms "10ms"
// when rounded to 10ms. Zero or less is "0s". It never returns more than
// Width characters.
func Duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d >= 100*time.Hour: // whole hours: 2562047h47m16s is too wide
		return strconv.FormatInt(int64(d.Round(time.Hour)/time.Hour), 10) + "h"
	case d >= time.Minute:
		return d.Round(time.Second).String()
	}
	// The unit of the third significant digit: 1ns below 1µs … 10ms below
	// a minute.
	unit := time.Duration(1)
	for v := d; v >= 1000; v /= 10 {
		unit *= 10
	}
	return d.Round(unit).String()
}
