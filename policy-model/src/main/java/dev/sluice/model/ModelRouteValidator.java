package dev.sluice.model;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one ModelRoute on its own (cross-route rules, such as two routes claiming one host, belong
 * to whoever holds the set). Every problem of the document is returned at once, each with its field
 * path; an empty list means valid.
 */
public final class ModelRouteValidator {

  private ModelRouteValidator() {}

  public static List<FieldError> validate(ModelRoute route) {
    Checks checks = new Checks();
    if (route.apiVersion() != null && !ModelRoute.API_VERSION.equals(route.apiVersion())) {
      checks.add("apiVersion", "must be " + ModelRoute.API_VERSION);
    }
    if (route.kind() != null && !ModelRoute.KIND.equals(route.kind())) {
      checks.add("kind", "must be " + ModelRoute.KIND);
    }
    metadata(route.metadata(), checks);
    if (route.spec() == null) {
      checks.add("spec", "is required");
    } else {
      spec(route.spec(), checks);
    }
    return checks.errors();
  }

  private static void metadata(Metadata metadata, Checks checks) {
    if (metadata == null) {
      checks.add("metadata", "is required");
      return;
    }
    if (metadata.name() == null || metadata.name().isEmpty()) {
      checks.add("metadata.name", "is required");
    } else if (!NameRules.isDns1123Label(metadata.name())) {
      checks.add("metadata.name", dns1123("'" + metadata.name() + "'"));
    }
    if (metadata.namespace() != null && !NameRules.isDns1123Label(metadata.namespace())) {
      checks.add("metadata.namespace", dns1123("'" + metadata.namespace() + "'"));
    }
    for (Map.Entry<String, String> label : metadata.labels().entrySet()) {
      String path = "metadata.labels[" + label.getKey() + "]";
      if (!NameRules.isLabelKey(label.getKey())) {
        checks.add(path, "is not a valid label key");
      }
      if (!NameRules.isLabelValue(label.getValue())) {
        checks.add(path, "is not a valid label value (at most 63 alphanumerics, '-', '_' or '.')");
      }
    }
  }

  private static void spec(ModelRouteSpec spec, Checks checks) {
    hosts(spec.hosts(), checks);
    if (spec.port() == null) {
      checks.add("spec.port", "is required");
    } else if (spec.port() < 1 || spec.port() > 65535) {
      checks.add("spec.port", "must be between 1 and 65535, was " + spec.port());
    }
    Set<String> versions = versions(spec.versions(), spec.service(), checks);
    RoutingChecks.rules(spec.rules(), versions, checks);
    RoutingChecks.sticky(spec.sticky(), checks);
    RoutingChecks.mirror(spec.mirror(), versions, checks);
    checks.duration("spec.timeout", spec.timeout());
    ResilienceChecks.retries(spec.retries(), checks);
    ResilienceChecks.circuitBreaker(spec.circuitBreaker(), checks);
    ResilienceChecks.outlierDetection(spec.outlierDetection(), checks);
    ResilienceChecks.fault(spec.fault(), checks);
    SecurityChecks.tls(spec.tls(), checks);
    ObservabilityChecks.tracing(spec.tracing(), checks);
    KubernetesChecks.spec(spec, checks);
    RolloutChecks.rollout(spec, checks);
  }

  private static void hosts(List<String> hosts, Checks checks) {
    if (hosts == null || hosts.isEmpty()) {
      checks.add("spec.hosts", hosts == null ? "is required: name at least one host" : "must name at least one host");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i);
      String path = "spec.hosts[" + i + "]";
      if (!NameRules.isDns1123Subdomain(host)) {
        checks.add(path, "'" + host + "' is not a valid host name (lower-case DNS-1123 subdomain)");
      } else if (!seen.add(host)) {
        checks.add(path, "'" + host + "' is listed twice");
      }
    }
  }

  private static Set<String> versions(List<ModelVersion> versions, String specService, Checks checks) {
    if (versions == null || versions.isEmpty()) {
      checks.add("spec.versions",
          versions == null ? "is required: list at least one version" : "must list at least one version");
      return Set.of();
    }
    Set<String> names = new HashSet<>();
    int sum = 0;
    boolean allWeighted = true;
    for (int i = 0; i < versions.size(); i++) {
      String path = "spec.versions[" + i + "]";
      ModelVersion version = versions.get(i);
      if (version == null) {
        checks.add(path, "must not be null");
        allWeighted = false;
        continue;
      }
      if (version.name() == null || version.name().isEmpty()) {
        checks.add(path + ".name", "is required");
      } else if (!NameRules.isDns1123Label(version.name())) {
        checks.add(path + ".name", dns1123("'" + version.name() + "'"));
      } else if (!names.add(version.name())) {
        checks.add(path + ".name", "'" + version.name() + "' is used by another version");
      }
      if (version.weight() == null) {
        checks.add(path + ".weight", "is required");
        allWeighted = false;
      } else if (version.weight() < 0 || version.weight() > 100) {
        checks.add(path + ".weight", "must be between 0 and 100, was " + version.weight());
        allWeighted = false;
      } else {
        sum += version.weight();
      }
      if (version.fromKubernetes()) {
        KubernetesChecks.version(path, version, specService, checks);
      } else {
        endpoints(path + ".endpoints", version.endpoints(), checks);
      }
      SecurityChecks.serviceAccount(path + ".serviceAccount", version.serviceAccount(), checks);
    }
    if (allWeighted && sum != 100) {
      checks.add("spec.versions", "weights must sum to 100, they sum to " + sum);
    }
    return names;
  }

  private static void endpoints(String path, List<String> endpoints, Checks checks) {
    if (endpoints == null || endpoints.isEmpty()) {
      checks.add(path, "must list at least one endpoint");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      String endpoint = endpoints.get(i);
      if (Endpoints.parse(endpoint).isEmpty()) {
        checks.add(path + "[" + i + "]",
            "'" + endpoint + "' is not an address in ip:port form with a port from 1 to 65535");
      } else if (!seen.add(endpoint)) {
        checks.add(path + "[" + i + "]", "'" + endpoint + "' is listed twice");
      }
    }
  }

  private static String dns1123(String value) {
    return value + " is not a DNS-1123 label (lower-case letters, digits and '-', at most 63, "
        + "starting and ending with a letter or digit)";
  }
}
