// Package inflight keeps questions in flight against a server from one goroutine per
// connection and reports what a benchmark records: throughput, latency percentiles and
// the answers that were not the expected ones. The GraphQL load generator (this module's
// command) and the SpiceDB one (../../spicedb/loadgen) share it.
package inflight

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Result is the JSON line a run prints.
type Result struct {
	Requests  int     `json:"requests"`
	PerSecond float64 `json:"per_second"`
	Errors    int     `json:"errors"`
	P50       float64 `json:"p50"`
	P95       float64 `json:"p95"`
	P99       float64 `json:"p99"`
	Mean      float64 `json:"mean"`
}

// Ask asks the n-th question (round-robin over all workers) on the worker's own
// connection; false when the answer is not the expected one.
type Ask func(worker, n int) bool

// Drive runs `workers` askers for `warmup` unmeasured, then for `duration` measured;
// with `keep` set, every measured latency (ms) is written there, one a line.
func Drive(workers int, warmup, duration time.Duration, ask Ask, keep string) (Result, error) {
	var next atomic.Int64
	run := func(until time.Time, record bool) ([]float64, int) {
		var mu sync.Mutex
		var all []float64
		errors := 0
		var wg sync.WaitGroup
		for worker := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []float64
				failed := 0
				for time.Now().Before(until) {
					began := time.Now()
					ok := ask(worker, int(next.Add(1)))
					took := float64(time.Since(began).Microseconds()) / 1000
					if record {
						mine = append(mine, took)
						if !ok {
							failed++
						}
					}
				}
				mu.Lock()
				all = append(all, mine...)
				errors += failed
				mu.Unlock()
			}()
		}
		wg.Wait()
		return all, errors
	}
	run(time.Now().Add(warmup), false)
	began := time.Now()
	samples, errors := run(began.Add(duration), true)
	elapsed := time.Since(began).Seconds()
	if keep != "" {
		if err := write(keep, samples); err != nil {
			return Result{}, err
		}
	}
	return summarise(samples, errors, elapsed), nil
}

// Print writes the result as one JSON line on standard output.
func Print(out Result) {
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}

func write(path string, samples []float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(f)
	for _, s := range samples {
		fmt.Fprintf(out, "%.3f\n", s)
	}
	if err := out.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func summarise(samples []float64, errors int, seconds float64) Result {
	out := Result{Requests: len(samples), Errors: errors}
	if len(samples) == 0 {
		return out
	}
	sort.Float64s(samples)
	at := func(p float64) float64 { return samples[int(p*float64(len(samples)-1))] }
	sum := 0.0
	for _, s := range samples {
		sum += s
	}
	out.PerSecond = float64(len(samples)) / seconds
	out.P50, out.P95, out.P99, out.Mean = at(0.50), at(0.95), at(0.99), sum/float64(len(samples))
	return out
}
