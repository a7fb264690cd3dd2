package dev.sluice.conformance;

import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.logback.LogbackLoggingSystem;

/**
 * Spring Boot's Logback logging system, one application at a time. These tests start several
 * Spring applications in one JVM, sometimes at once (two control plane replicas racing for the CA
 * Secret); they share Logback's one logger context, and two initializations interleaved can leave
 * one without its environment ("Unable to find Spring Environment in logger context", seen in
 * KubernetesCaSecretTest). Chosen for the test JVMs by the system property
 * {@code org.springframework.boot.logging.LoggingSystem} (conformance-tests/pom.xml).
 */
public class SerialLogbackLoggingSystem extends LogbackLoggingSystem {
  private static final Object LOCK = new Object();

  public SerialLogbackLoggingSystem(ClassLoader classLoader) {
    super(classLoader);
  }

  @Override
  public void beforeInitialize() {
    synchronized (LOCK) {
      super.beforeInitialize();
    }
  }

  @Override
  public void initialize(LoggingInitializationContext context, String configLocation, LogFile logFile) {
    synchronized (LOCK) {
      super.initialize(context, configLocation, logFile);
    }
  }

  @Override
  public void cleanUp() {
    synchronized (LOCK) {
      super.cleanUp();
    }
  }
}
