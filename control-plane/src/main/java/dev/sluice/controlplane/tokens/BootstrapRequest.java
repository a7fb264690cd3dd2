package dev.sluice.controlplane.tokens;

import dev.sluice.controlplane.api.ApiException;
import dev.sluice.model.Durations;
import dev.sluice.model.FieldError;
import dev.sluice.model.NameRules;
import dev.sluice.translate.ProxyRole;
import dev.sluice.translate.SidecarPorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of {@code POST /api/v1/namespaces/{ns}/bootstrap}, checked field by field.
 *
 * @param serviceAccount the identity's service account (DNS-1123 subdomain)
 * @param nodeId the node id the proxy will use; pinned to the token
 * @param role the proxy's role: {@code gateway}, or {@code sidecar} for an Envoy next to an app
 *     outside Kubernetes (in Kubernetes the injector bootstraps sidecars with projected tokens)
 * @param listenerPort the gateway's listener port, or null for the default
 * @param inboundPorts a sidecar's app ports, which its inbound listener takes; empty for gateways
 * @param ttl how long the token holds
 * @param adminPort Envoy's admin port on 127.0.0.1
 */
record BootstrapRequest(String serviceAccount, String nodeId, ProxyRole role, Integer listenerPort,
    List<Integer> inboundPorts, Duration ttl, int adminPort) {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> FIELDS = Set.of("serviceAccount", "nodeId", "role", "listenerPort", "inboundPorts", "ttl",
      "adminPort");

  static BootstrapRequest parse(String body, TokenProperties properties) {
    JsonNode root;
    try {
      root = JSON.readTree(body == null ? "" : body);
    } catch (JacksonException e) {
      throw ApiException.of(HttpStatus.BAD_REQUEST, "body", "is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.of(HttpStatus.BAD_REQUEST, "body", "must be a JSON object");
    }
    List<FieldError> errors = new ArrayList<>();
    root.propertyNames().forEach(name -> {
      if (!FIELDS.contains(name)) {
        errors.add(new FieldError(name, "is not a field; expected one of " + new java.util.TreeSet<>(FIELDS)));
      }
    });
    String serviceAccount = text(root, "serviceAccount", errors);
    if (serviceAccount == null) {
      errors.add(new FieldError("serviceAccount", "is required"));
    } else if (!NameRules.isDns1123Subdomain(serviceAccount)) {
      errors.add(new FieldError("serviceAccount", "must be a DNS-1123 subdomain (lowercase letters, digits, '-', '.')"));
    }
    String nodeId = text(root, "nodeId", errors);
    if (nodeId == null) {
      errors.add(new FieldError("nodeId", "is required"));
    } else if (nodeId.length() > 253 || !nodeId.matches("[A-Za-z0-9][A-Za-z0-9._:~-]*")) {
      errors.add(new FieldError("nodeId", "must be 1-253 characters: letters, digits, '.', '_', ':', '~', '-'"));
    }
    String roleName = Optional.ofNullable(text(root, "role", errors)).orElse(ProxyRole.GATEWAY.wireName());
    ProxyRole role = ProxyRole.fromWireName(roleName).filter(r -> r != ProxyRole.PROXYLESS).orElse(null);
    if (role == null) {
      errors.add(new FieldError("role", "'" + roleName + "' cannot be bootstrapped here; use gateway or sidecar"));
    }
    Integer listenerPort = port(root, "listenerPort", errors);
    if (listenerPort != null && role == ProxyRole.SIDECAR) {
      errors.add(new FieldError("listenerPort", "is for gateways; a sidecar listens on 15001 and 15006"));
    }
    List<Integer> inboundPorts = inboundPorts(root, role, errors);
    Integer adminPort = port(root, "adminPort", errors);
    Duration ttl = properties.defaultTtl();
    String ttlText = text(root, "ttl", errors);
    if (ttlText != null) {
      ttl = Durations.parse(ttlText).orElse(null);
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        errors.add(new FieldError("ttl", "must be a positive duration such as 24h or 30m"));
      } else if (ttl.compareTo(properties.maxTtl()) > 0) {
        errors.add(new FieldError("ttl", "must be at most " + properties.maxTtl().toHours() + "h (sluice.tokens.max-ttl)"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "the bootstrap request is invalid", errors);
    }
    return new BootstrapRequest(serviceAccount, nodeId, role, listenerPort, inboundPorts, ttl,
        adminPort == null ? 9901 : adminPort);
  }

  private static String text(JsonNode root, String field, List<FieldError> errors) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      errors.add(new FieldError(field, "must be a string"));
      return null;
    }
    return v.asString();
  }

  private static List<Integer> inboundPorts(JsonNode root, ProxyRole role, List<FieldError> errors) {
    JsonNode v = root.get("inboundPorts");
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (role != ProxyRole.SIDECAR) {
      errors.add(new FieldError("inboundPorts", "is for sidecars"));
      return List.of();
    }
    if (!v.isArray()) {
      errors.add(new FieldError("inboundPorts", "must be a list of ports"));
      return List.of();
    }
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode p = v.get(i);
      if (!p.isIntegralNumber() || p.asLong() < 1 || p.asLong() > 65535) {
        errors.add(new FieldError("inboundPorts[" + i + "]", "must be a port from 1 to 65535"));
      } else if (SidecarPorts.RESERVED.contains(p.asInt())) {
        errors.add(new FieldError("inboundPorts[" + i + "]", "is the sidecar's own port (" + SidecarPorts.RESERVED + ")"));
      } else {
        ports.add(p.asInt());
      }
    }
    return List.copyOf(new java.util.TreeSet<>(ports));
  }

  private static Integer port(JsonNode root, String field, List<FieldError> errors) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 65535) {
      errors.add(new FieldError(field, "must be a port from 1 to 65535"));
      return null;
    }
    return v.asInt();
  }
}
