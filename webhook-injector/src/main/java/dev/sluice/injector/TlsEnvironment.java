package dev.sluice.injector;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code sluice.injector.tls.*} into Spring Boot's SSL bundle {@code sluice-injector} (PEM,
 * {@code reload-on-update: true}) served on {@code server.port}. Done here rather than in
 * application.yaml because a bundle is loaded at start whether used or not: with
 * {@code sluice.injector.tls.enabled=false} (tests only) no bundle is declared and the port is plain
 * HTTP. With TLS on, both files are required.
 */
class TlsEnvironment implements EnvironmentPostProcessor, Ordered {
  static final String BUNDLE = "sluice-injector";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (!application.getAllSources().contains(InjectorApplication.class)) {
      return; // another application in the same JVM (the control plane, in tests)
    }
    Map<String, Object> props = new LinkedHashMap<>();
    if (!env.getProperty("sluice.injector.tls.enabled", Boolean.class, true)) {
      props.put("server.ssl.enabled", "false");
    } else {
      String cert = env.getProperty("sluice.injector.tls.cert-file");
      String key = env.getProperty("sluice.injector.tls.key-file");
      if (cert == null || cert.isBlank() || key == null || key.isBlank()) {
        throw new IllegalStateException("sluice.injector.tls.cert-file and sluice.injector.tls.key-file are "
            + "required: the API server only calls webhooks over HTTPS (set sluice.injector.tls.enabled=false "
            + "only in tests)");
      }
      String prefix = "spring.ssl.bundle.pem." + BUNDLE + ".";
      props.put(prefix + "reload-on-update", "true");
      props.put(prefix + "keystore.certificate", "file:" + cert);
      props.put(prefix + "keystore.private-key", "file:" + key);
      props.put("server.ssl.bundle", BUNDLE);
    }
    env.getPropertySources().addLast(new MapPropertySource("sluice-injector-tls", props));
  }

  @Override
  public int getOrder() {
    return ConfigDataEnvironmentPostProcessor.ORDER + 1;
  }
}
