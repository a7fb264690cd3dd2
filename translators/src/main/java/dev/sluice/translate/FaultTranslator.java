package dev.sluice.translate;

import com.google.protobuf.Any;
import dev.sluice.model.Fault;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;

/**
 * A route's injected faults, as the fault filter's per-virtual-host override. The filter itself
 * sits in every connection manager with an empty configuration (see {@link HttpFilters}), so adding
 * or removing a fault never changes a listener.
 */
final class FaultTranslator {
  private FaultTranslator() {}

  static Any perRoute(Fault fault) {
    HTTPFault.Builder config = HTTPFault.newBuilder();
    if (fault.delay() != null) {
      config.setDelay(FaultDelay.newBuilder()
          .setFixedDelay(ProtoDurations.of(fault.delay().duration()))
          .setPercentage(Percents.perMillion(fault.delay().percent())));
    }
    if (fault.abort() != null) {
      config.setAbort(FaultAbort.newBuilder()
          .setHttpStatus(fault.abort().httpStatus())
          .setPercentage(Percents.perMillion(fault.abort().percent())));
    }
    return Any.pack(config.build());
  }
}
