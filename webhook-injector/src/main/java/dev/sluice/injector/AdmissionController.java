package dev.sluice.injector;

import dev.sluice.injector.inject.Injector;
import dev.sluice.injector.inject.Json;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /inject}: AdmissionReview v1 in, AdmissionReview v1 out, always HTTP 200 (a review the
 * injector cannot read is denied inside the review, so the API server shows the reason). The body is
 * read as bytes and parsed by the injector itself, not by Spring's converters. One INFO line per
 * admission: pod, decision, reason.
 */
@RestController
class AdmissionController {
  private static final Logger log = LoggerFactory.getLogger("sluice.injector.admission");
  private final Injector injector;
  private final TrustBundleFile trustBundle;

  AdmissionController(Injector injector, TrustBundleFile trustBundle) {
    this.injector = injector;
    this.trustBundle = trustBundle;
  }

  @PostMapping(path = "/inject", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<byte[]> inject(@RequestBody(required = false) byte[] body) {
    Injector.Outcome outcome = injector.review(body == null ? new byte[0] : body, trustBundle);
    log.info("admission {} {}: {}", outcome.subject(), outcome.decision(), outcome.reason());
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
        .body(Json.write(outcome.response()).getBytes(StandardCharsets.UTF_8));
  }
}
