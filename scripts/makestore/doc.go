// Command makestore fills a session store with N runs quickly, for
// benchmarks and scale tests: it trains one real run (digits, 20 epochs)
// and imports N copies of it with fresh IDs, names, dates, datasets and
// metrics, so that sorts and filters have something to do.
//
//	go run ./scripts/makestore -n 10000 -db /tmp/10k.db
package main
