package dev.sluice.controlplane.proxies;

import dev.sluice.controlplane.xds.ConnectedProxies;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /api/v1/proxies}: who is connected, and per xDS type what each acked and rejected. */
@RestController
@RequestMapping(path = "/api/v1/proxies", produces = MediaType.APPLICATION_JSON_VALUE)
final class ProxiesController {
  private final ConnectedProxies proxies;

  ProxiesController(ConnectedProxies proxies) {
    this.proxies = proxies;
  }

  @GetMapping
  Map<String, List<ConnectedProxies.Proxy>> list() {
    return Map.of("items", proxies.list());
  }

  @GetMapping("/{nodeId}")
  List<ConnectedProxies.Proxy> get(@PathVariable String nodeId) {
    List<ConnectedProxies.Proxy> streams = proxies.list().stream().filter(p -> p.nodeId().equals(nodeId)).toList();
    if (streams.isEmpty()) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no proxy with node id " + nodeId + " is connected");
    }
    return streams;
  }
}
