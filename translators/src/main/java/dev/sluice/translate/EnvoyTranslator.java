package dev.sluice.translate;

import com.google.protobuf.Message;
import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteValidator;
import dev.sluice.translate.check.ProtoRules;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one entry point from ModelRoutes to Envoy resources. A pure function: no I/O, no clock, no
 * mutation of its input; the same input gives byte-identical output.
 *
 * <p>The steps: order the routes by key; drop those that fail validation or claim a host an
 * earlier route holds; compile each route on its own and drop it if its output breaks Envoy's
 * rules or references ({@link OutputCheck}); assemble what is left for the group's role, with
 * what the role shares (a gateway's listener and route configuration, the tracing collector's
 * cluster), which depends on the {@link TranslatorSettings}, and on whether a route served has a
 * rollout ({@link Measurements}).
 */
public final class EnvoyTranslator {
  /** Sluice's translator with {@link TranslatorSettings#DEFAULTS}: default trust domain, no tracing. */
  public static final EnvoyTranslator STANDARD = new EnvoyTranslator(RouteCompiler.STANDARD);

  private final RouteCompiler compiler;
  private final TracingSettings tracing;
  private final CompiledRoutes memo;
  /** The memory key of every sidecar group. */
  private static final ProxyGroup SIDECARS = ProxyGroup.sidecar(new SidecarScope("sidecars", "all", List.of()));
  private final EndpointSource endpointSource;
  private final String trustDomain;

  /** A translator with its own route compiler (tests break output on purpose with one); no tracing. */
  public EnvoyTranslator(RouteCompiler compiler) {
    this(compiler, null, null, EndpointSource.NONE, SpiffeIds.DEFAULT_TRUST_DOMAIN);
  }

  private EnvoyTranslator(RouteCompiler compiler, TracingSettings tracing, CompiledRoutes memo, EndpointSource source,
      String trustDomain) {
    this.compiler = compiler;
    this.tracing = tracing;
    this.memo = memo;
    this.endpointSource = source;
    this.trustDomain = trustDomain;
  }

  /**
   * The same translator (and memory), taking the servers of versions from Kubernetes from
   * {@code source}. Their endpoints are computed on every call, outside the memory, so a change of
   * servers alone recompiles nothing else and changes the endpoint resources (EDS) alone.
   */
  public EnvoyTranslator withEndpoints(EndpointSource source) {
    return new EnvoyTranslator(compiler, tracing, memo, source, trustDomain);
  }

  /**
   * The same translator, remembering each route's compiled and checked output per group from one
   * call to the next: a publication after one route changed compiles and checks that route alone,
   * and not even that one when a {@link #translateAlone} of it came first (the write's check). The
   * output is the same as without memory, since compiling and checking see only the route's
   * namespace, name, labels and spec, and the group ({@link CompiledRoutes}). Meant for one caller
   * translating the whole store (the publisher) and any number translating routes alone; it holds
   * the output of the routes of the last whole translation per group, and of a few routes alone.
   */
  public EnvoyTranslator memoizing() {
    return new EnvoyTranslator(compiler, tracing, new CompiledRoutes(), endpointSource, trustDomain);
  }

  /**
   * Sluice's translator with the control plane's settings. The resources the settings alone decide
   * are checked against Envoy's rules here, once, so bad settings stop the control plane at start
   * rather than every proxy at its next update.
   *
   * @throws IllegalArgumentException when the settings give resources Envoy would reject
   */
  public static EnvoyTranslator of(TranslatorSettings settings) {
    EnvoyTranslator translator = new EnvoyTranslator(RouteCompiler.forTrustDomain(settings.trustDomain()),
        settings.tracing(), null, EndpointSource.NONE, settings.trustDomain());
    List<String> violations = translator.sharedResourceViolations();
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("the translator settings give Envoy resources Envoy would reject: "
          + violations);
    }
    return translator;
  }

  /**
   * Sluice's translator for a mesh whose SPIFFE IDs live in {@code trustDomain} (the control plane's
   * {@code sluice.ca.trust-domain}): Envoy accepts a version's servers under mTLS only with
   * {@code spiffe://<trustDomain>/ns/<namespace>/sa/<service account>}.
   *
   * @throws IllegalArgumentException when {@code trustDomain} is not a SPIFFE trust domain
   */
  public static EnvoyTranslator forTrustDomain(String trustDomain) {
    return of(TranslatorSettings.DEFAULTS.withTrustDomain(trustDomain));
  }

  /** Shorthand for {@code STANDARD.translateAll(routes, group)}. */
  public static Translation translate(List<ModelRoute> routes, ProxyGroup group) {
    return STANDARD.translateAll(routes, group);
  }

  public Translation translateAll(List<ModelRoute> routes, ProxyGroup group) {
    return translate(routes, group, Memory.REPLACE);
  }

  /**
   * What {@link #translateAll} gives, for a reader that is not the publisher (a preview): a
   * memoizing translator uses what it remembers but keeps it as it was, so the publisher's next
   * translation finds its own routes there and not the reader's.
   */
  public Translation translatePreview(List<ModelRoute> routes, ProxyGroup group) {
    return translate(routes, group, Memory.READ);
  }

  /** What a translation does to a memoizing translator's memory of the group. */
  private enum Memory {
    /** The whole store's translation: the memory becomes its routes. */
    REPLACE,
    /** A route alone: handed over to the next whole translation. */
    HAND_OVER,
    /** Read, left as it was. */
    READ
  }

  /**
   * What {@code translateAll(List.of(route), group)} gives. A memoizing translator also hands the
   * route's compiled output over to its next {@link #translateAll} of the group, keeping what it
   * remembers of the others: a write checked this way is not compiled again when it is published.
   */
  public Translation translateAlone(ModelRoute route, ProxyGroup group) {
    return translate(List.of(route), group, Memory.HAND_OVER);
  }

  private Translation translate(List<ModelRoute> routes, ProxyGroup group, Memory memory) {
    Map<String, List<FieldError>> rejected = new LinkedHashMap<>();
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> endpoints = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routeConfigs = new ArrayList<>();
    List<VirtualHost> virtualHosts = new ArrayList<>();
    List<ModelRoute> served = new ArrayList<>();
    // A route compiles alike for every sidecar group (only their shared listeners differ), so they
    // share one memory: a hundred kinds of pod cost one compilation per changed route, not a hundred.
    ProxyGroup memoKey = group.role() == ProxyRole.SIDECAR ? SIDECARS : group;
    Map<CompiledRoutes.Key, CompiledRoutes.Compiled> remembered = memo == null ? Map.of() : memo.of(memoKey);
    Map<CompiledRoutes.Key, CompiledRoutes.Compiled> compiled = new HashMap<>();
    for (ModelRoute route : admit(routes, group, rejected)) {
      CompiledRoutes.Key key = CompiledRoutes.Key.of(route);
      CompiledRoutes.Compiled c = remembered.get(key);
      if (c == null && memo != null) {
        c = memo.handedOver(memoKey, key);
      }
      if (c == null) {
        RouteOutput output = compiler.compile(key.route(), group);
        c = new CompiledRoutes.Compiled(output, List.copyOf(OutputCheck.check(output)));
      }
      if (memo != null && memory != Memory.READ) {
        compiled.put(key, c); // hashes the whole spec: only worth it when remembered
      }
      RouteOutput out = c.output();
      List<FieldError> errors = c.errors();
      if (!errors.isEmpty()) {
        rejected.put(route.key(), errors);
        continue;
      }
      clusters.addAll(out.clusters());
      endpoints.addAll(EndpointTranslator.discovers(route) ? EndpointTranslator.endpoints(route, endpointSource)
          : out.endpoints());
      listeners.addAll(out.listeners());
      routeConfigs.addAll(out.routeConfigurations());
      virtualHosts.add(out.virtualHost());
      served.add(route);
    }
    if (memo != null && memory == Memory.HAND_OVER) {
      memo.handOver(memoKey, compiled);
    } else if (memo != null && memory == Memory.REPLACE) {
      memo.remember(memoKey, compiled);
    }
    if (group.role() == ProxyRole.GATEWAY) {
      listeners.add(ListenerTranslator.gateway(group.listenerPort(), tracing, Measurements.anyWanted(served)));
      routeConfigs.add(RouteTranslator.gateway(group.listenerPort(), virtualHosts));
    }
    if (group.role() == ProxyRole.SIDECAR) {
      SidecarTranslator.add(group.sidecar(), served, virtualHosts, tracing, trustDomain, listeners, routeConfigs,
          clusters);
    }
    if (group.role().isEnvoy() && tracing != null) {
      clusters.add(TracingTranslator.collectorCluster(tracing));
    }
    return new Translation(new XdsResources(listeners, routeConfigs, clusters, endpoints), rejected);
  }

  /** Envoy's rules on what every gateway shares, for a listener on the default port, measured or not. */
  private List<String> sharedResourceViolations() {
    List<String> violations = new ArrayList<>();
    List<Message> shared = new ArrayList<>();
    shared.add(ListenerTranslator.gateway(ProxyGroup.DEFAULT_GATEWAY_PORT, tracing, false));
    shared.add(ListenerTranslator.gateway(ProxyGroup.DEFAULT_GATEWAY_PORT, tracing, true));
    if (tracing != null) {
      shared.add(TracingTranslator.collectorCluster(tracing));
    }
    for (Message resource : shared) {
      ProtoRules.check(resource, EnvoyJson.PACKED).forEach(v -> violations.add(v.toString()));
    }
    return violations;
  }

  /**
   * Valid routes in key order; a host already claimed by an earlier route rejects the later one, and
   * so does, for sidecars, a port the sidecar keeps for itself.
   */
  private static List<ModelRoute> admit(List<ModelRoute> routes, ProxyGroup group,
      Map<String, List<FieldError>> rejected) {
    // Each key once: a comparator calling key() would build two strings per comparison.
    List<Map.Entry<String, ModelRoute>> sorted = new ArrayList<>(routes.size());
    routes.forEach(r -> sorted.add(Map.entry(r.key(), r)));
    sorted.sort(Map.Entry.comparingByKey());
    Map<String, String> hostOwners = new HashMap<>();
    List<ModelRoute> accepted = new ArrayList<>();
    for (Map.Entry<String, ModelRoute> keyed : sorted) {
      String key = keyed.getKey();
      ModelRoute route = keyed.getValue();
      List<FieldError> errors = new ArrayList<>(ModelRouteValidator.validate(route));
      if (errors.isEmpty()) {
        errors.addAll(HostConflicts.check(route, hostOwners));
      }
      if (errors.isEmpty() && group.role() == ProxyRole.SIDECAR && SidecarPorts.RESERVED.contains(route.spec().port())) {
        errors.add(new FieldError("spec.port", "port " + route.spec().port() + " is kept by sidecars for themselves "
            + SidecarPorts.RESERVED + "; sidecars cannot route calls to it"));
      }
      if (errors.isEmpty()) {
        route.spec().hosts().forEach(h -> hostOwners.put(h, key));
        accepted.add(route);
      } else {
        rejected.put(key, List.copyOf(errors));
      }
    }
    return accepted;
  }
}
