package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.envoy.config.core.v3.Node;
import org.junit.jupiter.api.Test;

class ProxyGroupsTest {
  static Node node(String role, Value port, String userAgent) {
    Struct.Builder md = Struct.newBuilder();
    if (role != null) {
      md.putFields("sluice.role", Value.newBuilder().setStringValue(role).build());
    }
    if (port != null) {
      md.putFields("sluice.listener_port", port);
    }
    return Node.newBuilder().setId("n").setUserAgentName(userAgent).setMetadata(md).build();
  }

  @Test
  void nodeWithoutRole_isAGateway_butAGrpcClientIsProxyless() {
    assertThat(ProxyGroups.resolve(node(null, null, "envoy")).group()).isEqualTo(ProxyGroup.DEFAULT_GATEWAY);
    assertThat(ProxyGroups.resolve(node(null, null, "gRPC Java")).group()).isEqualTo(ProxyGroup.PROXYLESS);
  }

  @Test
  void gatewayListenerPort_comesFromMetadataAsNumberOrString() {
    assertThat(ProxyGroups.resolve(node("gateway", Value.newBuilder().setNumberValue(8443).build(), "")).group())
        .isEqualTo(ProxyGroup.gateway(8443));
    assertThat(ProxyGroups.resolve(node("gateway", Value.newBuilder().setStringValue("9000").build(), "")).group())
        .isEqualTo(ProxyGroup.gateway(9000));
  }

  @Test
  void unknownRoleOrBadPort_isAnErrorNamingTheField() {
    assertThat(ProxyGroups.resolve(node("sidecarr", null, "")).error()).contains("sluice.role");
    assertThat(ProxyGroups.resolve(node("gateway", Value.newBuilder().setNumberValue(70000).build(), "")).error())
        .contains("sluice.listener_port");
  }
}
