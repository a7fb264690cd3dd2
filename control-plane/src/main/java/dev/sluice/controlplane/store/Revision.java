package dev.sluice.controlplane.store;

import dev.sluice.model.ModelRoute;
import java.time.Instant;

/**
 * One stored spec of a route: a new revision is kept each time its generation changes.
 *
 * @param generation the revision number, equal to the generation it recorded
 */
public record Revision(long generation, String resourceVersion, Instant createdAt, ModelRoute route) {}
