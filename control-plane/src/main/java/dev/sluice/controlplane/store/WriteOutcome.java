package dev.sluice.controlplane.store;

import dev.sluice.model.ModelRoute;

/**
 * What a write did.
 *
 * @param route the route as stored now
 * @param changed false when the write was identical to what was stored
 * @param created true when the route did not exist before
 * @param previous the route as stored before the write, or null when it did not exist
 */
public record WriteOutcome(ModelRoute route, boolean changed, boolean created, ModelRoute previous) {}
