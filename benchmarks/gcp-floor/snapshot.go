package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"github.com/envoyproxy/go-control-plane/pkg/cache/types"
	"github.com/envoyproxy/go-control-plane/pkg/cache/v3"
	"google.golang.org/protobuf/encoding/protodelim"

	// The resource types the snapshots hold, registered for anypb.UnmarshalNew.
	_ "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
)

// readSnapshot reads one state of the configuration: DiscoveryResponses, each preceded by its
// length as a varint (Java's writeDelimitedTo), one per resource type, each with its type's
// version in version_info and its resources packed in order. The snapshot keeps those versions,
// one a type, as Sluice and floor (b) version them, so a change re-sends only the types whose
// content changed. Delta's per-resource versions (go-control-plane's hashes) are computed here,
// before any proxy connects, as floor (b) builds its snapshots up front.
func readSnapshot(path string) (*cache.Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in := bufio.NewReader(f)
	snapshot := &cache.Snapshot{}
	for {
		response := &discovery.DiscoveryResponse{}
		err := protodelim.UnmarshalFrom(in, response)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		kind := cache.GetResponseType(response.GetTypeUrl())
		if kind == types.UnknownType {
			return nil, fmt.Errorf("%s: unknown type %s", path, response.GetTypeUrl())
		}
		items := make([]types.Resource, 0, len(response.GetResources()))
		for _, packed := range response.GetResources() {
			message, err := packed.UnmarshalNew()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			items = append(items, message)
		}
		snapshot.Resources[kind] = cache.NewResources(response.GetVersionInfo(), items)
	}
	return snapshot, snapshot.ConstructVersionMap()
}
