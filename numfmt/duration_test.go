package numfmt

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{-time.Second, "0s"},
		{7, "7ns"},
		{264137 * time.Nanosecond, "264µs"},
		{669839 * time.Nanosecond, "670µs"},
		{999999 * time.Nanosecond, "1ms"},
		{6321987 * time.Nanosecond, "6.32ms"},
		{8 * time.Millisecond, "8ms"},
		{41234567 * time.Nanosecond, "41.2ms"},
		{4051234567 * time.Nanosecond, "4.05s"},
		{59990 * time.Millisecond, "1m0s"},
		{75300 * time.Millisecond, "1m15s"},
		{3*time.Hour + 2*time.Minute + 500*time.Millisecond, "3h2m1s"},
		{99*time.Hour + 59*time.Minute, "99h59m0s"},
		{99999*time.Hour + 31*time.Minute, "100000h"},
		{time.Duration(1<<63 - 1), "2562047h"},
	} {
		if got := Duration(c.d); got != c.want {
			t.Errorf("Duration(%d) = %q, want %q", c.d, got, c.want)
		}
		if len(Duration(c.d)) > Width {
			t.Errorf("Duration(%d) is wider than %d", c.d, Width)
		}
	}
}
