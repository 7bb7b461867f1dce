//go:build race

package sessions

// slack scales the timing bounds of the lag tests: the race detector slows
// everything about tenfold.
const slack = 10
