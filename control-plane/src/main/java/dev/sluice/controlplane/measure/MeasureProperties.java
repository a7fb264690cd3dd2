package dev.sluice.controlplane.measure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Measurements from the data plane: load reports (LRS) and access logs (ALS) that proxies send to
 * the xDS ports.
 *
 * @param loadReportInterval how often proxies send load reports; 1s by default, at least 1s (gRPC
 *     C-core will not report more often, and every report is a message per proxy)
 * @param maxClusters the most model versions (clusters {@code <ns>|<route>|<version>}) measured at
 *     once; reports for more are dropped with a warning, after versions not heard of for
 *     {@code forgetAfter} are forgotten. 10,000 by default
 * @param forgetAfter a version no proxy has reported for this long is forgotten: its totals restart
 *     from zero and its metrics disappear. 1h by default
 * @param plaintextReports whether the plaintext xDS port takes reports too. On by default, as that
 *     port serves labs and gateways without TLS; anyone who reaches it can report, so turn it off
 *     where rollouts must only trust proxies that proved their identity on the TLS port
 */
@ConfigurationProperties("sluice.measure")
public record MeasureProperties(Duration loadReportInterval, Integer maxClusters, Duration forgetAfter,
    Boolean plaintextReports) {
  public MeasureProperties {
    loadReportInterval = loadReportInterval == null ? Duration.ofSeconds(1) : loadReportInterval;
    maxClusters = maxClusters == null ? 10_000 : maxClusters;
    forgetAfter = forgetAfter == null ? Duration.ofHours(1) : forgetAfter;
    plaintextReports = plaintextReports == null || plaintextReports;
    if (loadReportInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("sluice.measure.load-report-interval must be at least 1s, was "
          + loadReportInterval);
    }
    if (maxClusters < 1) {
      throw new IllegalArgumentException("sluice.measure.max-clusters must be at least 1, was " + maxClusters);
    }
    if (forgetAfter.isNegative() || forgetAfter.isZero()) {
      throw new IllegalArgumentException("sluice.measure.forget-after must be positive, was " + forgetAfter);
    }
  }

  /** Every default. */
  public static MeasureProperties defaults() {
    return new MeasureProperties(null, null, null, null);
  }
}
