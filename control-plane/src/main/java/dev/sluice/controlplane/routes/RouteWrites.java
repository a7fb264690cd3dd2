package dev.sluice.controlplane.routes;

import dev.sluice.controlplane.api.ApiException;
import dev.sluice.controlplane.metrics.SluiceMetrics;
import dev.sluice.controlplane.store.RouteStore;
import dev.sluice.controlplane.store.StoreProperties;
import dev.sluice.controlplane.store.WriteOutcome;
import dev.sluice.model.FieldError;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteCodec;
import dev.sluice.model.ModelRouteValidator;
import dev.sluice.model.ModelVersion;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.HostConflicts;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.RouteView;
import dev.sluice.translate.Translation;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one path every write takes: parse, bind to the URL's name, validate (all errors at once),
 * refuse hosts another route serves, translate (timed as {@code sluice_translation_seconds{phase="write"}}),
 * and only then store. Anything refused leaves the store, and so every proxy, exactly as it was.
 */
@Component
final class RouteWrites {
  static final List<ProxyGroup> PREVIEW_GROUPS = List.of(ProxyGroup.DEFAULT_GATEWAY, ProxyGroup.PROXYLESS);

  private final RouteStore store;
  private final EnvoyTranslator translator;
  private final Timer translation;
  private final boolean kubernetes;

  RouteWrites(RouteStore store, EnvoyTranslator translator, SluiceMetrics metrics, StoreProperties storeProperties) {
    this.translator = translator;
    this.store = store;
    this.kubernetes = storeProperties.kubernetes();
    this.translation = metrics.translation(SluiceMetrics.PHASE_WRITE);
  }

  /** A document as sent, bound to the URL's namespace and name. */
  ModelRoute bind(String namespace, String name, ModelRouteCodec.Parsed parsed) {
    if (parsed.route() == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "the body is not a ModelRoute document", parsed.errors());
    }
    List<FieldError> errors = new ArrayList<>(parsed.errors());
    ModelRoute route = parsed.route();
    Metadata m = route.metadata() == null ? Metadata.of(namespace, name) : route.metadata();
    if (m.name() != null && !m.name().equals(name)) {
      errors.add(new FieldError("metadata.name", "'" + m.name() + "' does not match the name in the URL, '" + name + "'"));
    }
    if (m.namespace() != null && !m.namespace().equals(namespace)) {
      errors.add(new FieldError("metadata.namespace",
          "'" + m.namespace() + "' does not match the namespace in the URL, '" + namespace + "'"));
    }
    route = new ModelRoute(
        route.apiVersion() == null ? ModelRoute.API_VERSION : route.apiVersion(),
        route.kind() == null ? ModelRoute.KIND : route.kind(),
        m.withName(name).withNamespace(namespace), route.spec(), null);
    if (!errors.isEmpty()) {
      errors.addAll(ModelRouteValidator.validate(route));
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, errors.size() + " problems in the ModelRoute", errors);
    }
    return route;
  }

  /** Versions from Kubernetes have no servers in standalone mode: refused rather than left empty. */
  private static List<FieldError> needKubernetes(ModelRoute route) {
    List<FieldError> errors = new ArrayList<>();
    if (route.spec() == null || route.spec().versions() == null) {
      return errors; // the validator names the missing field
    }
    List<ModelVersion> versions = route.spec().versions();
    for (int i = 0; i < versions.size(); i++) {
      ModelVersion v = versions.get(i);
      if (v != null && v.fromKubernetes()) {
        errors.add(new FieldError("spec.versions[" + i + "]." + (v.selector() != null ? "selector" : "service"),
            "servers from Kubernetes EndpointSlices need Kubernetes mode (sluice.store.type=kubernetes); "
                + "this control plane keeps routes in its embedded store: list endpoints instead"));
      }
    }
    if (route.spec().service() != null && errors.isEmpty()) {
      errors.add(new FieldError("spec.service", "a Service needs Kubernetes mode (sluice.store.type=kubernetes)"));
    }
    return errors;
  }

  /**
   * The result of a write; {@code envoy} is set only for a dry run (nothing stored, the Envoy output
   * shown). {@code previous} is the route as stored before, null when there was none.
   */
  record Result(ModelRoute route, boolean created, boolean changed, ObjectNode envoy, ModelRoute previous) {}

  synchronized Result write(ModelRoute route, String expectedResourceVersion, boolean dryRun) {
    List<FieldError> errors = new ArrayList<>(ModelRouteValidator.validate(route));
    if (!kubernetes) {
      errors.addAll(needKubernetes(route));
    }
    if (!errors.isEmpty()) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
          errors.size() + (errors.size() == 1 ? " problem" : " problems") + " in ModelRoute " + route.key(), errors);
    }
    List<ModelRoute> others = store.list(null).stream().filter(r -> !r.key().equals(route.key())).toList();
    Map<String, String> hostOwners = new HashMap<>();
    others.forEach(o -> o.spec().hosts().forEach(h -> hostOwners.put(h, o.key())));
    List<FieldError> conflicts = HostConflicts.check(route, hostOwners);
    if (!conflicts.isEmpty()) {
      throw new ApiException(HttpStatus.CONFLICT, "ModelRoute " + route.key() + " claims hosts another route serves", conflicts);
    }
    // Each route compiles and is checked on its own, and host conflicts were settled above, so the
    // route alone decides whether its output passes: no need to translate every stored route. The
    // memoizing translator hands this compilation to the publication that follows the write.
    ObjectNode envoy = Json.MAPPER.createObjectNode();
    for (ProxyGroup group : PREVIEW_GROUPS) {
      Translation t = translation.record(() -> translator.translateAlone(route, group));
      List<FieldError> rejected = t.rejected().get(route.key());
      if (rejected != null) {
        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "ModelRoute " + route.key() + " cannot be translated", rejected);
      }
      if (dryRun) {
        envoy.set(group.key(), Json.resources(RouteView.of(t.resources(), route, group)));
      }
    }
    if (dryRun) {
      var current = store.get(route.metadata().namespace(), route.metadata().name());
      RouteStore.checkVersion(route.key(), expectedResourceVersion, current);
      return new Result(route, current.isEmpty(), current.map(c -> !Objects.equals(c.spec(), route.spec())).orElse(true), envoy,
          current.orElse(null));
    }
    WriteOutcome outcome = store.put(route, expectedResourceVersion);
    return new Result(outcome.route(), outcome.created(), outcome.changed(), null, outcome.previous());
  }
}
