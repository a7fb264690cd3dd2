package dev.sluice.controlplane.ca;

import dev.sluice.translate.SpiffeIds;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A proven Kubernetes-style identity: the SPIFFE ID of an X.509-SVID is built from it and nothing else.
 *
 * @param namespace a DNS-1123 label (lowercase letters, digits, '-'; at most 63)
 * @param serviceAccount a DNS-1123 subdomain (labels joined by '.'; at most 253)
 */
public record WorkloadIdentity(String namespace, String serviceAccount) {
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");

  public WorkloadIdentity {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException("namespace must be a DNS-1123 label (lowercase letters, digits, '-'; "
          + "at most 63), was '" + namespace + "'");
    }
    if (serviceAccount.length() > 253 || !DNS_SUBDOMAIN.matcher(serviceAccount).matches()) {
      throw new IllegalArgumentException("service account must be a DNS-1123 subdomain (lowercase letters, digits, "
          + "'-', '.'; at most 253), was '" + serviceAccount + "'");
    }
  }

  /** {@code spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>}. */
  public String spiffeId(String trustDomain) {
    return SpiffeIds.of(trustDomain, namespace, serviceAccount);
  }

  /** {@code <namespace>/<serviceAccount>}. */
  @Override
  public String toString() {
    return namespace + "/" + serviceAccount;
  }
}
