package dev.sluice.controlplane.ca;

import dev.sluice.controlplane.store.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generated root: made on first start and kept in {@code <store>/ca/} as {@code root-cert.pem} and
 * {@code root-key.pem}, then loaded on every later start. The folder is 0700; the key file is created
 * 0600 before any key byte is written, as a temp file in the same folder that is fsynced and moved
 * into place atomically.
 */
final class RootStore {
  static final String CERT_FILE = "root-cert.pem";
  static final String KEY_FILE = "root-key.pem";
  static final String SUBJECT_CN = "Sluice Root CA";

  private static final Logger log = LoggerFactory.getLogger(RootStore.class);

  private RootStore() {}

  static CaRoot loadOrGenerate(CaProperties properties, Path folder, Clock clock) {
    Path certFile = folder.resolve(CERT_FILE);
    Path keyFile = folder.resolve(KEY_FILE);
    boolean hasCert = Files.exists(certFile);
    boolean hasKey = Files.exists(keyFile);
    if (hasCert && hasKey) {
      return load(properties, certFile, keyFile, clock);
    }
    if (hasCert || hasKey) {
      throw new CaConfigurationException("the stored CA root in " + folder + " is incomplete: " + (hasCert ? certFile : keyFile)
          + " exists but " + (hasCert ? keyFile : certFile) + " does not. Restore the missing file, or delete both "
          + "to generate a new root (every proxy then needs the new trust bundle)");
    }
    CaRoot root = generate(properties, clock, new SecureRandom());
    store(root, folder, certFile, keyFile);
    return new CaRoot(root.signingCertificate(), root.signingKey(), List.of(), "root generated and stored in " + folder);
  }

  /** ECDSA P-256, self-signed, CA with path length 0, URI SAN {@code spiffe://<trust-domain>}. */
  static CaRoot generate(CaProperties properties, Clock clock, SecureRandom random) {
    KeyPair keys = Certificates.newEcKeyPair(random);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, properties.trustDomain())
        .addRDN(BCStyle.CN, SUBJECT_CN)
        .build();
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, Certificates.randomSerial(random),
        Date.from(now.minus(Certificates.CLOCK_SKEW)), Date.from(now.plus(properties.rootTtl())), subject,
        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false, Certificates.subjectKeyId(keys.getPublic()));
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://" + properties.trustDomain())));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode the root's extensions", e);
    }
    X509Certificate certificate = Certificates.sign(builder, keys.getPrivate(), random);
    return new CaRoot(certificate, keys.getPrivate(), List.of(), "root generated in memory");
  }

  private static CaRoot load(CaProperties properties, Path certFile, Path keyFile, Clock clock) {
    List<X509Certificate> certificates = CaFiles.certificates(certFile.toString(), certFile);
    PrivateKey key = CaFiles.privateKey(keyFile.toString(), keyFile);
    CaRoot root = checked(properties, certificates, key, certFile.toString(), keyFile.toString(),
        "delete both files to generate a new one", clock, "root loaded from " + certFile.getParent());
    SecretFiles.warnIfReadableByOthers(keyFile, "the CA key");
    return root;
  }

  /** A root kept as PEM elsewhere (a Kubernetes Secret), checked as the stored files are. */
  static CaRoot load(CaProperties properties, RootPem pem, Clock clock) {
    String certSource = pem.keptIn() + " (its certificate)";
    String keySource = pem.keptIn() + " (its key)";
    List<X509Certificate> certificates;
    PrivateKey key;
    try {
      certificates = Pem.readCertificates(pem.certificatePem());
    } catch (IllegalArgumentException e) {
      throw new CaConfigurationException(certSource + " " + e.getMessage(), e);
    }
    try {
      key = Pem.readPrivateKey(pem.keyPem());
    } catch (IllegalArgumentException e) {
      throw new CaConfigurationException(keySource + " " + e.getMessage(), e);
    }
    return checked(properties, certificates, key, certSource, keySource, "delete it to generate a new one",
        clock, "root loaded from " + pem.keptIn());
  }

  private static CaRoot checked(CaProperties properties, List<X509Certificate> certificates, PrivateKey key,
      String certSource, String keySource, String regenerate, Clock clock, String origin) {
    if (certificates.size() != 1) {
      throw new CaConfigurationException(certSource + " holds " + certificates.size() + " certificates; the stored root is one");
    }
    X509Certificate certificate = certificates.get(0);
    CaChecks.keyMatches(key, keySource, certificate, certSource);
    CaChecks.isCa(certificate, certSource);
    try {
      CaChecks.currentlyValid(certificate, clock.instant(), certSource);
    } catch (CaConfigurationException e) {
      throw new CaConfigurationException(e.getMessage() + ". Rotate the root: plug in a new CA with sluice.ca.cert-file "
          + "and sluice.ca.key-file, or " + regenerate + " (every proxy then needs the new trust bundle)");
    }
    String expected = "spiffe://" + properties.trustDomain();
    if (!uriSans(certificate).contains(expected)) {
      log.warn("the stored CA root {} names {} but sluice.ca.trust-domain is {}; certificates are issued for {}",
          certSource, uriSans(certificate), properties.trustDomain(), properties.trustDomain());
    }
    return new CaRoot(certificate, key, List.of(), origin);
  }

  private static void store(CaRoot root, Path folder, Path certFile, Path keyFile) {
    try {
      boolean posix = SecretFiles.ownerOnlyFolder(folder);
      if (!posix) {
        log.warn("{} has no POSIX permissions; protect the CA key {} with the file system's own access control", folder, keyFile);
      }
      Path keyTemp = SecretFiles.writeTemp(folder, ascii(Pem.privateKey(root.signingKey())),
          posix ? SecretFiles.OWNER_ONLY_FILE : null);
      Path certTemp = SecretFiles.writeTemp(folder, ascii(Pem.certificates(List.of(root.signingCertificate()))),
          posix ? SecretFiles.PUBLIC_FILE : null);
      Files.move(keyTemp, keyFile, StandardCopyOption.ATOMIC_MOVE);
      Files.move(certTemp, certFile, StandardCopyOption.ATOMIC_MOVE);
      SecretFiles.syncFolder(folder);
    } catch (IOException e) {
      throw new CaConfigurationException("cannot store the generated CA root in " + folder + " (" + e + "); "
          + "check sluice.store.path", e);
    }
  }

  private static byte[] ascii(String pem) {
    return pem.getBytes(StandardCharsets.US_ASCII);
  }


  static List<String> uriSans(X509Certificate certificate) {
    try {
      var names = certificate.getSubjectAlternativeNames();
      return names == null ? List.of()
          : names.stream().filter(n -> (Integer) n.get(0) == GeneralName.uniformResourceIdentifier)
              .map(n -> (String) n.get(1)).toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }
}
