package dev.sluice.benchmarks.load;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.sluice.translate.ContentVersion;
import dev.sluice.translate.XdsResources;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Floor (a): the least any ADS server can do. Every response is serialized once, before any proxy
 * connects; a subscription is answered with its type's bytes, a change is one write of the same
 * bytes to every open stream, and ACKs are read and dropped. Same resources as Sluice sends.
 */
final class RawFloor implements LoadServer.Target {
  private final Server server;
  private final Set<Out> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, byte[]> sotw = new HashMap<>();
  private final Map<String, byte[]> delta = new HashMap<>();
  private final byte[][] sotwRoutes = new byte[2][];
  private final byte[][] deltaRoutes = new byte[2][];
  private final byte[][] deltaChanges = new byte[2][];
  private int state;

  /** One stream's sending side; gRPC observers are not safe for concurrent use. */
  private record Out(StreamObserver<byte[]> observer, boolean delta) {
    synchronized void send(byte[] bytes) {
      observer.onNext(bytes);
    }
  }

  private RawFloor(FloorConfig config) throws IOException {
    for (String type : FloorConfig.TYPES) {
      sotw.put(type, sotw(config.before(), type));
      delta.put(type, delta(config.before(), type, null));
    }
    sotwRoutes[0] = sotw.get(SimulatedProxy.RDS);
    sotwRoutes[1] = sotw(config.after(), SimulatedProxy.RDS);
    deltaRoutes[0] = delta.get(SimulatedProxy.RDS);
    deltaRoutes[1] = delta(config.after(), SimulatedProxy.RDS, null);
    deltaChanges[0] = delta(config.before(), SimulatedProxy.RDS, config.after());
    deltaChanges[1] = delta(config.after(), SimulatedProxy.RDS, config.before());
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service()).build().start();
  }

  static RawFloor start(Workload workload) throws IOException {
    return new RawFloor(FloorConfig.of(workload));
  }

  private static byte[] sotw(XdsResources state, String type) {
    DiscoveryResponse.Builder r = DiscoveryResponse.newBuilder().setTypeUrl(type).setNonce("floor")
        .setVersionInfo(ContentVersion.of(FloorConfig.byName(state, type).values()));
    FloorConfig.byName(state, type).values().forEach(m -> r.addResources(Any.pack(m)));
    return r.build().toByteArray();
  }

  /** All of a state's resources of a type or, given the state before, those that differ from it. */
  private static byte[] delta(XdsResources state, String type, XdsResources before) {
    Map<String, Message> was = before == null ? Map.of() : FloorConfig.byName(before, type);
    DeltaDiscoveryResponse.Builder r = DeltaDiscoveryResponse.newBuilder().setTypeUrl(type).setNonce("floor")
        .setSystemVersionInfo(ContentVersion.of(FloorConfig.byName(state, type).values()));
    FloorConfig.byName(state, type).forEach((name, m) -> {
      if (!Objects.equals(was.get(name), m)) {
        r.addResources(Resource.newBuilder().setName(name).setVersion(ContentVersion.of(List.of(m)))
            .setResource(Any.pack(m)));
      }
    });
    return r.build().toByteArray();
  }

  private ServerServiceDefinition service() {
    var sotwMethod = AggregatedDiscoveryServiceGrpc.getStreamAggregatedResourcesMethod();
    var deltaMethod = AggregatedDiscoveryServiceGrpc.getDeltaAggregatedResourcesMethod();
    return ServerServiceDefinition.builder(AggregatedDiscoveryServiceGrpc.SERVICE_NAME)
        .addMethod(MethodDescriptor.<DiscoveryRequest, byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING).setFullMethodName(sotwMethod.getFullMethodName())
                .setRequestMarshaller(ProtoUtils.marshaller(DiscoveryRequest.getDefaultInstance()))
                .setResponseMarshaller(BYTES).build(),
            ServerCalls.asyncBidiStreamingCall(out -> stream(new Out(out, false),
                (DiscoveryRequest r) -> r.getResponseNonce().isEmpty() ? r.getTypeUrl() : null)))
        .addMethod(MethodDescriptor.<DeltaDiscoveryRequest, byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING).setFullMethodName(deltaMethod.getFullMethodName())
                .setRequestMarshaller(ProtoUtils.marshaller(DeltaDiscoveryRequest.getDefaultInstance()))
                .setResponseMarshaller(BYTES).build(),
            ServerCalls.asyncBidiStreamingCall(out -> stream(new Out(out, true),
                (DeltaDiscoveryRequest r) -> r.getResponseNonce().isEmpty() ? r.getTypeUrl() : null)))
        .build();
  }

  /** A stream: each subscription (a request without a nonce) gets its type's bytes; ACKs are dropped. */
  private <Q> StreamObserver<Q> stream(Out out, Function<Q, String> subscribes) {
    streams.add(out);
    return new StreamObserver<>() {
      @Override
      public void onNext(Q request) {
        String type = subscribes.apply(request);
        if (type != null) {
          out.send(current(out.delta(), type));
        }
      }

      @Override
      public void onError(Throwable t) {
        streams.remove(out);
      }

      @Override
      public void onCompleted() {
        streams.remove(out);
        out.observer().onCompleted();
      }
    };
  }

  private synchronized byte[] current(boolean isDelta, String type) {
    if (type.equals(SimulatedProxy.RDS)) {
      return isDelta ? deltaRoutes[state] : sotwRoutes[state];
    }
    return (isDelta ? delta : sotw).get(type);
  }

  @Override
  public int xdsPort() {
    return server.getPort();
  }

  @Override
  public long change() {
    byte[] sotwBytes;
    byte[] deltaBytes;
    synchronized (this) {
      state = 1 - state;
      sotwBytes = sotwRoutes[state];
      deltaBytes = deltaChanges[state];
    }
    long start = System.nanoTime();
    for (Out out : streams) {
      out.send(out.delta() ? deltaBytes : sotwBytes);
    }
    return start;
  }

  @Override
  public long watches() {
    return streams.size();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  /** Responses are bytes already; gRPC writes them as they are. */
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new Known(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private static final class Known extends ByteArrayInputStream implements KnownLength {
    Known(byte[] bytes) {
      super(bytes);
    }
  }
}
