package dev.sluice.benchmarks.load;

import com.google.protobuf.Message;
import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.TranslatorSettings;
import dev.sluice.translate.XdsResources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway configuration the floors serve, before and after the B1 change: Sluice's own
 * translation of the workload, with Sluice's default settings, so that the floors send the same
 * resources Sluice does and only the serving differs.
 */
record FloorConfig(XdsResources before, XdsResources after) {
  static final List<String> TYPES = List.of(SimulatedProxy.CDS, SimulatedProxy.EDS, SimulatedProxy.LDS, SimulatedProxy.RDS);

  static FloorConfig of(Workload workload) {
    EnvoyTranslator translator = EnvoyTranslator.of(new TranslatorSettings(CaProperties.defaults().trustDomain(), null));
    return new FloorConfig(translator.translateAll(workload.parsed(false), ProxyGroup.DEFAULT_GATEWAY).resources(),
        translator.translateAll(workload.parsed(true), ProxyGroup.DEFAULT_GATEWAY).resources());
  }

  /** One state's resources of a type, by name, in order. */
  static Map<String, Message> byName(XdsResources r, String typeUrl) {
    Map<String, Message> out = new LinkedHashMap<>();
    switch (typeUrl) {
      case SimulatedProxy.CDS -> r.clusters().forEach(c -> out.put(c.getName(), c));
      case SimulatedProxy.EDS -> r.endpoints().forEach(e -> out.put(e.getClusterName(), e));
      case SimulatedProxy.LDS -> r.listeners().forEach(l -> out.put(l.getName(), l));
      case SimulatedProxy.RDS -> r.routes().forEach(rc -> out.put(rc.getName(), rc));
      default -> throw new IllegalArgumentException(typeUrl);
    }
    return out;
  }
}
