/**
 * The injection itself, pure: {@link dev.sluice.injector.inject.Injector#review} takes an
 * AdmissionReview and returns the AdmissionReview to answer, with a JSON Patch (RFC 6902) that adds
 * the sidecar, or no patch, or a denial. No I/O, no clock, no Spring; the same input gives the same
 * bytes. What is injected is described in {@link dev.sluice.injector.inject.InjectionTemplate}.
 */
package dev.sluice.injector.inject;
