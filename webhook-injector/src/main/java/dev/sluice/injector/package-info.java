/**
 * Sluice's sidecar injector: a Kubernetes mutating admission webhook that adds a stock Envoy sidecar
 * (and, in capture mode {@code iptables}, an init container that redirects the pod's traffic) to pods
 * as they are created.
 *
 * <p><b>Why a separate application, not part of the control plane.</b> Pod admission must stay up
 * and fast whatever load xDS publishing puts on the control plane. With {@code failurePolicy: Fail} a
 * webhook outage blocks every pod creation in the opted-in namespaces, so the webhook must not share
 * a JVM, heap or garbage collector with the xDS server; it scales and fails on its own. It needs no
 * store, no CA key and no Envoy protos, so this module depends on Spring Boot (web, actuator),
 * Jackson and fabric8's Kubernetes model only, never on {@code translators} or {@code control-plane}.
 *
 * <p>Layout: {@code inject} is the pure injection logic (AdmissionReview in, AdmissionReview out; no
 * I/O, no Spring); {@code webhook} renders the recommended MutatingWebhookConfiguration; this
 * package holds the Spring application around them: settings, the HTTPS endpoint, the trust bundle
 * file and the serving certificate.
 */
package dev.sluice.injector;
