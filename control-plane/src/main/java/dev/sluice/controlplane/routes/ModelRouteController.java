package dev.sluice.controlplane.routes;

import dev.sluice.controlplane.api.ApiException;
import dev.sluice.controlplane.audit.AuditEntry;
import dev.sluice.controlplane.store.Revision;
import dev.sluice.controlplane.status.RouteStatuses;
import dev.sluice.controlplane.store.RouteStore;
import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteCodec;
import dev.sluice.model.ModelVersion;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.RouteView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The ModelRoute REST API (DESIGN.md, "REST API"). */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
final class ModelRouteController {
  static final String ROUTE = "/namespaces/{namespace}/modelroutes/{name}";

  private final RouteStore store;
  private final RouteWrites writes;
  private final EnvoyTranslator translator;
  private final RouteStatuses statuses;

  ModelRouteController(RouteStore store, RouteWrites writes, EnvoyTranslator translator, RouteStatuses statuses) {
    this.translator = translator;
    this.statuses = statuses;
    this.store = store;
    this.writes = writes;
  }

  @PutMapping(ROUTE)
  ResponseEntity<String> put(@PathVariable String namespace, @PathVariable String name,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestParam(required = false) String dryRun, HttpServletRequest request) {
    ModelRouteCodec.Parsed parsed = ModelRouteCodec.parse(RequestBodies.read(request), RequestBodies.format(request));
    ModelRoute route = writes.bind(namespace, name, parsed);
    return respond(writes.write(route, expectedVersion(route, ifMatch), isDryRun(dryRun)), request);
  }

  @PatchMapping(path = ROUTE, consumes = {"application/merge-patch+json", MediaType.APPLICATION_JSON_VALUE})
  ResponseEntity<String> patch(@PathVariable String namespace, @PathVariable String name,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestParam(required = false) String dryRun, HttpServletRequest request) {
    JsonNode patch = readJson(RequestBodies.read(request));
    ModelRoute current = existing(namespace, name);
    JsonNode merged = MergePatch.apply(ModelRouteCodec.toTree(current.withStatus(null)), patch);
    ModelRoute route = writes.bind(namespace, name, ModelRouteCodec.parse(merged));
    String expected = ifMatch != null ? unquote(ifMatch)
        : patch.has("metadata") && patch.get("metadata").has("resourceVersion") ? route.metadata().resourceVersion()
        : current.metadata().resourceVersion();
    return respond(writes.write(route, expected, isDryRun(dryRun)), request);
  }

  @PutMapping(ROUTE + "/weights")
  ResponseEntity<String> weights(@PathVariable String namespace, @PathVariable String name,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestParam(required = false) String dryRun, HttpServletRequest request) {
    JsonNode body = readJson(RequestBodies.read(request));
    if (!body.isObject() || body.isEmpty()) {
      throw ApiException.of(HttpStatus.BAD_REQUEST, "(body)", "must be an object of version name to weight, such as {\"v1\": 95, \"v2\": 5}");
    }
    ModelRoute current = existing(namespace, name);
    List<String> known = current.spec().versions().stream().map(ModelVersion::name).toList();
    List<FieldError> errors = new ArrayList<>();
    for (String version : body.propertyNames()) {
      JsonNode w = body.get(version);
      if (!known.contains(version)) {
        errors.add(new FieldError("weights." + version, "is not a version of " + current.key() + "; it has " + known));
      } else if (!w.isIntegralNumber() || !w.canConvertToInt()) {
        errors.add(new FieldError("weights." + version, "must be a whole number from 0 to 100"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "the weights do not fit " + current.key(), errors);
    }
    List<ModelVersion> versions = current.spec().versions().stream()
        .map(v -> body.has(v.name()) ? v.withWeight(body.get(v.name()).intValue()) : v)
        .toList();
    ModelRoute route = current.withSpec(current.spec().withVersions(versions)).withStatus(null);
    String expected = ifMatch != null ? unquote(ifMatch) : current.metadata().resourceVersion();
    return respond(writes.write(route, expected, isDryRun(dryRun)), request);
  }

  @GetMapping(ROUTE)
  ResponseEntity<String> get(@PathVariable String namespace, @PathVariable String name) {
    ModelRoute route = existing(namespace, name);
    return ResponseEntity.ok().eTag(etag(route)).body(ModelRouteCodec.toJson(withStatus(route)));
  }

  @GetMapping("/namespaces/{namespace}/modelroutes")
  ResponseEntity<String> listNamespace(@PathVariable String namespace) {
    return list(store.list(namespace));
  }

  @GetMapping("/modelroutes")
  ResponseEntity<String> listAll() {
    return list(store.list(null));
  }

  @DeleteMapping(ROUTE)
  ResponseEntity<String> delete(@PathVariable String namespace, @PathVariable String name,
      @RequestHeader(name = "If-Match", required = false) String ifMatch, HttpServletRequest request) {
    ModelRoute deleted = store.delete(namespace, name, ifMatch == null ? null : unquote(ifMatch))
        .orElseThrow(() -> notFound(namespace, name));
    AuditEntry.of(request).wrote(deleted, null, true);
    return ResponseEntity.ok(ModelRouteCodec.toJson(deleted));
  }

  @GetMapping(ROUTE + "/envoy")
  ResponseEntity<String> envoy(@PathVariable String namespace, @PathVariable String name) {
    ModelRoute route = existing(namespace, name);
    List<ModelRoute> all = store.list(null);
    ObjectNode body = Json.MAPPER.createObjectNode();
    for (ProxyGroup group : RouteWrites.PREVIEW_GROUPS) {
      var t = translator.translatePreview(all, group); // leaves the publisher's memory of the group alone
      body.set(group.key(), Json.resources(RouteView.of(t.resources(), route, group)));
    }
    return ResponseEntity.ok(Json.MAPPER.writeValueAsString(body));
  }

  @GetMapping(ROUTE + "/revisions")
  ResponseEntity<String> revisions(@PathVariable String namespace, @PathVariable String name) {
    existing(namespace, name);
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode items = body.putArray("items");
    for (Revision r : store.revisions(namespace, name)) {
      ObjectNode item = items.addObject();
      item.put("revision", r.generation());
      item.put("resourceVersion", r.resourceVersion());
      item.put("createdAt", r.createdAt().toString());
      item.set("spec", ModelRouteCodec.toTree(r.route()).get("spec"));
    }
    return ResponseEntity.ok(Json.MAPPER.writeValueAsString(body));
  }

  @PostMapping(ROUTE + "/rollback")
  ResponseEntity<String> rollback(@PathVariable String namespace, @PathVariable String name,
      @RequestParam long revision, @RequestParam(required = false) String dryRun, HttpServletRequest request) {
    ModelRoute current = existing(namespace, name);
    Revision target = store.revision(namespace, name, revision)
        .orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND, "revision",
            revision + " is not a revision of " + current.key() + "; see GET .../revisions"));
    ModelRoute route = current.withSpec(target.route().spec()).withStatus(null);
    return respond(writes.write(route, current.metadata().resourceVersion(), isDryRun(dryRun)), request);
  }

  private ResponseEntity<String> respond(RouteWrites.Result result, HttpServletRequest request) {
    if (result.envoy() != null) {
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.set("modelRoute", ModelRouteCodec.toTree(result.route()));
      body.set("envoy", result.envoy());
      return ResponseEntity.ok(Json.MAPPER.writeValueAsString(body));
    }
    AuditEntry.of(request).wrote(result.previous(), result.route(), result.changed());
    ModelRoute route = withStatus(result.route());
    return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .eTag(etag(route)).body(ModelRouteCodec.toJson(route));
  }

  private ResponseEntity<String> list(List<ModelRoute> routes) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("apiVersion", ModelRoute.API_VERSION);
    body.put("kind", "ModelRouteList");
    ArrayNode items = body.putArray("items");
    routes.forEach(r -> items.add(ModelRouteCodec.toTree(withStatus(r))));
    return ResponseEntity.ok(Json.MAPPER.writeValueAsString(body));
  }

  private ModelRoute existing(String namespace, String name) {
    return store.get(namespace, name).orElseThrow(() -> notFound(namespace, name));
  }

  private static ApiException notFound(String namespace, String name) {
    return ApiException.of(HttpStatus.NOT_FOUND, "metadata.name", "ModelRoute " + namespace + "/" + name + " does not exist");
  }

  private ModelRoute withStatus(ModelRoute route) {
    return route.withStatus(statuses.of(route));
  }

  private static String expectedVersion(ModelRoute route, String ifMatch) {
    return ifMatch != null ? unquote(ifMatch) : route.metadata().resourceVersion();
  }

  private static boolean isDryRun(String dryRun) {
    if (dryRun == null) {
      return false;
    }
    if (!dryRun.equals("All")) {
      throw ApiException.of(HttpStatus.BAD_REQUEST, "dryRun", "must be All when given");
    }
    return true;
  }

  private static JsonNode readJson(String body) {
    try {
      return ModelRouteCodec.readTree(body);
    } catch (JacksonException e) {
      throw ApiException.of(HttpStatus.BAD_REQUEST, "(body)", "is not well-formed JSON: " + e.getOriginalMessage());
    }
  }

  private static String etag(ModelRoute route) {
    return "\"" + route.metadata().resourceVersion() + "\"";
  }

  /** The resourceVersion an If-Match names; {@code *} (any) means no check. */
  private static String unquote(String ifMatch) {
    String v = ifMatch.trim();
    if (v.equals("*")) {
      return null;
    }
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }
}
