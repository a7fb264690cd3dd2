/**
 * The recommended MutatingWebhookConfiguration for the injector. Its selectors, not the injector,
 * decide whether a namespace opted in: an AdmissionReview carries no namespace labels.
 */
package dev.sluice.injector.webhook;
