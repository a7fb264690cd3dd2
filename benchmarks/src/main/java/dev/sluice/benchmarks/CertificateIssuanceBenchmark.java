package dev.sluice.benchmarks;

import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.ca.CaRoot;
import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.ca.IssuedCertificate;
import dev.sluice.controlplane.ca.WorkloadIdentity;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B5: workload certificates per second on one thread. Each issue makes a fresh P-256 key pair
 * (Envoy cannot send a CSR), builds the X.509-SVID with BouncyCastle and signs it through the JDK.
 * {@code issueForSds} also encodes what an SDS push carries: the PEM chain and the PEM key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-XX:ActiveProcessorCount=1", "-Xmx512m"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class CertificateIssuanceBenchmark {
  private final WorkloadIdentity identity = new WorkloadIdentity("ml", "fraud-scorer");
  private CertificateAuthority ca;

  @Setup
  public void setUp() {
    CaProperties properties = CaProperties.defaults();
    Clock clock = Clock.systemUTC();
    ca = new CertificateAuthority(CaRoot.generate(properties, clock), properties, clock);
  }

  @Benchmark
  public IssuedCertificate issue() {
    return ca.issue(identity);
  }

  @Benchmark
  public int issueForSds() {
    IssuedCertificate c = ca.issue(identity);
    return c.certificateChainPem().length() + c.privateKeyPem().length();
  }
}
