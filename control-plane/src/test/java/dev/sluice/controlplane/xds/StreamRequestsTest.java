package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream-carrying requests answer for their resource type exactly as java-control-plane's own do. */
class StreamRequestsTest {

  static List<String> typeUrls() {
    List<String> urls = new ArrayList<>(Resources.V3.TYPE_URLS);
    urls.add("type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig"); // a type the cache does not know
    urls.add("");
    return urls;
  }

  @Test
  void bothKindsOfRequest_haveTheLibrarysResourceType() {
    for (String url : typeUrls()) {
      DiscoveryRequest sotw = DiscoveryRequest.newBuilder().setTypeUrl(url).build();
      DeltaDiscoveryRequest delta = DeltaDiscoveryRequest.newBuilder().setTypeUrl(url).build();
      assertThat(new StreamRequests.Sotw(sotw).getResourceType()).as("sotw " + url)
          .isEqualTo(XdsRequest.create(sotw).getResourceType());
      assertThat(new StreamRequests.Delta(delta).getResourceType()).as("delta " + url)
          .isEqualTo(DeltaXdsRequest.create(delta).getResourceType());
    }
  }

  @Test
  void everyTypeTheServerSendsIsKnown() {
    for (String url : Resources.V3.TYPE_URLS) {
      assertThat(new StreamRequests.Sotw(DiscoveryRequest.newBuilder().setTypeUrl(url).build()).getResourceType())
          .as(url).isNotNull();
    }
  }
}
