package dev.sluice.conformance;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** Reads {@code GET /api/v1/proxies/{node}}: what the control plane saw the proxy ack and reject. */
record ProxyStatus(long streamId, long nacks, Map<String, JsonNode> types) {
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

  /** The newest stream of the node, or null when it is not connected. */
  static ProxyStatus of(ControlPlane cp, String nodeId) {
    ControlPlane.Response r = cp.get("/api/v1/proxies/" + nodeId);
    if (r.status() != 200 || r.body().isEmpty()) {
      return null;
    }
    JsonNode latest = r.body().get(r.body().size() - 1);
    Map<String, JsonNode> types = new HashMap<>();
    latest.get("types").properties().forEach(e -> types.put(e.getKey(), e.getValue()));
    return new ProxyStatus(latest.get("streamId").asLong(), latest.get("nacks").asLong(), types);
  }

  static ProxyStatus await(ControlPlane cp, String nodeId, Predicate<ProxyStatus> condition) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    ProxyStatus last = null;
    while (System.nanoTime() < deadline) {
      last = of(cp, nodeId);
      if (last != null && condition.test(last)) {
        return last;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("proxy " + nodeId + " never reached the expected state; last seen: " + last);
  }

  String acked(String type) {
    JsonNode t = types.get(type);
    return t == null || t.get("ackedVersion") == null || t.get("ackedVersion").isNull() ? null : t.get("ackedVersion").asString();
  }

  long responses(String type) {
    JsonNode t = types.get(type);
    return t == null ? 0 : t.get("responses").asLong();
  }

  boolean hasAckedAll() {
    return acked(CDS) != null && acked(EDS) != null && acked(LDS) != null && acked(RDS) != null;
  }

  /** The last NACK of each type that has one, as {@code EDS: <error_detail>}; empty when none. */
  Map<String, String> lastNacks() {
    Map<String, String> nacks = new java.util.TreeMap<>();
    types.forEach((type, t) -> {
      JsonNode nack = t.get("lastNack");
      if (nack != null && !nack.isNull()) {
        nacks.put(shortName(type), nack.get("errorDetail").asString());
      }
    });
    return nacks;
  }

  private static String shortName(String type) {
    return switch (type) {
      case CDS -> "CDS";
      case EDS -> "EDS";
      case LDS -> "LDS";
      case RDS -> "RDS";
      default -> type;
    };
  }

  Map<String, String> ackedVersions() {
    return Map.of("CDS", String.valueOf(acked(CDS)), "EDS", String.valueOf(acked(EDS)),
        "LDS", String.valueOf(acked(LDS)), "RDS", String.valueOf(acked(RDS)));
  }
}
