package dev.sluice.translate;

/**
 * What the control plane decides for every route alike, as opposed to what each ModelRoute says.
 * Immutable; change one part with the {@code with...} methods.
 *
 * @param trustDomain SPIFFE trust domain of the identities Envoy accepts under mTLS
 * @param tracing where Envoy proxies send spans and how many requests they trace; null when tracing
 *     is off (then Envoy traces nothing and a route's {@code spec.tracing} has no effect)
 */
public record TranslatorSettings(String trustDomain, TracingSettings tracing) {
  /** Mesh identities in {@link SpiffeIds#DEFAULT_TRUST_DOMAIN}, tracing off. */
  public static final TranslatorSettings DEFAULTS = new TranslatorSettings(SpiffeIds.DEFAULT_TRUST_DOMAIN, null);

  /**
   * @throws IllegalArgumentException when {@code trustDomain} is not a SPIFFE trust domain
   */
  public TranslatorSettings {
    SpiffeIds.requireTrustDomain(trustDomain);
  }

  public TranslatorSettings withTrustDomain(String newTrustDomain) {
    return new TranslatorSettings(newTrustDomain, tracing);
  }

  /** These settings with tracing as given; null turns it off. */
  public TranslatorSettings withTracing(TracingSettings newTracing) {
    return new TranslatorSettings(trustDomain, newTracing);
  }
}
