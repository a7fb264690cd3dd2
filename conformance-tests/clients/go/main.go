// Command xdsclient is the grpc-go peer of Sluice's conformance tests: a real grpc-go xDS client
// (the xds resolver and balancers registered by importing google.golang.org/grpc/xds) driven by a
// line protocol on stdin, so the Java tests can send it traffic as they do their in-JVM
// grpc-java client.
//
// Usage: xdsclient xds:///<host>, with the xDS bootstrap (JSON text) in GRPC_XDS_BOOTSTRAP_CONFIG.
//
// Protocol: one request line in, exactly one response line out, flushed.
//
//	call <n> <deadlineMillis> [key=value ...]   n sequential unary RPCs to /sluice.test.Tagged/Who,
//	                                            each with that deadline and that request metadata;
//	                                            answers the n results space-separated, each the
//	                                            backend's reply or error:<CODE> (UNAVAILABLE, ...)
//	concurrent <n> <deadlineMillis> [key=value ...]
//	                                            the same n RPCs all started at once (to reach
//	                                            limits on requests in flight); results in call order
//	quit                                        exits 0
//
// "ready" is printed once the channel exists (it connects lazily, on the first RPC). Nothing else
// goes to stdout; logs go to stderr.
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	_ "google.golang.org/grpc/xds" // registers the xds:/// resolver and the xDS balancers
)

const method = "/sluice.test.Tagged/Who"

// rawCodec passes []byte through untouched. It is named "proto" so the content type stays
// application/grpc, which any gRPC server accepts, while the payload is plain UTF-8.
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) ([]byte, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: cannot marshal %T", v)
	}
	return *b, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec: cannot unmarshal into %T", v)
	}
	*b = append((*b)[:0], data...)
	return nil
}

// canonical are the status codes' canonical names, as every gRPC language spells them
// (grpc-go's codes.Code.String() uses CamelCase instead).
var canonical = []string{
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
	"ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
	"OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
}

func codeName(err error) string {
	c := int(status.Code(err))
	if c >= 0 && c < len(canonical) {
		return canonical[c]
	}
	return "CODE_" + strconv.Itoa(c)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: xdsclient xds:///<host>")
		os.Exit(2)
	}
	conn, err := grpc.NewClient(os.Args[1], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintf(os.Stderr, "xdsclient: cannot create the channel to %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	defer conn.Close()

	out := bufio.NewWriter(os.Stdout)
	answer := func(line string) {
		out.WriteString(line)
		out.WriteByte('\n')
		out.Flush()
	}
	answer("ready")

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024), 1024*1024)
	for in.Scan() {
		fields := strings.Fields(in.Text())
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "quit":
			return
		case "call", "concurrent":
			line, err := calls(conn, fields[1:], fields[0] == "concurrent")
			if err != nil {
				fmt.Fprintf(os.Stderr, "xdsclient: %v\n", err)
				answer("bad-request " + err.Error())
				continue
			}
			answer(line)
		default:
			fmt.Fprintf(os.Stderr, "xdsclient: unknown command %q\n", fields[0])
			answer("bad-request unknown command " + fields[0])
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "xdsclient: reading stdin: %v\n", err)
		os.Exit(1)
	}
}

// calls runs "call|concurrent <n> <deadlineMillis> [key=value ...]" and returns its answer line.
func calls(conn *grpc.ClientConn, args []string, concurrent bool) (string, error) {
	if len(args) < 2 {
		return "", fmt.Errorf("call needs <n> <deadlineMillis>")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 {
		return "", fmt.Errorf("bad call count %q", args[0])
	}
	millis, err := strconv.Atoi(args[1])
	if err != nil || millis < 1 {
		return "", fmt.Errorf("bad deadline %q", args[1])
	}
	var pairs []string
	for _, kv := range args[2:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return "", fmt.Errorf("bad metadata %q, want key=value", kv)
		}
		pairs = append(pairs, strings.ToLower(k), v)
	}
	deadline := time.Duration(millis) * time.Millisecond
	results := make([]string, n)
	if concurrent {
		var wg sync.WaitGroup
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = one(conn, deadline, pairs)
			}()
		}
		wg.Wait()
	} else {
		for i := range results {
			results[i] = one(conn, deadline, pairs)
		}
	}
	return strings.Join(results, " "), nil
}

func one(conn *grpc.ClientConn, deadline time.Duration, pairs []string) string {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	if len(pairs) > 0 {
		ctx = metadata.AppendToOutgoingContext(ctx, pairs...)
	}
	req := []byte("who")
	var resp []byte
	if err := conn.Invoke(ctx, method, &req, &resp, grpc.ForceCodec(rawCodec{})); err != nil {
		return "error:" + codeName(err)
	}
	return string(resp)
}
