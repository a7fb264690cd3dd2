package dev.sluice.controlplane.security;

import dev.sluice.controlplane.store.StoreProperties;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.sluice.controlplane.ca.CertificateAuthority;
import javax.net.ssl.X509KeyManager;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The REST API's security: API tokens authenticate ({@link ApiAuthenticationFilter}), {@link ApiRules}
 * authorizes, and every refusal is problem+json. Stateless: no session, no cookie, so no CSRF.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
class SecurityConfiguration {
  private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

  /**
   * The configured tokens and those of {@code token-file}; with none at all, a standalone control
   * plane makes an admin token in {@code admin-token-file}.
   */
  @Bean
  ApiTokens apiTokens(ApiProperties properties, StoreProperties store) {
    ApiTokens tokens = ApiTokens.of(properties.tokens(), "sluice.api.tokens");
    if (properties.tokenFile() != null) {
      tokens = tokens.plus(ApiTokens.of(tokenFile(properties.tokenFile()),
          "sluice.api.token-file " + properties.tokenFile() + ": tokens"));
    }
    if (!tokens.isEmpty()) {
      log.info("REST API: {} API token(s) configured", tokens.size());
      return tokens;
    }
    if (!"sqlite".equals(store.type())) {
      log.info("REST API: no API token is configured (sluice.api.tokens or token-file): callers send Kubernetes "
          + "tokens, checked by TokenReview and authorized by SubjectAccessReview");
      return tokens;
    }
    Path file = properties.adminTokenFile() != null ? properties.adminTokenFile() : store.path().resolve("admin-token");
    SecureRandom random = new SecureRandom();
    String admin = AdminToken.loadOrCreate(file, random);
    return ApiTokens.of(List.of(new ApiProperties.Token(AdminToken.NAME, TokenHash.of(admin, random).toString(),
        List.of(new ApiProperties.GrantSpec("admin", List.of())))), "sluice.api.admin-token-file");
  }

  @Bean
  ApiCallers apiCallers(ApiTokens tokens, ObjectProvider<ExternalCallers> externalCallers) {
    return new ApiCallers(tokens, externalCallers.getIfAvailable());
  }

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, ApiCallers callers, ApiProperties properties, Clock clock,
      CertificateAuthority ca) throws Exception {
    ApiProperties.FailedAuthentications limits = properties.failedAuthentications();
    ClientCertificates certificates = properties.mtlsPort() == null ? null
        : ClientCertificates.of(properties.identities(), ca, clock);
    ApiAuthenticationFilter authentication = new ApiAuthenticationFilter(callers, certificates,
        new FailedAuthentications(limits.limit(), limits.window(), clock), properties.anonymousLoopback());
    if (properties.anonymousLoopback()) {
      log.warn("REST API: sluice.api.anonymous-loopback is on: any local process is admin without credentials");
    }
    http.csrf(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(authentication, AuthorizationFilter.class)
        .exceptionHandling(e -> e
            .authenticationEntryPoint((request, response, ex) -> ProblemResponses.unauthorized(request, response))
            .accessDeniedHandler((request, response, ex) -> ProblemResponses.forbidden(request, response)))
        .authorizeHttpRequests(a -> a
            // The error page renders a failure of a request that was already authorized.
            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
            .anyRequest().access(rules(callers)));
    return http.build();
  }

  /**
   * {@code sluice.api.mtls-port}: the REST API on a second port over HTTPS, serving the control
   * plane's own certificate (renewed in place) and asking for a client certificate, which it takes
   * from anyone ({@link ServingTlsContext}, "optionalNoCA") so that {@link ClientCertificates} checks it
   * against Sluice's CA and answers 401 rather than a failed handshake. Same address as
   * {@code server.address}.
   */
  @Bean
  @ConditionalOnProperty(prefix = "sluice.api", name = "mtls-port")
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> apiMtlsConnector(ApiProperties properties,
      @Qualifier("servingKeyManager") ObjectProvider<X509KeyManager> keyManager) {
    return factory -> {
      Connector connector = new Connector(Http11NioProtocol.class.getName());
      connector.setPort(properties.mtlsPort());
      connector.setScheme("https");
      connector.setSecure(true);
      Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();
      protocol.setSSLEnabled(true);
      if (factory.getAddress() != null) {
        protocol.setAddress(factory.getAddress());
      }
      SSLHostConfig ssl = new SSLHostConfig();
      ssl.setCertificateVerification("optionalNoCA");
      SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
      try {
        certificate.setSslContext(new ServingTlsContext(keyManager.getObject()));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("cannot make the TLS context of sluice.api.mtls-port", e);
      }
      ssl.addCertificate(certificate);
      connector.addSslHostConfig(ssl);
      factory.addAdditionalConnectors(connector);
      log.info("REST API: mutual-TLS port {} takes client certificates from Sluice's CA", properties.mtlsPort());
    };
  }

  /**
   * {@link ApiRules}: the first rule for the method and path decides; no rule, no access. A
   * Kubernetes user's access is the API server's answer (SubjectAccessReview), not grants.
   */
  private static AuthorizationManager<RequestAuthorizationContext> rules(ApiCallers callers) {
    return (authentication, context) -> {
      var request = context.getRequest();
      String path = request.getRequestURI().substring(request.getContextPath().length());
      ApiPrincipal principal = authentication.get() instanceof ApiAuthentication a ? a.getPrincipal() : null;
      boolean allowed = ApiRules.match(request.getMethod(), path)
          .map(rule -> callers.allows(principal, rule.getKey().access(), request.getMethod(), path, rule.getValue()))
          .orElse(false);
      return new AuthorizationDecision(allowed);
    };
  }

  private static List<ApiProperties.Token> tokenFile(Path file) {
    try {
      var sources = new YamlPropertySourceLoader().load("sluice.api.token-file", new FileSystemResource(file));
      return new Binder(ConfigurationPropertySources.from(sources))
          .bind("tokens", Bindable.listOf(ApiProperties.Token.class)).orElse(List.of());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sluice.api.token-file " + file, e);
    }
  }
}
