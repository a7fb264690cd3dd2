package dev.sluice.controlplane.xds;

import com.google.protobuf.Value;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.ProxyRole;
import dev.sluice.translate.SidecarScope;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The snapshot group of a proxy, from its node: {@code metadata["sluice.role"]} and, for gateways,
 * {@code metadata["sluice.listener_port"]}; for sidecars, {@code sluice.namespace},
 * {@code sluice.service_account} and {@code sluice.inbound_ports} (the app's ports, comma-separated,
 * as the injector writes them). A node that names no role is a gateway, except gRPC clients
 * (recognised by their user agent), which are proxyless.
 */
public final class ProxyGroups implements NodeGroup<ProxyGroup> {
  public static final String ROLE = "sluice.role";
  public static final String LISTENER_PORT = "sluice.listener_port";
  /** The namespace a proxy says it runs in; checked against its proven identity on the secure port. */
  public static final String NAMESPACE = "sluice.namespace";
  /** A sidecar's service account; checked against its proven identity on the secure port. */
  public static final String SERVICE_ACCOUNT = "sluice.service_account";
  /** A sidecar's app ports, comma-separated: what its inbound listener takes. */
  public static final String INBOUND_PORTS = "sluice.inbound_ports";

  /** The group, or a message naming the metadata field that is wrong. */
  record Resolution(ProxyGroup group, String error) {}

  @Override
  public ProxyGroup hash(Node node) {
    Resolution r = resolve(node);
    // Streams with a bad node are closed before they reach the cache (StreamRegistry); this
    // fallback only keeps hash() total.
    return r.group() != null ? r.group() : ProxyGroup.DEFAULT_GATEWAY;
  }

  static Resolution resolve(Node node) {
    var fields = node.getMetadata().getFieldsMap();
    Optional<String> roleName = string(fields.get(ROLE));
    ProxyRole role;
    if (roleName.isPresent()) {
      Optional<ProxyRole> parsed = ProxyRole.fromWireName(roleName.get());
      if (parsed.isEmpty()) {
        return new Resolution(null, "node.metadata[\"" + ROLE + "\"] '" + roleName.get()
            + "' is not a role; use gateway, sidecar or proxyless");
      }
      role = parsed.get();
    } else {
      role = node.getUserAgentName().startsWith("gRPC") ? ProxyRole.PROXYLESS : ProxyRole.GATEWAY;
    }
    if (role == ProxyRole.SIDECAR) {
      return sidecar(fields);
    }
    if (role != ProxyRole.GATEWAY) {
      return new Resolution(ProxyGroup.PROXYLESS, null);
    }
    Value port = fields.get(LISTENER_PORT);
    if (port == null) {
      return new Resolution(ProxyGroup.DEFAULT_GATEWAY, null);
    }
    Integer p = switch (port.getKindCase()) {
      case NUMBER_VALUE -> port.getNumberValue() == Math.rint(port.getNumberValue()) ? (int) port.getNumberValue() : null;
      case STRING_VALUE -> port.getStringValue().matches("\\d{1,5}") ? Integer.parseInt(port.getStringValue()) : null;
      default -> null;
    };
    if (p == null || p < 1 || p > 65535) {
      return new Resolution(null, "node.metadata[\"" + LISTENER_PORT + "\"] must be a port from 1 to 65535");
    }
    return new Resolution(ProxyGroup.gateway(p), null);
  }

  private static Resolution sidecar(java.util.Map<String, Value> fields) {
    Optional<String> namespace = string(fields.get(NAMESPACE));
    Optional<String> serviceAccount = string(fields.get(SERVICE_ACCOUNT));
    Optional<String> ports = string(fields.get(INBOUND_PORTS));
    if (namespace.isEmpty() || serviceAccount.isEmpty() || ports.isEmpty()) {
      return new Resolution(null, "a sidecar's node.metadata must name \"" + NAMESPACE + "\", \""
          + SERVICE_ACCOUNT + "\" and \"" + INBOUND_PORTS + "\" (strings; the ports comma-separated, may be empty)");
    }
    List<Integer> inbound = new ArrayList<>();
    for (String p : ports.get().split(",", -1)) {
      if (ports.get().isEmpty()) {
        break;
      }
      if (!p.strip().matches("\\d{1,5}")) {
        return new Resolution(null, "node.metadata[\"" + INBOUND_PORTS + "\"] '" + ports.get()
            + "' must list ports from 1 to 65535, comma-separated");
      }
      inbound.add(Integer.parseInt(p.strip()));
    }
    try {
      return new Resolution(ProxyGroup.sidecar(new SidecarScope(namespace.get(), serviceAccount.get(), inbound)), null);
    } catch (IllegalArgumentException e) {
      return new Resolution(null, "node.metadata of a sidecar: " + e.getMessage());
    }
  }

  private static Optional<String> string(Value v) {
    return v != null && v.getKindCase() == Value.KindCase.STRING_VALUE ? Optional.of(v.getStringValue()) : Optional.empty();
  }
}
