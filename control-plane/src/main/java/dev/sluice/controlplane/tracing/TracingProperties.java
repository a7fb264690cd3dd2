package dev.sluice.controlplane.tracing;

import dev.sluice.translate.TracingSettings;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tracing by the Envoy proxies Sluice configures (gateways): which tracer, where its collector
 * listens, and the share of requests traced. A ModelRoute's {@code spec.tracing.samplingPercent}
 * overrides the share for its own requests. gRPC clients (proxyless) do not trace from xDS.
 *
 * @param provider {@code none} (the default: Envoy traces nothing), {@code opentelemetry} (OTLP over
 *     gRPC) or {@code zipkin} (Zipkin v2 JSON over HTTP to {@code /api/v2/spans})
 * @param collector the collector as {@code host:port} ({@code [v6-address]:port} for IPv6), resolved
 *     by each Envoy through DNS, for example {@code otel-collector.observability:4317} or
 *     {@code zipkin.observability:9411}; required unless the provider is {@code none}
 * @param samplingPercent share of requests traced, 0 to 100 with up to four decimals; 1 by default
 */
@ConfigurationProperties("sluice.tracing")
public record TracingProperties(Provider provider, String collector, Double samplingPercent) {

  /** The values of {@code sluice.tracing.provider}. */
  public enum Provider {
    NONE,
    OPENTELEMETRY,
    ZIPKIN
  }

  public TracingProperties {
    provider = provider == null ? Provider.NONE : provider;
    samplingPercent = samplingPercent == null ? 1.0 : samplingPercent;
    // Checked whatever the provider, so that switching tracing on never reveals an old mistake.
    if (!(samplingPercent >= 0 && samplingPercent <= 100)) {
      throw new IllegalArgumentException("sluice.tracing.sampling-percent must be between 0 and 100, was "
          + samplingPercent);
    }
    double scaled = samplingPercent * 10_000;
    if (Math.abs(scaled - Math.rint(scaled)) > 1e-6) {
      throw new IllegalArgumentException("sluice.tracing.sampling-percent has more than four decimals: "
          + samplingPercent);
    }
    if (provider != Provider.NONE) {
      settings(provider, collector, samplingPercent);
    }
  }

  /** Tracing off: the defaults. */
  public static TracingProperties defaults() {
    return new TracingProperties(null, null, null);
  }

  /** What the translator needs; empty when the provider is {@code none}. */
  public Optional<TracingSettings> settings() {
    return provider == Provider.NONE ? Optional.empty() : Optional.of(settings(provider, collector, samplingPercent));
  }

  private static TracingSettings settings(Provider provider, String collector, double samplingPercent) {
    String name = provider.name().toLowerCase(Locale.ROOT);
    if (collector == null || collector.isBlank()) {
      throw new IllegalArgumentException("sluice.tracing.collector is required when sluice.tracing.provider is "
          + name + ": host:port of the collector, such as otel-collector.observability:4317");
    }
    int colon = collector.lastIndexOf(':');
    String host = colon < 0 ? "" : collector.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      host = ""; // an IPv6 address needs brackets to tell it from its port
    }
    int port;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(collector.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("sluice.tracing.collector must be host:port ([address]:port for IPv6) "
          + "with a port from 1 to 65535, such as otel-collector.observability:4317; was '" + collector + "'");
    }
    TracingSettings.Provider tracer = provider == Provider.ZIPKIN
        ? TracingSettings.Provider.ZIPKIN : TracingSettings.Provider.OPENTELEMETRY;
    try {
      return new TracingSettings(tracer, host, port, samplingPercent);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sluice.tracing.collector '" + collector + "': " + e.getMessage(), e);
    }
  }
}
