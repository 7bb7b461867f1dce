//go:build !race

package sessions

// slack scales the timing bounds of the lag tests (see race_on_test.go):
// the promised bound, with room for a machine busy with other test
// binaries.
const slack = 3
