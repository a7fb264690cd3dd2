package dev.sluice.conformance;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

/**
 * This machine's own addresses other than loopback and link-local: the Kubernetes API server refuses
 * loopback addresses in EndpointSlices, so backends that stand in for pods listen on one of these.
 */
final class HostAddresses {
  private HostAddresses() {}

  static Optional<String> ipv4() {
    return find(Inet4Address.class);
  }

  static Optional<String> ipv6() {
    return find(Inet6Address.class);
  }

  private static Optional<String> find(Class<? extends InetAddress> family) {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (family.isInstance(a) && !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()) {
            // RFC 5952 form (fd00::2): the API server takes EndpointSlice addresses in no other.
            return Optional.of(com.google.common.net.InetAddresses.toAddrString(a).replaceAll("%.*", ""));
          }
        }
      }
    } catch (SocketException e) {
      throw new IllegalStateException(e);
    }
    return Optional.empty();
  }
}
