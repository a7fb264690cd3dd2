package dev.sluice.translate;

import dev.sluice.model.FieldError;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@link EnvoyTranslator#memoizing()} remembers, per group: the compiled output and check
 * result of each route of the last whole translation ({@link #remember}), and of the last few
 * routes translated alone ({@link #handOver}), such as the route of a write, checked just before it
 * was stored. The publisher's next translation finds that route here instead of compiling it again.
 *
 * <p>Both are keyed by what compiling may read, {@link Key}: the namespace, the name, the labels and
 * the spec. The compiler is handed {@link Key#route()}, which carries nothing else, so it cannot
 * read a field the key leaves out (resource version, generation, status) and make two equal keys
 * compile differently. A route the store gives back with new server fields is the same key.
 *
 * <p>Memory: one output per current route and group, plus at most {@link #HANDED_OVER} handed over.
 * Thread-safe; a lost race costs a compilation, never a wrong output, since equal keys compile alike.
 */
final class CompiledRoutes {
  /** Routes translated alone, kept for the next whole translation; writes come far fewer per debounce. */
  static final int HANDED_OVER = 64;

  /** One route's output for one group, and what the check found wrong with it. */
  record Compiled(RouteOutput output, List<FieldError> errors) {}

  /** What compiling a route reads of it. */
  record Key(String namespace, String name, Map<String, String> labels, ModelRouteSpec spec) {
    static Key of(ModelRoute route) {
      Metadata m = route.metadata();
      return new Key(m.namespace(), m.name(), m.labels(), route.spec());
    }

    /** The route as the compiler sees it: this key's fields and nothing else. */
    ModelRoute route() {
      return ModelRoute.of(new Metadata(name, namespace, labels, null, null), spec);
    }
  }

  private record Handed(ProxyGroup group, Key key) {}

  private final Map<ProxyGroup, Map<Key, Compiled>> byGroup = new ConcurrentHashMap<>();
  private final Map<Handed, Compiled> handedOver = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Handed, Compiled> eldest) {
      return size() > HANDED_OVER;
    }
  };

  /** The group's route outputs of its last whole translation. */
  Map<Key, Compiled> of(ProxyGroup group) {
    return byGroup.getOrDefault(group, Map.of());
  }

  /** Replaces the group's outputs with those of a whole translation. */
  void remember(ProxyGroup group, Map<Key, Compiled> compiled) {
    byGroup.put(group, Map.copyOf(compiled));
  }

  /** Keeps outputs of routes translated alone for the group's next whole translation, forgetting none of its others. */
  void handOver(ProxyGroup group, Map<Key, Compiled> compiled) {
    synchronized (handedOver) {
      compiled.forEach((key, c) -> handedOver.put(new Handed(group, key), c));
    }
  }

  /** A route's output handed over for the group, or null. */
  Compiled handedOver(ProxyGroup group, Key key) {
    synchronized (handedOver) {
      return handedOver.get(new Handed(group, key));
    }
  }
}
