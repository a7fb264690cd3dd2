package dev.sluice.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The retry conditions a ModelRoute may name, spelled as in Envoy's {@code retry_on} (HTTP
 * conditions) and {@code x-envoy-retry-grpc-on} (gRPC status names).
 */
public enum RetryCondition {
  SERVER_ERROR("5xx", false),
  GATEWAY_ERROR("gateway-error", false),
  RESET("reset", false),
  CONNECT_FAILURE("connect-failure", false),
  RETRIABLE_4XX("retriable-4xx", false),
  REFUSED_STREAM("refused-stream", false),
  CANCELLED("cancelled", true),
  DEADLINE_EXCEEDED("deadline-exceeded", true),
  INTERNAL("internal", true),
  RESOURCE_EXHAUSTED("resource-exhausted", true),
  UNAVAILABLE("unavailable", true);

  private final String wireName;
  private final boolean grpcStatus;

  RetryCondition(String wireName, boolean grpcStatus) {
    this.wireName = wireName;
    this.grpcStatus = grpcStatus;
  }

  /** The spelling in documents and in Envoy's configuration. */
  public String wireName() {
    return wireName;
  }

  /** True for gRPC status conditions, which gRPC clients apply too. */
  public boolean isGrpcStatus() {
    return grpcStatus;
  }

  public static Optional<RetryCondition> fromWireName(String name) {
    return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
  }
}
