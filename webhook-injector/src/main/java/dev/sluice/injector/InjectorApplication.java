package dev.sluice.injector;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The sidecar injector, a Spring Boot application of its own (see the package documentation for why
 * it does not run inside the control plane): {@code POST /inject} over HTTPS on {@code server.port}
 * (9443), actuator health on the plain-HTTP management port (9444) for the kubelet's probes.
 */
// The injector has no database and no user: its only caller is the API server, over TLS. Should a
// classpath ever carry a JDBC or Spring Security stack (tests and benchmarks run it beside the control
// plane), it must not open a data source or put a login page in front of /inject.
@SpringBootApplication(excludeName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
@ConfigurationPropertiesScan
public class InjectorApplication {
  /** The config file's base name. */
  public static final String CONFIG_NAME = "sluice-injector";

  public static void main(String[] args) {
    builder().run(args);
  }

  /** The application as {@link #main} starts it; tests add their arguments to {@code run}. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(InjectorApplication.class)
        .properties(Map.of("spring.config.name", CONFIG_NAME));
  }
}
