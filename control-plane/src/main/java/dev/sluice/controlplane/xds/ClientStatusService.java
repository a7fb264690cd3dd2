package dev.sluice.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.admin.v3.ClientResourceStatus;
import io.envoyproxy.envoy.admin.v3.UpdateFailureState;
import io.envoyproxy.envoy.service.status.v3.ClientConfig;
import io.envoyproxy.envoy.service.status.v3.ClientStatusDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.status.v3.ClientStatusRequest;
import io.envoyproxy.envoy.service.status.v3.ClientStatusResponse;
import io.envoyproxy.envoy.type.matcher.v3.NodeMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;

/**
 * Envoy's Client Status Discovery Service ({@code envoy.service.status.v3}), so standard tooling
 * can ask what every proxy runs: per connected stream, its node and, per resource, the version it
 * acked, whether it acked, rejected (with the error) or has not answered yet, and the resource
 * itself when the proxy runs the current version. Served on the plaintext port; secrets never
 * appear. Node matchers: {@code node_id} (exact, prefix, suffix, contains).
 */
final class ClientStatusService extends ClientStatusDiscoveryServiceGrpc.ClientStatusDiscoveryServiceImplBase {

  private final StreamRegistry streams;
  private final SimpleCache<ProxyGroup> cache;

  ClientStatusService(StreamRegistry streams, SimpleCache<ProxyGroup> cache) {
    this.streams = streams;
    this.cache = cache;
  }

  @Override
  public void fetchClientStatus(ClientStatusRequest request, StreamObserver<ClientStatusResponse> responses) {
    try {
      responses.onNext(status(request));
      responses.onCompleted();
    } catch (IllegalArgumentException e) {
      responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public StreamObserver<ClientStatusRequest> streamClientStatus(StreamObserver<ClientStatusResponse> responses) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ClientStatusRequest request) {
        try {
          responses.onNext(status(request));
        } catch (IllegalArgumentException e) {
          responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }

  ClientStatusResponse status(ClientStatusRequest request) {
    for (NodeMatcher m : request.getNodeMatchersList()) {
      if (m.getNodeMetadatasCount() > 0) {
        throw new IllegalArgumentException("node_matchers[].node_metadatas is not supported; match on node_id");
      }
    }
    ClientStatusResponse.Builder out = ClientStatusResponse.newBuilder();
    for (StreamState s : streams.streams()) {
      if (s.node() != null && matches(request.getNodeMatchersList(), s.node().getId())) {
        out.addConfig(config(s, request.getExcludeResourceContents()));
      }
    }
    return out.build();
  }

  private ClientConfig config(StreamState s, boolean excludeContents) {
    ClientConfig.Builder config = ClientConfig.newBuilder().setNode(s.node());
    Snapshot snapshot = cache.getSnapshot(s.group());
    Set<String> sentTypes = s.typesSent();
    for (String type : PublishedEpochs.TYPES) {
      if (!sentTypes.contains(type) || snapshot == null) {
        continue;
      }
      SnapshotResources<?> current = resources(snapshot, type);
      String acked = s.ackedVersion(type);
      String sent = s.sentVersion(type);
      ConnectedProxies.Nack nack = s.lastNack(type);
      ClientResourceStatus status = nack != null && nack.version() != null && nack.version().equals(sent)
          ? ClientResourceStatus.NACKED
          : sent != null && sent.equals(acked) ? ClientResourceStatus.ACKED : ClientResourceStatus.REQUESTED;
      List<String> names = s.requested(type).isEmpty() ? List.copyOf(current.resources().keySet()) : s.requested(type);
      for (String name : names.stream().sorted().toList()) {
        ClientConfig.GenericXdsConfig.Builder entry = ClientConfig.GenericXdsConfig.newBuilder()
            .setTypeUrl(type).setName(name).setVersionInfo(acked == null ? "" : acked);
        Object resource = current.resources().get(name);
        if (resource == null) {
          entry.setClientStatus(ClientResourceStatus.DOES_NOT_EXIST);
        } else {
          entry.setClientStatus(status);
          if (!excludeContents && acked != null && acked.equals(current.version())) {
            entry.setXdsConfig(Any.pack((Message) resource));
          }
        }
        if (status == ClientResourceStatus.NACKED) {
          entry.setErrorState(UpdateFailureState.newBuilder()
              .setDetails(nack.errorDetail())
              .setVersionInfo(nack.version())
              .setLastUpdateAttempt(Timestamp.newBuilder().setSeconds(nack.at().getEpochSecond()).setNanos(nack.at().getNano())));
        }
        config.addGenericXdsConfigs(entry);
      }
    }
    return config.build();
  }

  private static SnapshotResources<?> resources(Snapshot snapshot, String type) {
    return switch (type) {
      case Resources.V3.CLUSTER_TYPE_URL -> snapshot.clusters();
      case Resources.V3.ENDPOINT_TYPE_URL -> snapshot.endpoints();
      case Resources.V3.LISTENER_TYPE_URL -> snapshot.listeners();
      default -> snapshot.routes();
    };
  }

  private static boolean matches(List<NodeMatcher> matchers, String nodeId) {
    if (matchers.isEmpty()) {
      return true;
    }
    for (NodeMatcher m : matchers) {
      if (!m.hasNodeId() || matches(m.getNodeId(), nodeId)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(StringMatcher m, String value) {
    return switch (m.getMatchPatternCase()) {
      case EXACT -> value.equals(m.getExact());
      case PREFIX -> value.startsWith(m.getPrefix());
      case SUFFIX -> value.endsWith(m.getSuffix());
      case CONTAINS -> value.contains(m.getContains());
      default -> throw new IllegalArgumentException("node_matchers[].node_id supports exact, prefix, suffix and contains");
    };
  }
}
