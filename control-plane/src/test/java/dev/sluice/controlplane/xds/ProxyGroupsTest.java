package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.SidecarScope;
import java.util.List;
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

  static Node sidecar(String namespace, String serviceAccount, String ports) {
    Struct.Builder md = Struct.newBuilder().putFields("sluice.role", Value.newBuilder().setStringValue("sidecar").build());
    if (namespace != null) {
      md.putFields("sluice.namespace", Value.newBuilder().setStringValue(namespace).build());
    }
    if (serviceAccount != null) {
      md.putFields("sluice.service_account", Value.newBuilder().setStringValue(serviceAccount).build());
    }
    if (ports != null) {
      md.putFields("sluice.inbound_ports", Value.newBuilder().setStringValue(ports).build());
    }
    return Node.newBuilder().setId("pod-1").setUserAgentName("envoy").setMetadata(md).build();
  }

  @Test
  void sidecar_isGroupedByNamespaceServiceAccountAndPorts() {
    assertThat(ProxyGroups.resolve(sidecar("ml", "scorer", "9000,8080")).group())
        .isEqualTo(ProxyGroup.sidecar(new SidecarScope("ml", "scorer", List.of(8080, 9000))));
    assertThat(ProxyGroups.resolve(sidecar("ml", "scorer", "9000,8080")).group().key()).isEqualTo("sidecar:ml/scorer:8080,9000");
    assertThat(ProxyGroups.resolve(sidecar("ml", "batch-job", "")).group())
        .isEqualTo(ProxyGroup.sidecar(new SidecarScope("ml", "batch-job", List.of())));
  }

  @Test
  void sidecarWithMissingOrBadMetadata_isAnErrorNamingTheField() {
    assertThat(ProxyGroups.resolve(sidecar(null, "scorer", "8080")).error()).contains("sluice.namespace");
    assertThat(ProxyGroups.resolve(sidecar("ml", null, "8080")).error()).contains("sluice.service_account");
    assertThat(ProxyGroups.resolve(sidecar("ml", "scorer", "80,http")).error()).contains("sluice.inbound_ports");
    assertThat(ProxyGroups.resolve(sidecar("ml", "scorer", "15001")).error()).contains("15001").contains("reserved");
    assertThat(ProxyGroups.resolve(sidecar("ML", "scorer", "8080")).error()).contains("DNS-1123");
  }
}
