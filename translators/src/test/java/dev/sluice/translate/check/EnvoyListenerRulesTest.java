package dev.sluice.translate.check;

import static dev.sluice.translate.check.ValidEnvoy.apiListener;
import static dev.sluice.translate.check.ValidEnvoy.validHcm;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Listeners whose connection manager and filters sit in Any fields: the walk unpacks them, into
 * generated classes or DynamicMessages, with the same findings either way.
 */
class EnvoyListenerRulesTest {
  /** The types of {@link ValidEnvoy#TYPES}, by their generated classes. */
  private static final PackedTypes GENERATED = PackedTypes.of(List.of(
      HttpConnectionManager.getDefaultInstance(), HTTPFault.getDefaultInstance(), Router.getDefaultInstance()));

  static List<PackedTypes> lookups() {
    return List.of(GENERATED, PackedTypes.dynamic(ValidEnvoy.TYPES));
  }

  @ParameterizedTest
  @MethodSource("lookups")
  void faultAbortStatus99_isFoundThroughTwoPackedAnys(PackedTypes types) {
    HTTPFault fault = HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(99)).build();
    HttpConnectionManager hcm = validHcm()
        .setStatPrefix("")
        .addHttpFilters(0, HttpFilter.newBuilder().setName("envoy.filters.http.fault").setTypedConfig(Any.pack(fault)))
        .build();

    assertThat(ProtoRules.check(apiListener(hcm), types)).containsExactly(
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
  void packedPayloadsOfGeneratedTypes_parseIntoTheirGeneratedClasses() throws Exception {
    Any packed = Any.pack(HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(99)).build());
    var type = GENERATED.find(packed.getTypeUrl());

    assertThat(GENERATED.parse(type, packed.getValue())).isInstanceOf(HTTPFault.class);
    assertThat(PackedTypes.dynamic(ValidEnvoy.TYPES).parse(type, packed.getValue())).isInstanceOf(DynamicMessage.class);
  }

  @Test
  void typesTheRegistryLearnsFromImports_stillParseDynamically() throws Exception {
    // A registry knows every type of an added type's file and its imports, as before PackedTypes.
    var percent = FractionalPercent.newBuilder().setNumerator(5).build();
    PackedTypes types = PackedTypes.of(List.of(HTTPFault.getDefaultInstance()));
    var type = types.find("type.googleapis.com/" + FractionalPercent.getDescriptor().getFullName());

    assertThat(type).isSameAs(FractionalPercent.getDescriptor());
    assertThat(types.parse(type, percent.toByteString())).isInstanceOf(DynamicMessage.class);
  }

  @ParameterizedTest
  @MethodSource("lookups")
  void anyWhosePayloadDoesNotParse_isAViolation(PackedTypes types) {
    Any garbage = Any.newBuilder()
        .setTypeUrl("type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName())
        .setValue(com.google.protobuf.ByteString.copyFromUtf8("\u00ff\u00ff\u00ff"))
        .build();
    Listener listener = Listener.newBuilder().setApiListener(ApiListener.newBuilder().setApiListener(garbage)).build();

    assertThat(ProtoRules.check(listener, types)).extracting(Violation::path).containsExactly("api_listener.api_listener");
  }
}
