package dev.sluice.conformance;

/** ModelRoute documents for the tests. */
final class Routes {
  private Routes() {}

  static String split(String host, int w1, String e1, int w2, String e2) {
    return """
        {"spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
          "versions": [{"name": "v1", "weight": %d, "endpoints": ["%s"]},
                       {"name": "v2", "weight": %d, "endpoints": ["%s"]}]}}
        """.formatted(host, w1, e1, w2, e2);
  }

  static String single(String host, String endpoint, String retries) {
    return """
        {"spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}]%s}}
        """.formatted(host, endpoint, retries == null ? "" : ", \"retries\": " + retries);
  }
}
