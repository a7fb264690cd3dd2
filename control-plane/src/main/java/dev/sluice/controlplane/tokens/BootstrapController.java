package dev.sluice.controlplane.tokens;

import dev.sluice.controlplane.api.ApiException;
import dev.sluice.controlplane.audit.AuditEntry;
import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.xds.ProxyGroups;
import dev.sluice.controlplane.xds.XdsProperties;
import dev.sluice.controlplane.xds.XdsServer;
import dev.sluice.model.NameRules;
import dev.sluice.translate.EnvoyBootstrap;
import dev.sluice.translate.ProxyRole;
import dev.sluice.translate.EnvoyJson;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bootstrap tokens over REST: {@code POST /api/v1/namespaces/{ns}/bootstrap} mints a token and
 * answers with a ready Envoy bootstrap that carries it; {@code /api/v1/tokens} lists and revokes.
 * Tokens are returned once, inside the bootstrap, and never listed or logged.
 */
@RestController
@RequestMapping("/api/v1")
final class BootstrapController {
  static final String TOKEN_ID_HEADER = "Sluice-Token-Id";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private final BootstrapTokens tokens;
  private final CertificateAuthority ca;
  private final XdsServer xds;
  private final XdsProperties xdsProperties;

  BootstrapController(BootstrapTokens tokens, CertificateAuthority ca, XdsServer xds, XdsProperties xdsProperties) {
    this.tokens = tokens;
    this.ca = ca;
    this.xds = xds;
    this.xdsProperties = xdsProperties;
  }

  @PostMapping(path = "/namespaces/{namespace}/bootstrap", produces = {MediaType.APPLICATION_JSON_VALUE, "application/yaml"})
  ResponseEntity<String> bootstrap(@PathVariable String namespace, @RequestBody(required = false) String body,
      @RequestHeader(name = "Accept", required = false) String accept, HttpServletRequest request) {
    if (!NameRules.isDns1123Label(namespace)) {
      throw ApiException.of(HttpStatus.UNPROCESSABLE_CONTENT, "metadata.namespace", "must be a DNS-1123 label");
    }
    if (namespace.equals(ca.properties().serverNamespace())) {
      // Its identities include the control plane's own, which every bootstrapped Envoy trusts as Sluice.
      throw ApiException.of(HttpStatus.FORBIDDEN, "metadata.namespace",
          "'" + namespace + "' is the control plane's own namespace (sluice.ca.server-namespace); its identities cannot be bootstrapped");
    }
    BootstrapRequest r = BootstrapRequest.parse(body, tokens.properties());
    BootstrapTokens.Minted minted = tokens.mint(namespace, r.serviceAccount(), r.nodeId(), r.role(), r.ttl());
    audit(request, minted.claims());
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(ProxyGroups.ROLE, r.role().wireName());
    metadata.put("sluice.token_id", minted.claims().id());
    if (r.listenerPort() != null) {
      metadata.put(ProxyGroups.LISTENER_PORT, Integer.toString(r.listenerPort()));
    }
    if (r.role() == ProxyRole.SIDECAR) {
      metadata.put(ProxyGroups.NAMESPACE, namespace);
      metadata.put(ProxyGroups.SERVICE_ACCOUNT, r.serviceAccount());
      metadata.put(ProxyGroups.INBOUND_PORTS,
          r.inboundPorts().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
    }
    String host = xdsProperties.advertisedHost() != null ? xdsProperties.advertisedHost() : request.getServerName();
    String json = EnvoyJson.print(EnvoyBootstrap.of(new EnvoyBootstrap.Spec(r.nodeId(), namespace + "/" + r.serviceAccount(),
        metadata, host, xds.securePort(), ca.trustBundlePem(), ca.spiffeId(ca.properties().serverIdentity()), minted.token(), r.adminPort())));
    boolean yaml = accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("yaml");
    return ResponseEntity.created(URI.create("/api/v1/tokens/" + minted.claims().id()))
        .header(TOKEN_ID_HEADER, minted.claims().id())
        .contentType(yaml ? MediaType.parseMediaType("application/yaml") : MediaType.APPLICATION_JSON)
        .body(yaml ? YAML.writeValueAsString(JSON.readTree(json)) : json);
  }

  @GetMapping(path = "/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, List<TokenView>> list(@RequestParam(required = false) String namespace) {
    return Map.of("items", tokens.list(namespace).stream().map(TokenView::of).toList());
  }

  @GetMapping(path = "/tokens/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  TokenView get(@PathVariable String id) {
    return tokens.find(id).map(TokenView::of)
        .orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND, "id", "no bootstrap token " + id));
  }

  @DeleteMapping("/tokens/{id}")
  ResponseEntity<Void> revoke(@PathVariable String id, HttpServletRequest request) {
    tokens.find(id).ifPresent(row -> audit(request, row.claims()));
    if (!tokens.revoke(id)) {
      throw ApiException.of(HttpStatus.NOT_FOUND, "id", "no bootstrap token " + id);
    }
    return ResponseEntity.noContent().build();
  }

  /** What the audit line says of a token: its id and claims, never the token. */
  private static void audit(HttpServletRequest request, TokenClaims c) {
    AuditEntry.of(request).token(c.id(), c.namespace(), c.serviceAccount(), c.nodeId(), c.role(), c.issuedAt(), c.expiresAt());
  }

  /** A token as listed: what it says and whether it holds; never the token. */
  record TokenView(String id, String namespace, String serviceAccount, String nodeId, String role,
      String issuedAt, String expiresAt, String revokedAt) {
    static TokenView of(TokenStore.Row row) {
      TokenClaims c = row.claims();
      return new TokenView(c.id(), c.namespace(), c.serviceAccount(), c.nodeId(), c.role(), c.issuedAt().toString(),
          c.expiresAt().toString(), row.revokedAt() == null ? null : row.revokedAt().toString());
    }
  }
}
