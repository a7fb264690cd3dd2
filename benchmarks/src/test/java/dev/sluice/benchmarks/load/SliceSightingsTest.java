package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The slice churn's bookkeeping: states never repeat, and proxies' endpoints are matched by content. */
class SliceSightingsTest {

  @Test
  void everyStateOfASlice_isNewAndHoldsAnAddress() {
    SliceWorkload w = new SliceWorkload(3);
    Map<String, Set<String>> states = new LinkedHashMap<>();
    for (int s = 0; s < w.sliceCount(); s++) {
      SliceWorkload.Change c = w.current(s);
      states.computeIfAbsent(c.cluster(), k -> new HashSet<>()).add(c.key());
    }
    for (int k = 0; k < 60 * w.sliceCount(); k++) {
      SliceWorkload.Change c = w.next();
      assertThat(c.key()).isNotEmpty();
      assertThat(c.key().split(",")).hasSizeGreaterThanOrEqualTo(SliceWorkload.ENDPOINTS - 1);
      assertThat(states.get(c.cluster()).add(c.key())).as("state %s of %s repeats", c.key(), c.cluster()).isTrue();
    }
  }

  @Test
  void changesAlternate_unreadyThenReadyAtANewAddress_slicesInTurn() {
    SliceWorkload w = new SliceWorkload(2);
    String before = w.current(0).key();
    SliceWorkload.Change down = w.next();
    assertThat(down.slice()).isZero();
    assertThat(down.ready()).isFalse();
    assertThat(before.split(",")).hasSize(3).contains(down.key().split(","));
    for (int s = 1; s < w.sliceCount(); s++) {
      assertThat(w.next().slice()).isEqualTo(s);
    }
    SliceWorkload.Change up = w.next();
    assertThat(up.slice()).isZero();
    assertThat(up.ready()).isTrue();
    assertThat(up.key().split(",")).hasSize(3).contains(down.key().split(","));
  }

  @Test
  void aProxyReachesEveryFoldedChange_whenItsEndpointsNameALaterState() {
    SliceWorkload w = new SliceWorkload(1);
    SliceSightings seen = new SliceSightings(initial(w), 4);
    SimulatedProxy.EndpointObserver proxy = seen.newProxy();
    proxy.endpoints("v0", List.of(assignment(w.current(0)), assignment(w.current(1))), 5);
    assertThat(seen.allHoldEveryCluster()).isTrue();

    List<SliceWorkload.Change> changes = new ArrayList<>();
    for (int k = 0; k < 4; k++) { // slice 0, slice 1, slice 0, slice 1
      SliceWorkload.Change c = w.next();
      seen.expect(c.cluster(), c.key(), k);
      changes.add(c);
    }
    proxy.endpoints("v1", List.of(assignment(changes.get(0))), 100); // change 0 alone
    proxy.endpoints("v1", List.of(assignment(changes.get(0))), 150); // a re-send: nothing new
    proxy.endpoints("v2", List.of(assignment(changes.get(2)), assignment(changes.get(3))), 300); // 1, 2, 3 folded
    assertThat(seen.reached()).isEqualTo(4);
    assertThat(seen.latencies(new long[] {10, 20, 30, 40}, 0)).containsExactly(90, 280, 270, 260);
    assertThat(seen.latencies(new long[] {10, 20, 30, 40}, 2)).containsExactly(270, 260);
    assertThat(seen.missing(0)).isZero();
    assertThat(seen.unmatched()).isZero();
    assertThat(seen.regressions()).isZero();
    assertThat(seen.progressingResponses(0)).isEqualTo(2);
    assertThat(seen.progressingResponses(1)).isEqualTo(1);
  }

  @Test
  void endpointsOfNoRegisteredState_areCountedNotReached() {
    SliceWorkload w = new SliceWorkload(1);
    SliceSightings seen = new SliceSightings(initial(w), 1);
    SimulatedProxy.EndpointObserver proxy = seen.newProxy();
    SliceWorkload.Change c = w.next(); // made, but not registered with expect()
    proxy.endpoints("v1", List.of(assignment(c)), 100);
    assertThat(seen.unmatched()).isEqualTo(1);
    assertThat(seen.reached()).isZero();
    assertThat(seen.missing(0)).isEqualTo(1);
  }

  private static Map<String, String> initial(SliceWorkload w) {
    Map<String, String> initial = new LinkedHashMap<>();
    for (int s = 0; s < w.sliceCount(); s++) {
      initial.put(w.current(s).cluster(), w.current(s).key());
    }
    return initial;
  }

  /** The assignment Sluice would send for this state: its addresses in one locality, in any order. */
  private static Any assignment(SliceWorkload.Change state) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    List<String> ipPorts = new ArrayList<>(List.of(state.key().split(",")));
    java.util.Collections.reverse(ipPorts);
    for (String ipPort : ipPorts) {
      String[] a = ipPort.split(":");
      locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
          .setSocketAddress(SocketAddress.newBuilder().setAddress(a[0]).setPortValue(Integer.parseInt(a[1]))))));
    }
    return Any.pack(ClusterLoadAssignment.newBuilder().setClusterName(state.cluster()).addEndpoints(locality).build());
  }
}
