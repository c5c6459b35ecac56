// Command loadgen keeps N canInvite questions in flight against SpiceDB, each one
// CheckBulkPermissions of the four checks in ../schema.zed, and reports throughput and
// latency as one JSON line with ../../loadgen's driver (package inflight, shared with the
// GraphQL load generator), so that both systems are driven by clients that cost little CPU.
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
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	"github.com/authzed/authzed-go/v1"
	"github.com/authzed/grpcutil"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"graph_engine/benchmarks/loadgen/inflight"
)

type question struct {
	Inviter      string `json:"inviter"`
	Invitee      string `json:"invitee"`
	Organisation string `json:"organisation"`
	Allowed      bool   `json:"allowed"`
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

	asking := func(worker, n int) bool {
		q := questions[n%len(questions)]
		allowed, err := ask(clients[worker], fresh, q)
		return err == nil && allowed == q.Allowed
	}
	out, err := inflight.Drive(*conns, *warmup, *duration, asking, *keep)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	inflight.Print(out)
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
