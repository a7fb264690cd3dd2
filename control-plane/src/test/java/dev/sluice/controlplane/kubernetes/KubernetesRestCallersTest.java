package dev.sluice.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.security.ApiPrincipal;
import dev.sluice.controlplane.security.ApiRules;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An API server that cannot be asked is a "no": no caller is authenticated, no request allowed. (The
 * answers of a reachable one are shown against the real kube-apiserver in KubernetesRestAuthTest.)
 */
class KubernetesRestCallersTest {

  @Test
  void anUnreachableApiServer_failsClosed() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort(); // nothing listens there once the socket is closed
    }
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("https://127.0.0.1:" + closed).withTrustCerts(true).withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(1_000).withRequestTimeout(1_000).build()).build()) {
      KubernetesRestCallers callers = new KubernetesRestCallers(client, "sluice", Clock.systemUTC());
      assertThat(callers.authenticate("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")).isEmpty();
      ApiPrincipal someone = ApiPrincipal.kubernetes("system:serviceaccount:ml:pipeline",
          new ApiPrincipal.KubernetesUser("uid", List.of("system:serviceaccounts"), Map.of()));
      assertThat(callers.allows(someone, ApiRules.Access.VIEW_NAMESPACE, "GET",
          "/api/v1/namespaces/ml/modelroutes", Map.of("namespace", "ml"))).isFalse();
    }
  }
}
