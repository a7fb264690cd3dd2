package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gRPC client may dial a model before its route exists. Its request waits; other routes'
 * changes must not drop that wait, so the route reaches it the moment it is written.
 * (java-control-plane's cache, used as it comes, discards such a watch on the next snapshot.)
 */
class EarlySubscriberTest {
  @TempDir Path store;

  @Test
  void aClientDialingAHostBeforeItsRoute_getsTheRouteAfterUnrelatedChanges() throws Exception {
    try (ControlPlane cp = ControlPlane.start(store);
        TaggedBackend early = new TaggedBackend("early");
        TaggedBackend other = new TaggedBackend("other");
        ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("early-client"), "early.ml")) {
      // The first RPC starts the client's subscription to early.ml, which does not exist yet.
      CompletableFuture<String> first = CompletableFuture.supplyAsync(client::callOrError);
      ProxyStatus.await(cp, "early-client", s -> true); // connected
      Thread.sleep(300);

      // Unrelated changes: each publishes a snapshot that still lacks early.ml.
      cp.put("/api/v1/namespaces/ml/modelroutes/other", "application/json", Routes.single("other.ml", other.endpoint(), null));
      Thread.sleep(300);
      cp.put("/api/v1/namespaces/ml/modelroutes/other-2", "application/json", Routes.single("other-2.ml", other.endpoint(), null));
      Thread.sleep(300);

      cp.put("/api/v1/namespaces/ml/modelroutes/early", "application/json", Routes.single("early.ml", early.endpoint(), null));
      assertThat(first.get(10, TimeUnit.SECONDS)).as("the RPC that waited for the route").isEqualTo("early");
    }
  }
}
