// Package numfmt formats numbers for people: metric values, losses and
// hyperparameters in tables, progress lines and panels.
//
// Every function is pure, safe for concurrent use, and bounded in width:
// a value never prints wider than 12 characters, whatever it is (NaN, ±Inf,
// 1e300). It is the lowest layer of workbench and imports nothing of it.
package numfmt
