package dev.sluice.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real proxyless gRPC client of one family (grpc-java in this JVM, grpc-go or gRPC C-core in a
 * process of its own), bootstrapped against Sluice as one node, sending {@code sluice.test.Tagged/Who}
 * to one {@code xds:///<host>} target whose routing comes entirely from xDS.
 *
 * <p>Every result is the tag of the backend that answered ({@link TaggedBackend}), or
 * {@code error:<CODE>} with the canonical status name ({@code error:UNAVAILABLE}).
 */
interface XdsClient extends AutoCloseable {
  /** The deadline of each RPC unless a call says otherwise. */
  Duration DEADLINE = Duration.ofSeconds(5);

  /** Which client and version, as the conformance report names it: {@code grpc-go v1.85.0}. */
  String family();

  /** The xDS node id it announces; {@code GET /api/v1/proxies/{nodeId}} shows what it acked. */
  String nodeId();

  /** {@code n} RPCs one after the other, each with this deadline and these headers (gRPC metadata). */
  List<String> calls(int n, Duration deadline, Map<String, String> headers);

  /** {@code n} RPCs started all at once, to reach limits on requests in flight; results in call order. */
  List<String> concurrent(int n, Duration deadline, Map<String, String> headers);

  default List<String> calls(int n, Map<String, String> headers) {
    return calls(n, DEADLINE, headers);
  }

  /** One RPC with these headers. */
  default String call(Map<String, String> headers) {
    return calls(1, headers).get(0);
  }

  /** Stops the client; an external one is asked to quit, and killed if it does not. */
  @Override
  void close();
}
