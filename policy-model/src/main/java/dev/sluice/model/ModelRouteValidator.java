package dev.sluice.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one ModelRoute on its own (cross-route rules, such as two routes claiming one host, belong
 * to whoever holds the set). Every problem of the document is returned at once, each with its field
 * path; an empty list means valid.
 */
public final class ModelRouteValidator {
  static final int MAX_RETRY_ATTEMPTS = 10;

  private ModelRouteValidator() {}

  public static List<FieldError> validate(ModelRoute route) {
    List<FieldError> errors = new ArrayList<>();
    if (route.apiVersion() != null && !ModelRoute.API_VERSION.equals(route.apiVersion())) {
      errors.add(new FieldError("apiVersion", "must be " + ModelRoute.API_VERSION));
    }
    if (route.kind() != null && !ModelRoute.KIND.equals(route.kind())) {
      errors.add(new FieldError("kind", "must be " + ModelRoute.KIND));
    }
    metadata(route.metadata(), errors);
    if (route.spec() == null) {
      errors.add(new FieldError("spec", "is required"));
    } else {
      spec(route.spec(), errors);
    }
    return List.copyOf(errors);
  }

  private static void metadata(Metadata metadata, List<FieldError> errors) {
    if (metadata == null) {
      errors.add(new FieldError("metadata", "is required"));
      return;
    }
    if (metadata.name() == null || metadata.name().isEmpty()) {
      errors.add(new FieldError("metadata.name", "is required"));
    } else if (!NameRules.isDns1123Label(metadata.name())) {
      errors.add(new FieldError("metadata.name", dns1123("'" + metadata.name() + "'")));
    }
    if (metadata.namespace() != null && !NameRules.isDns1123Label(metadata.namespace())) {
      errors.add(new FieldError("metadata.namespace", dns1123("'" + metadata.namespace() + "'")));
    }
    for (Map.Entry<String, String> label : metadata.labels().entrySet()) {
      String path = "metadata.labels[" + label.getKey() + "]";
      if (!NameRules.isLabelKey(label.getKey())) {
        errors.add(new FieldError(path, "is not a valid label key"));
      }
      if (!NameRules.isLabelValue(label.getValue())) {
        errors.add(new FieldError(path, "is not a valid label value (at most 63 alphanumerics, '-', '_' or '.')"));
      }
    }
  }

  private static void spec(ModelRouteSpec spec, List<FieldError> errors) {
    hosts(spec.hosts(), errors);
    if (spec.port() == null) {
      errors.add(new FieldError("spec.port", "is required"));
    } else if (spec.port() < 1 || spec.port() > 65535) {
      errors.add(new FieldError("spec.port", "must be between 1 and 65535, was " + spec.port()));
    }
    versions(spec.versions(), errors);
    duration("spec.timeout", spec.timeout(), errors);
    if (spec.retries() != null) {
      retries(spec.retries(), errors);
    }
  }

  private static void hosts(List<String> hosts, List<FieldError> errors) {
    if (hosts == null || hosts.isEmpty()) {
      errors.add(new FieldError("spec.hosts", "must name at least one host"));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i);
      String path = "spec.hosts[" + i + "]";
      if (!NameRules.isDns1123Subdomain(host)) {
        errors.add(new FieldError(path, "'" + host + "' is not a valid host name (lower-case DNS-1123 subdomain)"));
      } else if (!seen.add(host)) {
        errors.add(new FieldError(path, "'" + host + "' is listed twice"));
      }
    }
  }

  private static void versions(List<ModelVersion> versions, List<FieldError> errors) {
    if (versions == null || versions.isEmpty()) {
      errors.add(new FieldError("spec.versions", "must list at least one version"));
      return;
    }
    Set<String> names = new HashSet<>();
    int sum = 0;
    boolean allWeighted = true;
    for (int i = 0; i < versions.size(); i++) {
      String path = "spec.versions[" + i + "]";
      ModelVersion version = versions.get(i);
      if (version == null) {
        errors.add(new FieldError(path, "must not be null"));
        allWeighted = false;
        continue;
      }
      if (version.name() == null || version.name().isEmpty()) {
        errors.add(new FieldError(path + ".name", "is required"));
      } else if (!NameRules.isDns1123Label(version.name())) {
        errors.add(new FieldError(path + ".name", dns1123("'" + version.name() + "'")));
      } else if (!names.add(version.name())) {
        errors.add(new FieldError(path + ".name", "'" + version.name() + "' is used by another version"));
      }
      if (version.weight() == null) {
        errors.add(new FieldError(path + ".weight", "is required"));
        allWeighted = false;
      } else if (version.weight() < 0 || version.weight() > 100) {
        errors.add(new FieldError(path + ".weight", "must be between 0 and 100, was " + version.weight()));
        allWeighted = false;
      } else {
        sum += version.weight();
      }
      endpoints(path + ".endpoints", version.endpoints(), errors);
    }
    if (allWeighted && sum != 100) {
      errors.add(new FieldError("spec.versions", "weights must sum to 100, they sum to " + sum));
    }
  }

  private static void endpoints(String path, List<String> endpoints, List<FieldError> errors) {
    if (endpoints == null || endpoints.isEmpty()) {
      errors.add(new FieldError(path, "must list at least one endpoint"));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      String endpoint = endpoints.get(i);
      if (Endpoints.parse(endpoint).isEmpty()) {
        errors.add(new FieldError(path + "[" + i + "]",
            "'" + endpoint + "' is not an address in ip:port form with a port from 1 to 65535"));
      } else if (!seen.add(endpoint)) {
        errors.add(new FieldError(path + "[" + i + "]", "'" + endpoint + "' is listed twice"));
      }
    }
  }

  private static void retries(RetryPolicy retries, List<FieldError> errors) {
    if (retries.attempts() == null) {
      errors.add(new FieldError("spec.retries.attempts", "is required"));
    } else if (retries.attempts() < 0 || retries.attempts() > MAX_RETRY_ATTEMPTS) {
      errors.add(new FieldError("spec.retries.attempts",
          "must be between 0 and " + MAX_RETRY_ATTEMPTS + ", was " + retries.attempts()));
    }
    duration("spec.retries.perTryTimeout", retries.perTryTimeout(), errors);
    if (retries.on() == null || retries.on().isEmpty()) {
      errors.add(new FieldError("spec.retries.on", "must name at least one retry condition"));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < retries.on().size(); i++) {
      String condition = retries.on().get(i);
      String path = "spec.retries.on[" + i + "]";
      if (RetryCondition.fromWireName(condition).isEmpty()) {
        errors.add(new FieldError(path, "'" + condition + "' is not a retry condition; use one of "
            + String.join(", ", java.util.Arrays.stream(RetryCondition.values()).map(RetryCondition::wireName).toList())));
      } else if (!seen.add(condition)) {
        errors.add(new FieldError(path, "'" + condition + "' is listed twice"));
      }
    }
  }

  private static void duration(String path, String value, List<FieldError> errors) {
    if (value == null) {
      return;
    }
    Optional<Duration> parsed = Durations.parse(value);
    if (parsed.isEmpty()) {
      errors.add(new FieldError(path, "'" + value + "' is not a duration such as 500ms, 2s, 1m or 24h"));
    } else if (parsed.get().isZero()) {
      errors.add(new FieldError(path, "must be greater than zero"));
    }
  }

  private static String dns1123(String value) {
    return value + " is not a DNS-1123 label (lower-case letters, digits and '-', at most 63, "
        + "starting and ending with a letter or digit)";
  }
}
