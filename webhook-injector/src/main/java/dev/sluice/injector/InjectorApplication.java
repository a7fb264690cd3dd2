package dev.sluice.injector;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The sidecar injector, a Spring Boot application of its own (see the package documentation for why
 * it does not run inside the control plane): {@code POST /inject} over HTTPS on {@code server.port}
 * (9443), actuator health on the plain-HTTP management port (9444) for the kubelet's probes.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class InjectorApplication {
  public static void main(String[] args) {
    SpringApplication.run(InjectorApplication.class, args);
  }
}
