package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The "issue it again?" decision for the injector's serving certificate: time is passed in, never read. */
class ServingCertificateCheckTest {
  static final Instant NOW = Instant.parse("2031-05-01T12:00:00Z");
  static final WorkloadIdentity ID = new WorkloadIdentity("sluice-system", "sluice-injector");
  static final List<String> NAMES = List.of("sluice-injector", "sluice-injector.sluice-system",
      "sluice-injector.sluice-system.svc", "sluice-injector.sluice-system.svc.cluster.local");

  final CertificateAuthority ca = authority();
  final IssuedCertificate issued = ca.issueServer(ID, NAMES, Duration.ofHours(24));

  @Test
  void freshCertificate_forTheWantedNames_chainingToTheBundle_isKept() {
    assertThat(reason(issued, ca.trustBundle(), Set.copyOf(NAMES), NOW)).isEmpty();
    assertThat(reason(issued, ca.trustBundle(), Set.copyOf(NAMES), NOW.plus(Duration.ofHours(11)))).isEmpty();
  }

  @Test
  void pastHalfItsLifetime_isRenewed() {
    assertThat(reason(issued, ca.trustBundle(), Set.copyOf(NAMES), NOW.plus(Duration.ofHours(12))))
        .hasValueSatisfying(r -> assertThat(r).contains("past half its lifetime"));
    assertThat(reason(issued, ca.trustBundle(), Set.copyOf(NAMES), NOW.plus(Duration.ofDays(2))))
        .as("expired").isPresent();
  }

  @Test
  void notYetValid_isRenewed() {
    assertThat(reason(issued, ca.trustBundle(), Set.copyOf(NAMES), NOW.minus(Duration.ofHours(1))))
        .hasValueSatisfying(r -> assertThat(r).contains("not valid before"));
  }

  @Test
  void afterARootRotation_aCertificateOfTheOldRoot_isRenewed() {
    CertificateAuthority rotated = authority();
    assertThat(reason(issued, rotated.trustBundle(), Set.copyOf(NAMES), NOW))
        .hasValue("not chaining to the current trust bundle");
  }

  @Test
  void otherDnsNames_areRenewed() {
    assertThat(reason(issued, ca.trustBundle(), Set.of("other.sluice-system.svc"), NOW))
        .hasValueSatisfying(r -> assertThat(r).startsWith("for the DNS names").contains("other.sluice-system.svc"));
  }

  @Test
  void missingOrUnparseable_isRenewed_andTheReasonQuotesNoInput() {
    assertThat(ServingCertificateCheck.reasonToRenew(null, issued.privateKeyPem(), ca.trustBundle(), Set.copyOf(NAMES),
        NOW)).hasValue("missing");
    assertThat(ServingCertificateCheck.reasonToRenew(issued.certificateChainPem(), " ", ca.trustBundle(),
        Set.copyOf(NAMES), NOW)).hasValue("missing");
    assertThat(ServingCertificateCheck.reasonToRenew("junk", issued.privateKeyPem(), ca.trustBundle(),
        Set.copyOf(NAMES), NOW)).hasValueSatisfying(r -> assertThat(r).startsWith("unparseable"));
    String chain = issued.certificateChainPem();
    assertThat(ServingCertificateCheck.reasonToRenew(chain, chain, ca.trustBundle(), Set.copyOf(NAMES), NOW))
        .as("a certificate where the key belongs").hasValueSatisfying(r -> assertThat(r).startsWith("unparseable")
            .doesNotContain(chain.substring(40, 80)));
  }

  @Test
  void aKeyOfAnotherCertificate_isRenewed() {
    IssuedCertificate other = ca.issueServer(ID, NAMES, Duration.ofHours(24));
    assertThat(ServingCertificateCheck.reasonToRenew(issued.certificateChainPem(), other.privateKeyPem(),
        ca.trustBundle(), Set.copyOf(NAMES), NOW)).hasValue("paired with a key of another certificate");
  }

  @Test
  void issuedServerCertificate_carriesTheDnsNamesAndTheSpiffeId_andTheAskedTtl() throws Exception {
    X509Certificate leaf = issued.leaf();
    assertThat(ServingCertificateCheck.dnsNames(leaf)).containsExactlyInAnyOrderElementsOf(NAMES);
    assertThat(leaf.getSubjectAlternativeNames()).contains(
        List.of(6, "spiffe://cluster.local/ns/sluice-system/sa/sluice-injector"));
    assertThat(issued.notAfter()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(ca.issueServer(ID, NAMES, Duration.ofDays(30)).notAfter())
        .as("capped by sluice.ca.max-workload-ttl").isEqualTo(NOW.plus(CaProperties.defaults().maxWorkloadTtl()));
  }

  private static Optional<String> reason(IssuedCertificate cert, List<X509Certificate> bundle, Set<String> names,
      Instant now) {
    return ServingCertificateCheck.reasonToRenew(cert.certificateChainPem(), cert.privateKeyPem(), bundle, names, now);
  }

  private static CertificateAuthority authority() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    return new CertificateAuthority(CaRoot.generate(CaProperties.defaults(), clock), CaProperties.defaults(), clock);
  }
}
