package dev.sluice.controlplane.xds;

import dev.sluice.translate.EndpointSource;
import java.util.List;

/**
 * The servers of versions that name a selector or Service instead of endpoints, and word when they
 * change. In Kubernetes mode they come from EndpointSlices; elsewhere there are none (standalone
 * mode refuses such versions at write time).
 */
public interface EndpointDiscovery extends EndpointSource {

  /** Called (on any thread) after the servers of some version may have changed. */
  void onChange(Runnable listener);

  EndpointDiscovery NONE = new EndpointDiscovery() {
    @Override
    public List<Member> members(dev.sluice.model.ModelRoute route, dev.sluice.model.ModelVersion version) {
      return List.of();
    }

    @Override
    public void onChange(Runnable listener) {}
  };
}
