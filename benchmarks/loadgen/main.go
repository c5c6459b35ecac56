// Command loadgen keeps N HTTP requests in flight against a GraphQL endpoint and
// reports throughput and latency as one JSON line. It costs the client little CPU,
// so that on a small machine the server, not the client, is what gets measured.
//
//	go run . -url http://127.0.0.1:8000/graphql -requests asks.jsonl -c 16 -d 30s
//
// Each line of the requests file is {"body": "<JSON body>", "token": "<bearer>"} and
// may name an "expect"ed text; the lines are sent round-robin. A reply counts as an
// error unless it is a 200 whose body has no "errors" member and holds the expected
// text. -samples FILE writes every measured latency (ms), one a line.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type request struct {
	Body   string `json:"body"`
	Token  string `json:"token"`
	Expect string `json:"expect"`
}

type result struct {
	Requests  int     `json:"requests"`
	PerSecond float64 `json:"per_second"`
	Errors    int     `json:"errors"`
	P50       float64 `json:"p50"`
	P95       float64 `json:"p95"`
	P99       float64 `json:"p99"`
	Mean      float64 `json:"mean"`
}

func main() {
	url := flag.String("url", "http://127.0.0.1:8000/graphql", "GraphQL endpoint")
	file := flag.String("requests", "", "JSON lines: {\"body\": ..., \"token\": ...}")
	conns := flag.Int("c", 16, "requests in flight (one kept-alive connection each)")
	duration := flag.Duration("d", 30*time.Second, "measured time")
	warmup := flag.Duration("warmup", 5*time.Second, "unmeasured time first")
	keep := flag.String("samples", "", "write every measured latency (ms) here, one a line")
	flag.Parse()

	asks, err := read(*file)
	if err != nil || len(asks) == 0 {
		fmt.Fprintln(os.Stderr, "loadgen: no requests:", err)
		os.Exit(2)
	}
	transport := &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	var next atomic.Int64
	run := func(until time.Time, record bool) ([]float64, int) {
		var mu sync.Mutex
		var all []float64
		errors := 0
		var wg sync.WaitGroup
		for range *conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []float64
				failed := 0
				for time.Now().Before(until) {
					ask := asks[int(next.Add(1))%len(asks)]
					began := time.Now()
					ok := send(client, *url, ask)
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
	run(time.Now().Add(*warmup), false)
	began := time.Now()
	samples, errors := run(began.Add(*duration), true)
	elapsed := time.Since(began).Seconds()
	if *keep != "" {
		if err := write(*keep, samples); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(2)
		}
	}
	out := summarise(samples, errors, elapsed)
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}

func read(path string) ([]request, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var asks []request
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		var r request
		if err := json.Unmarshal(scanner.Bytes(), &r); err != nil {
			return nil, err
		}
		asks = append(asks, r)
	}
	return asks, scanner.Err()
}

func send(client *http.Client, url string, ask request) bool {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(ask.Body))
	if err != nil {
		return false
	}
	req.Header.Set("content-type", "application/json")
	if ask.Token != "" {
		req.Header.Set("authorization", "Bearer "+ask.Token)
	}
	reply, err := client.Do(req)
	if err != nil {
		return false
	}
	body, err := io.ReadAll(reply.Body)
	reply.Body.Close()
	return err == nil && reply.StatusCode == http.StatusOK && !bytes.Contains(body, []byte(`"errors"`)) &&
		bytes.Contains(body, []byte(ask.Expect))
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

func summarise(samples []float64, errors int, seconds float64) result {
	out := result{Requests: len(samples), Errors: errors}
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
