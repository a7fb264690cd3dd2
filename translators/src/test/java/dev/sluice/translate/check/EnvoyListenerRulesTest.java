package dev.sluice.translate.check;

import static dev.sluice.translate.check.ValidEnvoy.apiListener;
import static dev.sluice.translate.check.ValidEnvoy.check;
import static dev.sluice.translate.check.ValidEnvoy.validHcm;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.api.Test;

/** Listeners whose connection manager and filters sit in Any fields: the walk unpacks them. */
class EnvoyListenerRulesTest {

  @Test
  void faultAbortStatus99_isFoundThroughTwoPackedAnys() {
    HTTPFault fault = HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(99)).build();
    HttpConnectionManager hcm = validHcm()
        .setStatPrefix("")
        .addHttpFilters(0, HttpFilter.newBuilder().setName("envoy.filters.http.fault").setTypedConfig(Any.pack(fault)))
        .build();

    assertThat(check(apiListener(hcm))).containsExactly(
        new Violation("api_listener.api_listener(envoy.extensions.filters.network.http_connection_manager.v3"
            + ".HttpConnectionManager).stat_prefix", "must be at least 1 characters (string.min_len)"),
        new Violation("api_listener.api_listener(envoy.extensions.filters.network.http_connection_manager.v3"
            + ".HttpConnectionManager).http_filters[0].typed_config(envoy.extensions.filters.http.fault.v3.HTTPFault)"
            + ".abort.http_status", "must be inside range [200, 600) (uint32.gte, uint32.lt)"));
  }

  @Test
  void anyOfATypeTheRegistryDoesNotKnow_isSkipped() {
    HttpConnectionManager broken = validHcm().setStatPrefix("").build();

    assertThat(ProtoRules.check(apiListener(broken), TypeRegistry.getEmptyTypeRegistry())).isEmpty();
  }

  @Test
  void anyWhosePayloadDoesNotParse_isAViolation() {
    Any garbage = Any.newBuilder()
        .setTypeUrl("type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName())
        .setValue(com.google.protobuf.ByteString.copyFromUtf8("\u00ff\u00ff\u00ff"))
        .build();
    Listener listener = Listener.newBuilder().setApiListener(ApiListener.newBuilder().setApiListener(garbage)).build();

    assertThat(check(listener)).extracting(Violation::path).containsExactly("api_listener.api_listener");
  }
}
