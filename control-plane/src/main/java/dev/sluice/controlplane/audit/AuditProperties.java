package dev.sluice.controlplane.audit;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit log.
 *
 * @param file when set, audit lines go to this file only, one JSON object per line with nothing
 *     around it (appended; parent folders are created); when unset, they go wherever the
 *     application log goes, as the messages of the logger {@code sluice.audit}
 */
@ConfigurationProperties("sluice.audit")
public record AuditProperties(Path file) {}
