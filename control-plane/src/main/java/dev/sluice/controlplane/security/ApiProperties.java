package dev.sluice.controlplane.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code sluice.api.*}: who may use the REST API.
 *
 * @param tokens API tokens, each a name, a salted hash ({@link TokenHash}) and its grants
 * @param tokenFile a YAML file with more tokens ({@code tokens:} as above), read at start
 * @param adminTokenFile where a standalone control plane started with no token at all writes the
 *     token of an {@code admin} (mode 0600) and reads it on later starts; {@code <store>/admin-token}
 * @param anonymousLoopback requests from 127.0.0.1 or ::1 without credentials act as admin in every
 *     namespace: for a lab on one machine only, never where another user or a pod shares the host
 * @param failedAuthentications how many failed authentications one source address may have in the
 *     window before its requests are refused with 429 until the window passes
 * @param mtlsPort a second port for the REST API, HTTPS with the control plane's own certificate, where
 *     callers may prove themselves with a client certificate from Sluice's CA; off when absent
 * @param identities what callers proven by a client certificate may do, by SPIFFE ID
 */
@ConfigurationProperties("sluice.api")
public record ApiProperties(List<Token> tokens, Path tokenFile, Path adminTokenFile, boolean anonymousLoopback,
    FailedAuthentications failedAuthentications, Integer mtlsPort, List<Identity> identities) {

  public ApiProperties {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    identities = identities == null ? List.of() : List.copyOf(identities);
    if (mtlsPort != null && (mtlsPort < 0 || mtlsPort > 65535)) {
      throw new IllegalArgumentException("sluice.api.mtls-port must be 0..65535, was " + mtlsPort);
    }
    failedAuthentications = failedAuthentications == null ? new FailedAuthentications(null, null) : failedAuthentications;
  }

  /** One API token: {@code name} (in audit lines), {@code hash}, and {@code grants}. */
  public record Token(String name, String hash, List<GrantSpec> grants) {
    public Token {
      grants = grants == null ? List.of() : List.copyOf(grants);
    }
  }

  /** A workload's SPIFFE ID ({@code spiffe://<trust domain>/ns/<ns>/sa/<sa>}) and its grants. */
  public record Identity(String spiffeId, List<GrantSpec> grants) {
    public Identity {
      grants = grants == null ? List.of() : List.copyOf(grants);
    }
  }

  /** A role ({@code viewer}, {@code editor}, {@code admin}) in {@code namespaces}, or in all when empty. */
  public record GrantSpec(String role, List<String> namespaces) {
    public GrantSpec {
      namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }
  }

  /** At most {@code limit} failures per source address in {@code window}; 10 in 1 minute. */
  public record FailedAuthentications(Integer limit, Duration window) {
    public FailedAuthentications {
      limit = limit == null ? 10 : limit;
      window = window == null ? Duration.ofMinutes(1) : window;
      if (limit < 1) {
        throw new IllegalArgumentException("sluice.api.failed-authentications.limit must be at least 1, was " + limit);
      }
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("sluice.api.failed-authentications.window must be positive, was " + window);
      }
    }
  }
}
