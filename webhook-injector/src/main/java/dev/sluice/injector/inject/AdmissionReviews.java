package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * AdmissionReview v1 ({@code admission.k8s.io/v1}) in and out. A review that cannot be read is not an
 * HTTP error: it is answered with {@code allowed: false}, status 400 and what was wrong, echoing the
 * uid when one could be read, so the API server reports the reason to whoever created the pod.
 */
final class AdmissionReviews {
  static final String API_VERSION = "admission.k8s.io/v1";

  private AdmissionReviews() {}

  /** A request to act on, or why there is none; exactly one of {@code pod} and {@code error} is set. */
  record Request(String uid, String operation, PodView pod, String error) {}

  static Request parse(byte[] body) {
    JsonNode review;
    try {
      review = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      return malformed(null, "the body is not JSON: " + firstLine(e.getMessage()));
    }
    if (review == null || !review.isObject()) {
      return malformed(null, "the body is not a JSON object");
    }
    JsonNode request = review.get("request");
    String uid = request != null && request.path("uid").isTextual() ? request.path("uid").asText() : null;
    String apiVersion = review.path("apiVersion").asText("");
    if (!apiVersion.equals(API_VERSION) || !review.path("kind").asText("").equals("AdmissionReview")) {
      return malformed(uid, "expected an AdmissionReview of apiVersion " + API_VERSION + ", got kind '"
          + review.path("kind").asText("") + "' apiVersion '" + apiVersion + "'");
    }
    if (request == null || !request.isObject()) {
      return malformed(null, "the AdmissionReview has no request");
    }
    if (uid == null || uid.isEmpty()) {
      return malformed(null, "the AdmissionReview's request has no uid");
    }
    JsonNode kind = request.path("kind");
    if (!kind.path("group").asText("").isEmpty() || !kind.path("version").asText("").equals("v1")
        || !kind.path("kind").asText("").equals("Pod")) {
      return malformed(uid, "request.kind is not a v1 Pod: " + Json.write(kind));
    }
    JsonNode object = request.get("object");
    if (object == null || !object.isObject()) {
      return malformed(uid, "request.object is missing");
    }
    if (object.has("kind") && !object.path("kind").asText("").equals("Pod")) {
      return malformed(uid, "request.object is a " + object.path("kind").asText() + ", not a Pod");
    }
    String namespace = request.path("namespace").asText("");
    if (namespace.isEmpty()) {
      namespace = object.path("metadata").path("namespace").asText("default");
    }
    return new Request(uid, request.path("operation").asText(""), new PodView(object, namespace), null);
  }

  static ObjectNode allowed(String uid) {
    return review(uid, true);
  }

  static ObjectNode patched(String uid, ArrayNode patch) {
    ObjectNode review = review(uid, true);
    byte[] bytes = Json.write(patch).getBytes(StandardCharsets.UTF_8);
    ((ObjectNode) review.get("response")).put("patchType", "JSONPatch")
        .put("patch", Base64.getEncoder().encodeToString(bytes));
    return review;
  }

  static ObjectNode denied(String uid, int code, String message) {
    ObjectNode review = review(uid, false);
    ((ObjectNode) review.get("response")).putObject("status").put("code", code).put("message", message);
    return review;
  }

  private static ObjectNode review(String uid, boolean allowed) {
    ObjectNode review = Json.object().put("apiVersion", API_VERSION).put("kind", "AdmissionReview");
    review.putObject("response").put("uid", uid == null ? "" : uid).put("allowed", allowed);
    return review;
  }

  private static Request malformed(String uid, String error) {
    return new Request(uid, null, null, error);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
