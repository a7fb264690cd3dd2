package dev.sluice.controlplane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The meters other packages record into, registered once so that every series exists (at zero)
 * from the start and tag values stay a small fixed set. Names below are Prometheus's:
 *
 * <ul>
 *   <li>{@code sluice_store_writes_total{result}}: one per ModelRoute write attempt through the API
 *       (dry runs excluded); {@code result} is one of {@link #WRITE_RESULTS}.
 *   <li>{@code sluice_translation_seconds{phase}}: one sample per {@code translateAll} call (one
 *       proxy group), with a histogram; {@code phase} is {@link #PHASE_WRITE} (checks while a write is
 *       being accepted) or {@link #PHASE_PUBLISH} (building a snapshot).
 * </ul>
 *
 * <p>Thread-safe: meters are created in the constructor and only looked up afterwards.
 */
@Component
public final class SluiceMetrics {
  /** Translation while a write is checked, before it is stored. */
  public static final String PHASE_WRITE = "write";
  /** Translation of every stored route for a proxy group's snapshot. */
  public static final String PHASE_PUBLISH = "publish";

  /** A new ModelRoute was stored. */
  public static final String CREATED = "created";
  /** A stored ModelRoute was replaced (PUT, PATCH, weights, rollback). */
  public static final String UPDATED = "updated";
  /** The write was identical to what was stored; nothing changed, nothing was pushed. */
  public static final String UNCHANGED = "unchanged";
  /** A ModelRoute was deleted. */
  public static final String DELETED = "deleted";
  /** Refused with a 4xx other than 409: invalid document, unknown route, body too large... */
  public static final String REJECTED = "rejected";
  /** Refused with 409: a stale resourceVersion, or hosts another route serves. */
  public static final String CONFLICT = "conflict";
  /** The server failed (5xx); whether anything was stored is unknown to the caller. */
  public static final String FAILED = "failed";

  public static final List<String> WRITE_RESULTS = List.of(CREATED, UPDATED, UNCHANGED, DELETED, REJECTED, CONFLICT, FAILED);

  private final Map<String, Counter> writes = new LinkedHashMap<>();
  private final Map<String, Timer> translations = new LinkedHashMap<>();

  public SluiceMetrics(MeterRegistry registry) {
    for (String result : WRITE_RESULTS) {
      writes.put(result, Counter.builder("sluice.store.writes")
          .description("ModelRoute write attempts through the API, by result (dry runs are not counted)")
          .tag("result", result)
          .register(registry));
    }
    for (String phase : List.of(PHASE_WRITE, PHASE_PUBLISH)) {
      translations.put(phase, Timer.builder("sluice.translation")
          .description("Time to translate ModelRoutes into Envoy resources for one proxy group")
          .tag("phase", phase)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofNanos(100_000))
          .maximumExpectedValue(Duration.ofSeconds(10))
          .register(registry));
    }
  }

  /**
   * The timer for one phase; for example {@code metrics.translation(PHASE_PUBLISH).record(() ->
   * translator.translateAll(routes, group))}.
   *
   * @throws IllegalArgumentException for a phase other than {@link #PHASE_WRITE} or {@link #PHASE_PUBLISH}
   */
  public Timer translation(String phase) {
    Timer timer = translations.get(phase);
    if (timer == null) {
      throw new IllegalArgumentException("unknown translation phase '" + phase + "'; expected one of " + translations.keySet());
    }
    return timer;
  }

  /**
   * Counts one write attempt.
   *
   * @throws IllegalArgumentException for a result not in {@link #WRITE_RESULTS}
   */
  public void storeWrite(String result) {
    Counter counter = writes.get(result);
    if (counter == null) {
      throw new IllegalArgumentException("unknown write result '" + result + "'; expected one of " + WRITE_RESULTS);
    }
    counter.increment();
  }
}
