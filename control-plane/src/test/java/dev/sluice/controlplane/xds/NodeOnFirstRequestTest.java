package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.translate.ContentVersion;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.XdsResources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Envoy's delta stream and grpc-js send the node only on a stream's first request. A later request
 * without it must still be served from the stream's own group, not from whatever group an empty
 * node falls into.
 */
class NodeOnFirstRequestTest {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  static final ProxyGroup GATEWAY_10001 = ProxyGroup.gateway(10001);

  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    SimpleCache<ProxyGroup> cache = new SimpleCache<>(new ProxyGroups());
    ModelRoute route = ModelRoute.of(Metadata.of("ml", "m"), new ModelRouteSpec(List.of("m.ml"), 80, null,
        List.of(new ModelVersion("v1", 100, List.of("10.0.0.1:80"))), null, null));
    for (ProxyGroup group : List.of(ProxyGroup.DEFAULT_GATEWAY, GATEWAY_10001)) {
      XdsResources r = EnvoyTranslator.translate(List.of(route), group).resources();
      cache.setSnapshot(group, Snapshot.create(r.clusters(), ContentVersion.of(r.clusters()), r.endpoints(),
          ContentVersion.of(r.endpoints()), r.listeners(), ContentVersion.of(r.listeners()), r.routes(),
          ContentVersion.of(r.routes()), List.of(), "0"));
    }
    StreamRegistry streams = new StreamRegistry(Clock.systemUTC(), g -> {});
    GuardedDiscoveryServer discovery = new GuardedDiscoveryServer(streams, new GuardedConfigWatcher(cache));
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(discovery.getAggregatedDiscoveryServiceImpl()).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  static Node gatewayNode() {
    return Node.newBuilder().setId("envoy-1").setMetadata(Struct.newBuilder()
        .putFields("sluice.role", Value.newBuilder().setStringValue("gateway").build())
        .putFields("sluice.listener_port", Value.newBuilder().setStringValue("10001").build())).build();
  }

  @Test
  void stateOfTheWorld_requestWithoutNode_isServedFromTheStreamsGroup() throws Exception {
    BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(collect(responses));

    requests.onNext(DiscoveryRequest.newBuilder().setNode(gatewayNode()).setTypeUrl(LDS).build());
    DiscoveryResponse lds = responses.poll(5, TimeUnit.SECONDS);
    assertThat(lds).isNotNull();
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS)
        .setVersionInfo(lds.getVersionInfo()).setResponseNonce(lds.getNonce()).build());
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(RDS).addResourceNames("gateway|10001").build());

    DiscoveryResponse rds = responses.poll(5, TimeUnit.SECONDS);
    assertThat(rds).as("no RDS response: the request was served from another group").isNotNull();
    assertThat(rds.getResources(0).unpack(RouteConfiguration.class).getName()).isEqualTo("gateway|10001");
    requests.onCompleted();
  }

  @Test
  void delta_requestWithoutNode_isServedFromTheStreamsGroup() throws Exception {
    BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
    StreamObserver<DeltaDiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .deltaAggregatedResources(collect(responses));

    requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(gatewayNode()).setTypeUrl(LDS).build());
    DeltaDiscoveryResponse lds = responses.poll(5, TimeUnit.SECONDS);
    assertThat(lds).isNotNull();
    assertThat(lds.getResources(0).getName()).isEqualTo("gateway|10001");
    requests.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(LDS).setResponseNonce(lds.getNonce()).build());
    requests.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(RDS).addResourceNamesSubscribe("gateway|10001").build());

    DeltaDiscoveryResponse rds = responses.poll(5, TimeUnit.SECONDS);
    assertThat(rds).as("no RDS response: the request was served from another group").isNotNull();
    assertThat(rds.getResources(0).getName()).isEqualTo("gateway|10001");
    requests.onCompleted();
  }

  @Test
  void requestNamingAnotherNode_closesTheStream() throws Exception {
    BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(new StreamObserver<>() {
          @Override public void onNext(DiscoveryResponse r) { responses.add(r); }
          @Override public void onError(Throwable t) { errors.add(t); }
          @Override public void onCompleted() {}
        });

    requests.onNext(DiscoveryRequest.newBuilder().setNode(gatewayNode()).setTypeUrl(LDS).build());
    assertThat(responses.poll(5, TimeUnit.SECONDS)).isNotNull();
    requests.onNext(DiscoveryRequest.newBuilder().setNode(gatewayNode().toBuilder().setId("impostor")).setTypeUrl(RDS).build());

    Throwable error = errors.poll(5, TimeUnit.SECONDS);
    assertThat(error).isNotNull();
    assertThat(io.grpc.Status.fromThrowable(error).getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
  }

  static <T> StreamObserver<T> collect(BlockingQueue<T> queue) {
    return new StreamObserver<>() {
      @Override public void onNext(T value) { queue.add(value); }
      @Override public void onError(Throwable t) {}
      @Override public void onCompleted() {}
    };
  }
}
