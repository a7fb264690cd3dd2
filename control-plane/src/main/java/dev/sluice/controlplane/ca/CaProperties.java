package dev.sluice.controlplane.ca;

import dev.sluice.translate.SpiffeIds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The certificate authority that issues X.509-SVIDs to proxies and the control plane's own serving
 * certificate. Without {@code cert-file}/{@code key-file} a root is generated on first start and kept
 * in {@code <sluice.store.path>/ca/}.
 *
 * @param trustDomain SPIFFE trust domain of every identity issued, {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>};
 *     lowercase letters, digits, {@code .}, {@code -} and {@code _}
 * @param workloadTtl lifetime of a workload certificate when the caller asks for none
 * @param maxWorkloadTtl the longest lifetime any issued certificate gets, whatever the caller asks
 * @param rootTtl lifetime of a generated root; unused when the CA is plugged in from files
 * @param rotationJitter fraction of a certificate's lifetime by which its rotation is spread (0 to 0.25)
 * @param certFile plugged-in CA: PEM certificate of the signing CA (a root or an intermediate); with {@code key-file}
 * @param keyFile plugged-in CA: PEM private key of {@code cert-file} (PKCS#8, SEC1 {@code EC PRIVATE KEY} or RSA)
 * @param chainFile plugged-in CA, optional: PEM certificates from the issuer of {@code cert-file} up to the root
 * @param serverNamespace namespace of the control plane's own identity on its TLS xDS port
 * @param serverServiceAccount service account of the control plane's own identity on its TLS xDS port
 * @param serverDnsNames DNS names in the control plane's serving certificate
 * @param serverIpAddresses IP addresses in the control plane's serving certificate
 */
@ConfigurationProperties("sluice.ca")
public record CaProperties(
    String trustDomain,
    Duration workloadTtl,
    Duration maxWorkloadTtl,
    Duration rootTtl,
    Double rotationJitter,
    Path certFile,
    Path keyFile,
    Path chainFile,
    String serverNamespace,
    String serverServiceAccount,
    List<String> serverDnsNames,
    List<String> serverIpAddresses) {

  private static final Pattern DNS_NAME =
      Pattern.compile("(\\*\\.)?[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*");

  public CaProperties {
    trustDomain = trustDomain == null ? "cluster.local" : trustDomain;
    workloadTtl = workloadTtl == null ? Duration.ofHours(24) : workloadTtl;
    maxWorkloadTtl = maxWorkloadTtl == null ? Duration.ofDays(7) : maxWorkloadTtl;
    rootTtl = rootTtl == null ? Duration.ofDays(3650) : rootTtl;
    rotationJitter = rotationJitter == null ? 0.1 : rotationJitter;
    serverNamespace = serverNamespace == null ? "sluice-system" : serverNamespace;
    serverServiceAccount = serverServiceAccount == null ? "sluice" : serverServiceAccount;
    serverDnsNames = serverDnsNames == null ? List.of("localhost") : List.copyOf(serverDnsNames);
    serverIpAddresses = serverIpAddresses == null ? List.of("127.0.0.1") : List.copyOf(serverIpAddresses);

    if (!SpiffeIds.isTrustDomain(trustDomain)) {
      throw new IllegalArgumentException("sluice.ca.trust-domain must be a SPIFFE trust domain (lowercase letters, "
          + "digits, '.', '-', '_'; at most 255), was '" + trustDomain + "'");
    }
    positive("sluice.ca.workload-ttl", workloadTtl);
    positive("sluice.ca.max-workload-ttl", maxWorkloadTtl);
    positive("sluice.ca.root-ttl", rootTtl);
    if (workloadTtl.compareTo(maxWorkloadTtl) > 0) {
      throw new IllegalArgumentException("sluice.ca.workload-ttl (" + workloadTtl
          + ") must not exceed sluice.ca.max-workload-ttl (" + maxWorkloadTtl + ")");
    }
    if (!(rotationJitter >= 0 && rotationJitter <= 0.25)) {
      throw new IllegalArgumentException("sluice.ca.rotation-jitter must be between 0 and 0.25, was " + rotationJitter);
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("sluice.ca.cert-file and sluice.ca.key-file go together: set both or neither");
    }
    if (chainFile != null && certFile == null) {
      throw new IllegalArgumentException("sluice.ca.chain-file needs sluice.ca.cert-file and sluice.ca.key-file");
    }
    try {
      new WorkloadIdentity(serverNamespace, "x");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sluice.ca.server-namespace: " + e.getMessage(), e);
    }
    try {
      new WorkloadIdentity("x", serverServiceAccount);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sluice.ca.server-service-account: " + e.getMessage(), e);
    }
    for (String name : serverDnsNames) {
      if (name == null || name.length() > 253 || !DNS_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("sluice.ca.server-dns-names holds '" + name + "', which is not a DNS name");
      }
    }
    for (String address : serverIpAddresses) {
      if (address == null || !IPAddress.isValid(address)) {
        throw new IllegalArgumentException("sluice.ca.server-ip-addresses holds '" + address + "', which is not an IP address");
      }
    }
  }

  /** Every default: a generated root for {@code cluster.local}, 24 h workload certificates. */
  public static CaProperties defaults() {
    return new CaProperties(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether the CA comes from {@link #certFile()} and {@link #keyFile()} rather than a generated root. */
  public boolean pluggedIn() {
    return certFile != null;
  }

  /** The control plane's own identity, named in its serving certificate. */
  public WorkloadIdentity serverIdentity() {
    return new WorkloadIdentity(serverNamespace, serverServiceAccount);
  }

  private static void positive(String property, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(property + " must be positive, was " + value);
    }
  }
}
