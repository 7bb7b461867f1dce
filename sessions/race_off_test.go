//go:build !race

package sessions

// slack scales the timing bounds of the lag tests (see race_on_test.go).
const slack = 1
