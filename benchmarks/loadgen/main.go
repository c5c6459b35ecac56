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
	"time"

	"graph_engine/benchmarks/loadgen/inflight"
)

type request struct {
	Body   string `json:"body"`
	Token  string `json:"token"`
	Expect string `json:"expect"`
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

	ask := func(_, n int) bool { return send(client, *url, asks[n%len(asks)]) }
	out, err := inflight.Drive(*conns, *warmup, *duration, ask, *keep)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	inflight.Print(out)
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
