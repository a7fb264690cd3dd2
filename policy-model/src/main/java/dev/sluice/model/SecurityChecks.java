package dev.sluice.model;

/** Validation of transport security and of the identities versions present under it. */
final class SecurityChecks {
  private SecurityChecks() {}

  static void tls(Tls tls, Checks checks) {
    if (tls == null) {
      return;
    }
    // An unknown mode never gets here: reading the document fails on it, naming spec.tls.mode.
    if (tls.mode() == null) {
      checks.add("spec.tls.mode", "is required when tls is given; use one of MUTUAL, PERMISSIVE or DISABLED");
    }
  }

  /** A Kubernetes service account name: a DNS-1123 subdomain. It becomes part of a SPIFFE ID. */
  static void serviceAccount(String path, String serviceAccount, Checks checks) {
    if (serviceAccount != null && !NameRules.isDns1123Subdomain(serviceAccount)) {
      checks.add(path, "'" + serviceAccount + "' is not a service account name (lower-case DNS-1123 subdomain: "
          + "letters, digits, '-' and '.', at most 253 characters)");
    }
  }
}
