package dev.sluice.controlplane.audit;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes audit lines: one JSON object per line on the logger {@value #LOGGER}, every field always
 * present (null where it does not apply), so that a reader needs no per-action schema. Built from
 * an {@link AuditEntry}, which holds claims and ids but never a token or key.
 */
final class AuditLog {
  static final String LOGGER = "sluice.audit";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AuditLog() {}

  /** One finished request. */
  record Line(Instant time, String remoteAddress, String principal, String action, String result, int status,
      AuditEntry entry) {}

  static void write(Line line) {
    if (log.isInfoEnabled()) {
      log.info(JSON.writeValueAsString(json(line)));
    }
  }

  static ObjectNode json(Line line) {
    AuditEntry e = line.entry();
    ObjectNode root = JSON.createObjectNode();
    root.put("time", line.time().toString());
    root.putObject("actor").put("remoteAddress", line.remoteAddress()).put("principal", line.principal());
    root.put("action", line.action());
    ObjectNode resource = root.putObject("resource");
    resource.put("kind", e.write.kind());
    resource.put("namespace", e.namespace);
    if (e.write.kind().equals(AuditedWrites.BOOTSTRAP_TOKEN)) {
      resource.put("id", e.name);
      AuditEntry.Token t = e.token;
      resource.put("serviceAccount", t == null ? null : t.serviceAccount());
      resource.put("nodeId", t == null ? null : t.nodeId());
      resource.put("role", t == null ? null : t.role());
      resource.put("issuedAt", t == null ? null : t.issuedAt().toString());
      resource.put("expiresAt", t == null ? null : t.expiresAt().toString());
      resource.put("ttl", t == null ? null : goDuration(t.ttl()));
    } else {
      resource.put("name", e.name);
    }
    root.put("dryRun", e.dryRun);
    root.put("result", line.result());
    root.put("status", line.status());
    root.put("generationBefore", e.generationBefore);
    root.put("generationAfter", e.generationAfter);
    root.put("resourceVersionAfter", e.resourceVersionAfter);
    root.put("reason", e.reason);
    ArrayNode errors = root.putArray("errors");
    e.errors.forEach(f -> errors.addObject().put("field", f.field()).put("message", f.message()));
    return root;
  }

  /** A duration as the API writes them: {@code 720h}, {@code 90m}, {@code 45s}. */
  static String goDuration(Duration d) {
    long seconds = d.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
