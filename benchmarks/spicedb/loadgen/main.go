// Command loadgen keeps N canInvite questions in flight against SpiceDB, each one
// CheckBulkPermissions of the four checks in ../schema.zed, and reports throughput and
// latency as one JSON line, in the shape of ../../loadgen (the GraphQL one), so that
// both systems are driven by clients that cost little CPU.
//
//	go run . -target 127.0.0.1:50051 -key KEY -token ZEDTOKEN -questions q.jsonl -c 16 -d 20s
//
// Each line of the questions file is {"inviter", "invitee", "organisation", "allowed"};
// they are asked round-robin, every read at least as fresh as -token, each worker on its
// own connection. An answer counts as an error unless it is the expected one.
// -samples FILE writes every measured latency (ms), one a line.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	"github.com/authzed/authzed-go/v1"
	"github.com/authzed/grpcutil"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

type question struct {
	Inviter      string `json:"inviter"`
	Invitee      string `json:"invitee"`
	Organisation string `json:"organisation"`
	Allowed      bool   `json:"allowed"`
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

func item(resource, id, permission, user string) *v1.CheckBulkPermissionsRequestItem {
	return &v1.CheckBulkPermissionsRequestItem{
		Resource:   &v1.ObjectReference{ObjectType: resource, ObjectId: id},
		Permission: permission,
		Subject:    &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: "user", ObjectId: user}},
	}
}

// ask answers "may the inviter invite the invitee to the organisation?" as
// bench_spicedb.py's spicedb_client.can_invite does.
func ask(client *authzed.Client, token *v1.ZedToken, q question) (bool, error) {
	// "Nobody invites themself" compares two ids, which no relation can say: the caller's.
	if q.Inviter == q.Invitee {
		return false, nil
	}
	reply, err := client.CheckBulkPermissions(context.Background(), &v1.CheckBulkPermissionsRequest{
		Consistency: &v1.Consistency{Requirement: &v1.Consistency_AtLeastAsFresh{AtLeastAsFresh: token}},
		Items: []*v1.CheckBulkPermissionsRequestItem{
			item("organisation", q.Organisation, "invite_manager", q.Inviter),
			item("organisation", q.Organisation, "invitable_colleague", q.Invitee),
			item("organisation", q.Organisation, "invitable_partner", q.Invitee),
			item("user", q.Invitee, "connection", q.Inviter),
		},
	})
	if err != nil {
		return false, err
	}
	found := make([]bool, 0, 4)
	for _, pair := range reply.Pairs {
		answer := pair.GetItem()
		if answer == nil {
			return false, fmt.Errorf("check failed: %v", pair.GetError())
		}
		found = append(found, answer.Permissionship == v1.CheckPermissionResponse_PERMISSIONSHIP_HAS_PERMISSION)
	}
	return found[0] && (found[1] || (found[2] && found[3])), nil
}

func main() {
	target := flag.String("target", "127.0.0.1:50051", "SpiceDB's gRPC address")
	key := flag.String("key", "", "the preshared key")
	token := flag.String("token", "", "the ZedToken every read must be at least as fresh as")
	file := flag.String("questions", "", "JSON lines: {inviter, invitee, organisation, allowed}")
	conns := flag.Int("c", 16, "questions in flight (one connection each)")
	duration := flag.Duration("d", 20*time.Second, "measured time")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured time first")
	keep := flag.String("samples", "", "write every measured latency (ms) here, one a line")
	flag.Parse()

	questions, err := read(*file)
	if err != nil || len(questions) == 0 {
		fmt.Fprintln(os.Stderr, "loadgen: no questions:", err)
		os.Exit(2)
	}
	clients := make([]*authzed.Client, *conns)
	for i := range clients {
		// Plain text with the key as bearer token: SpiceDB runs on this machine's loopback.
		clients[i], err = authzed.NewClient(*target,
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpcutil.WithInsecureBearerToken(*key))
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(2)
		}
	}
	fresh := &v1.ZedToken{Token: *token}

	var next atomic.Int64
	run := func(until time.Time, record bool) ([]float64, int) {
		var mu sync.Mutex
		var all []float64
		errors := 0
		var wg sync.WaitGroup
		for _, client := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []float64
				failed := 0
				for time.Now().Before(until) {
					q := questions[int(next.Add(1))%len(questions)]
					began := time.Now()
					allowed, err := ask(client, fresh, q)
					took := float64(time.Since(began).Microseconds()) / 1000
					if record {
						mine = append(mine, took)
						if err != nil || allowed != q.Allowed {
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
	sort.Float64s(samples)
	if *keep != "" {
		if err := write(*keep, samples); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(2)
		}
	}
	out := result{Requests: len(samples), PerSecond: float64(len(samples)) / elapsed, Errors: errors}
	if len(samples) > 0 {
		sum := 0.0
		for _, s := range samples {
			sum += s
		}
		out.Mean = sum / float64(len(samples))
		out.P50 = at(samples, 0.50)
		out.P95 = at(samples, 0.95)
		out.P99 = at(samples, 0.99)
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}

func at(sorted []float64, q float64) float64 {
	return sorted[int(q*float64(len(sorted)-1))]
}

func read(path string) ([]question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []question
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		var q question
		if err := json.Unmarshal(scanner.Bytes(), &q); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, scanner.Err()
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
