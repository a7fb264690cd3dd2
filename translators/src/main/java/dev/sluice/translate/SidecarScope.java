package dev.sluice.translate;

import dev.sluice.model.NameRules;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a sidecar runs and what it serves: the pod's namespace and service account, and the ports
 * its app serves, which the sidecar's inbound listener takes (the injector captures exactly these).
 * Pods alike in all three share one snapshot.
 *
 * @param namespace the pod's namespace
 * @param serviceAccount the pod's service account: the identity its SVID names, and so which
 *     routes' versions it serves ({@link InboundTls#mode})
 * @param inboundPorts the app's ports, ascending, each once
 */
public record SidecarScope(String namespace, String serviceAccount, List<Integer> inboundPorts) {
  /**
   * @throws IllegalArgumentException naming what is wrong: a namespace that is not a DNS-1123
   *     label, a service account that is not a DNS-1123 subdomain, a port out of range or one the
   *     sidecar keeps for itself ({@link SidecarPorts#RESERVED})
   */
  public SidecarScope {
    if (namespace == null || !NameRules.isDns1123Label(namespace)) {
      throw new IllegalArgumentException("sidecar namespace '" + namespace + "' is not a DNS-1123 label");
    }
    if (serviceAccount == null || !NameRules.isDns1123Subdomain(serviceAccount)) {
      throw new IllegalArgumentException("sidecar service account '" + serviceAccount + "' is not a DNS-1123 subdomain");
    }
    TreeSet<Integer> ports = new TreeSet<>();
    for (Integer port : inboundPorts) {
      if (port == null || port < 1 || port > 65535) {
        throw new IllegalArgumentException("inbound port " + port + " is not from 1 to 65535");
      }
      if (SidecarPorts.RESERVED.contains(port)) {
        throw new IllegalArgumentException("inbound port " + port + " is the sidecar's own ("
            + SidecarPorts.RESERVED + " are reserved)");
      }
      ports.add(port);
    }
    inboundPorts = List.copyOf(ports);
  }

  /** {@code ml/fraud-scorer:8080,9000}: part of the group's key. */
  String key() {
    StringBuilder key = new StringBuilder(namespace).append('/').append(serviceAccount).append(':');
    for (int i = 0; i < inboundPorts.size(); i++) {
      key.append(i == 0 ? "" : ",").append(inboundPorts.get(i));
    }
    return key.toString();
  }
}
