package dev.sluice.translate;

import java.util.regex.Pattern;

/**
 * SPIFFE IDs of workloads: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}, the
 * one URI SAN of the certificates Sluice's CA issues and the name Envoy checks on the other side of
 * a connection. Both sides format it here, so they cannot drift apart.
 */
public final class SpiffeIds {
  /** The trust domain when none is configured: Kubernetes' default cluster domain, as Istio's. */
  public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
  /** What every SPIFFE ID starts with, before its trust domain. */
  public static final String PREFIX = "spiffe://";

  /** SPIFFE trust domain names: lower-case letters, digits, '.', '-' and '_'. */
  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
  /** A path segment of a SPIFFE ID: letters, digits, '.', '-' and '_', but not '.' or '..'. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  private SpiffeIds() {}

  /**
   * The SPIFFE ID of a Kubernetes service account.
   *
   * @throws IllegalArgumentException when a part is not allowed in a SPIFFE ID
   */
  public static String of(String trustDomain, String namespace, String serviceAccount) {
    return PREFIX + requireTrustDomain(trustDomain)
        + "/ns/" + requireSegment("namespace", namespace)
        + "/sa/" + requireSegment("service account", serviceAccount);
  }

  /** Whether {@code trustDomain} is a valid SPIFFE trust domain name. */
  public static boolean isTrustDomain(String trustDomain) {
    return trustDomain != null && TRUST_DOMAIN.matcher(trustDomain).matches();
  }

  /**
   * Returns {@code trustDomain} when it is a valid SPIFFE trust domain name.
   *
   * @throws IllegalArgumentException otherwise, saying why
   */
  public static String requireTrustDomain(String trustDomain) {
    if (!isTrustDomain(trustDomain)) {
      throw new IllegalArgumentException("'" + trustDomain + "' is not a SPIFFE trust domain "
          + "(1 to 255 lower-case letters, digits, '.', '-' or '_', such as cluster.local)");
    }
    return trustDomain;
  }

  private static String requireSegment(String what, String segment) {
    if (segment == null || !SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
      throw new IllegalArgumentException("'" + segment + "' is not a " + what + " a SPIFFE ID can carry");
    }
    return segment;
  }
}
