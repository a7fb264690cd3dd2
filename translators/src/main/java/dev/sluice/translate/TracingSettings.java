package dev.sluice.translate;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where Envoy proxies send their spans, and how many requests they trace when a route does not say
 * ({@code spec.tracing.samplingPercent} overrides the percent per route).
 *
 * @param provider the tracer Envoy runs and the protocol it speaks to the collector
 * @param collectorHost DNS name or IP address of the collector, resolved by Envoy (STRICT_DNS)
 * @param collectorPort the collector's port: OTLP over gRPC (4317) for {@link Provider#OPENTELEMETRY},
 *     Zipkin's HTTP API (9411) for {@link Provider#ZIPKIN}
 * @param samplingPercent share of requests traced, 0..100, up to four decimals
 */
public record TracingSettings(Provider provider, String collectorHost, int collectorPort, double samplingPercent) {

  /** The tracers Sluice configures. */
  public enum Provider {
    /** {@code envoy.tracers.opentelemetry}: OTLP over gRPC (HTTP/2) to the collector. */
    OPENTELEMETRY,
    /** {@code envoy.tracers.zipkin}: Zipkin v2 JSON over HTTP to {@code /api/v2/spans}. */
    ZIPKIN;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The most decimals a percent keeps; the model's percents keep as many. */
  static final int PERCENT_DECIMALS = 4;

  private static final Pattern DNS_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\\.?");
  /** The shape of an IPv6 literal (no brackets): hex digits and at least two colons, an IPv4 tail allowed. */
  private static final Pattern IPV6 = Pattern.compile("(?=.*:.*:)[0-9A-Fa-f:.]{2,45}");

  /**
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public TracingSettings {
    Objects.requireNonNull(provider, "provider");
    if (collectorHost == null || collectorHost.length() > 253
        || !(DNS_NAME.matcher(collectorHost).matches() || IPV6.matcher(collectorHost).matches())) {
      throw new IllegalArgumentException("the tracing collector host '" + collectorHost
          + "' is not a DNS name or an IP address");
    }
    if (collectorPort < 1 || collectorPort > 65535) {
      throw new IllegalArgumentException("the tracing collector port must be between 1 and 65535, was " + collectorPort);
    }
    if (!(samplingPercent >= 0 && samplingPercent <= 100)) {
      throw new IllegalArgumentException("the tracing sampling percent must be between 0 and 100, was " + samplingPercent);
    }
    double scaled = samplingPercent * Math.pow(10, PERCENT_DECIMALS);
    if (Math.abs(scaled - Math.rint(scaled)) > 1e-6) {
      throw new IllegalArgumentException("the tracing sampling percent has more than " + PERCENT_DECIMALS
          + " decimals: " + samplingPercent);
    }
  }
}
