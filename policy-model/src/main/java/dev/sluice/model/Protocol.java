package dev.sluice.model;

/** The protocol a model speaks; GRPC means HTTP/2 to the upstream servers. */
public enum Protocol {
  HTTP,
  GRPC
}
