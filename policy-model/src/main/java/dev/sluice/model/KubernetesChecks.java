package dev.sluice.model;

import java.util.Map;

/** Versions whose servers come from Kubernetes: a Service's EndpointSlices, filtered by pod labels. */
final class KubernetesChecks {
  private KubernetesChecks() {}

  static void spec(ModelRouteSpec spec, Checks checks) {
    service("spec.service", spec.service(), checks);
  }

  static void version(String path, ModelVersion version, String specService, Checks checks) {
    if (version.endpoints() != null) {
      checks.add(path + ".endpoints", "give either endpoints or a selector and service, not both");
    }
    service(path + ".service", version.service(), checks);
    if (version.selector() != null) {
      if (version.selector().isEmpty()) {
        checks.add(path + ".selector", "must name at least one label");
      }
      for (Map.Entry<String, String> label : version.selector().entrySet()) {
        String at = path + ".selector[" + label.getKey() + "]";
        if (!NameRules.isLabelKey(label.getKey())) {
          checks.add(at, "is not a valid label key");
        }
        if (!NameRules.isLabelValue(label.getValue())) {
          checks.add(at, "is not a valid label value (at most 63 alphanumerics, '-', '_' or '.')");
        }
      }
      if (version.service() == null && specService == null) {
        checks.add(path + ".selector", "needs a Service whose EndpointSlices hold the pods: set " + path
            + ".service or spec.service");
      }
    }
  }

  private static void service(String path, String service, Checks checks) {
    if (service != null && !NameRules.isDns1123Label(service)) {
      checks.add(path, "'" + service + "' is not a Service name (a DNS-1123 label: lower-case letters, digits"
          + " and '-', at most 63, starting and ending with a letter or digit)");
    }
  }
}
