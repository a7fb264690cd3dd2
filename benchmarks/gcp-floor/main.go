// Command gcp-floor is floor (c) of the load benchmark: go-control-plane as it comes (its
// SnapshotCache and ADS server, state of the world and delta) serving the gateway configuration
// that the load tool wrote out from Sluice's own translation, so the resources are the same.
//
// It speaks the load tool's line protocol (see LoadServer.java): it prints "@@ ready <port>" once
// serving, then answers each command read from standard input with one "@@ ..." line:
//
//	change   set the other snapshot; answers the CLOCK_MONOTONIC nanoseconds (the JVM's nanoTime)
//	         read just before SetSnapshot
//	heap     after two full collections: live heap (HeapAlloc) plus goroutine stacks (StackInuse), bytes
//	watches  watches open in the cache, state of the world and delta
//	cpu      this process's CPU time so far (user and system), nanoseconds
//	quit
//
// Usage: gcp-floor <dir>, where dir holds before.pb and after.pb (see snapshot.go).
package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"github.com/envoyproxy/go-control-plane/pkg/cache/v3"
	"github.com/envoyproxy/go-control-plane/pkg/server/v3"
	"golang.org/x/sys/unix"
	"google.golang.org/grpc"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gcp-floor <dir with before.pb and after.pb>")
		os.Exit(2)
	}
	var snapshots [2]*cache.Snapshot
	for i, name := range []string{"before.pb", "after.pb"} {
		s, err := readSnapshot(filepath.Join(os.Args[1], name))
		check(err)
		snapshots[i] = s
	}
	ctx := context.Background()
	snapshotCache := cache.NewSnapshotCache(true, oneGroup{}, nil)
	check(snapshotCache.SetSnapshot(ctx, group, snapshots[0]))

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	grpcServer := grpc.NewServer()
	discovery.RegisterAggregatedDiscoveryServiceServer(grpcServer, server.NewServer(ctx, snapshotCache, nil))
	go func() { check(grpcServer.Serve(listener)) }()

	reply("ready %d", listener.Addr().(*net.TCPAddr).Port)
	state := 0
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		switch strings.TrimSpace(in.Text()) {
		case "change":
			state = 1 - state
			start := monotonicNanos()
			if err := snapshotCache.SetSnapshot(ctx, group, snapshots[state]); err != nil {
				reply("error %v", err)
				continue
			}
			reply("%d", start)
		case "heap":
			reply("%d", heapAfterGC())
		case "watches":
			reply("%d", watches(snapshotCache))
		case "cpu":
			reply("%d", cpuNanos())
		case "quit":
			grpcServer.Stop()
			reply("bye")
			return
		default:
			reply("error unknown command %q", in.Text())
		}
	}
	grpcServer.Stop()
}

// group is the one snapshot every proxy shares, as Sluice's gateway group and floor (b)'s.
const group = "gateway"

// oneGroup maps every node to the one group.
type oneGroup struct{}

func (oneGroup) ID(*core.Node) string { return group }

func watches(c cache.SnapshotCache) int {
	info := c.GetStatusInfo(group)
	if info == nil {
		return 0
	}
	return info.GetNumWatches() + info.GetNumDeltaWatches()
}

func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.StackInuse
}

func cpuNanos() int64 {
	var u syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &u))
	return u.Utime.Nano() + u.Stime.Nano()
}

// monotonicNanos reads the clock the JVM's System.nanoTime reads on Linux, so that the load tool
// can compare it with its own.
func monotonicNanos() int64 {
	var ts unix.Timespec
	check(unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts))
	return ts.Nano()
}

func reply(format string, args ...any) {
	fmt.Printf("@@ "+format+"\n", args...)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gcp-floor:", err)
		os.Exit(1)
	}
}
