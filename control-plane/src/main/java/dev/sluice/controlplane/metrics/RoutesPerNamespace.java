package dev.sluice.controlplane.metrics;

import dev.sluice.controlplane.store.RouteStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code sluice_routes{namespace}}: stored ModelRoutes per namespace, counted again after
 * every committed change. A namespace whose last route is deleted loses its series rather than
 * reporting a stale count.
 *
 * <p>Thread-safe: {@link #refresh} is serialised, so a slower refresh never overwrites a newer one.
 */
@Component
final class RoutesPerNamespace implements MeterBinder {
  private static final Logger log = LoggerFactory.getLogger(RoutesPerNamespace.class);
  private final RouteStore store;
  private MultiGauge gauge; // guarded by this

  RoutesPerNamespace(RouteStore store) {
    this.store = store;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    gauge = MultiGauge.builder("sluice.routes")
        .description("Stored ModelRoutes per namespace")
        .register(registry);
    refresh();
    store.onChange(() -> {
      try {
        refresh();
      } catch (RuntimeException e) { // the write is committed; a stale gauge must not turn it into an error
        log.warn("could not count the stored ModelRoutes for sluice_routes; the gauge is stale until the next change", e);
      }
    });
  }

  synchronized void refresh() {
    Map<String, Long> counts = store.countByNamespace();
    List<MultiGauge.Row<?>> rows = counts.entrySet().stream()
        .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("namespace", e.getKey()), e.getValue()))
        .toList();
    gauge.register(rows, true); // overwrite: namespaces no longer listed are removed
  }
}
