package dev.sluice.translate.sim;

import com.google.re2j.Pattern;
import dev.sluice.translate.NewerEnvoyFields;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import net.openhft.hashing.LongHashFunction;

/**
 * Routes a described request through a generated RouteConfiguration the way Envoy's router does:
 * virtual host by authority, the first route whose match holds, then the cluster, or a weighted
 * choice drawn from the request's hash (xxHash64 of the hash-policy key, Envoy's own) when the
 * split uses the hash policy, else from the given random source.
 */
public final class RouteSimulator {
  private final RouteConfiguration config;
  private final RandomGenerator random;

  public RouteSimulator(RouteConfiguration config, RandomGenerator random) {
    this.config = config;
    this.random = random;
  }

  /** A request: authority, path with query, headers with lower-case names. */
  public record Request(String authority, String path, Map<String, String> headers) {
    public static Request to(String authority) {
      return new Request(authority, "/", Map.of());
    }

    public Request header(String name, String value) {
      Map<String, String> copy = new HashMap<>(headers);
      copy.put(name, value);
      return new Request(authority, path, copy);
    }

    public Request path(String newPath) {
      return new Request(authority, newPath, headers);
    }
  }

  /** Which route entry took the request and which cluster it goes to. */
  public record Decision(String route, String cluster) {}

  public Optional<Decision> route(Request request) {
    return config.getVirtualHostsList().stream()
        .filter(host -> host.getDomainsList().contains(request.authority()))
        .findFirst()
        .flatMap(host -> firstMatch(host, request))
        .map(route -> new Decision(route.getName(), cluster(route.getRoute(), request)));
  }

  private static Optional<Route> firstMatch(VirtualHost host, Request request) {
    return host.getRoutesList().stream().filter(r -> matches(r, request)).findFirst();
  }

  private static boolean matches(Route route, Request request) {
    var match = route.getMatch();
    if (!request.path().startsWith(match.getPrefix())) {
      return false;
    }
    for (HeaderMatcher header : match.getHeadersList()) {
      String value = request.headers().get(header.getName());
      boolean hit = header.getPresentMatch() ? value != null : value != null && string(header.getStringMatch(), value);
      if (hit == header.getInvertMatch()) {
        return false;
      }
    }
    Map<String, String> query = query(request.path());
    for (QueryParameterMatcher param : match.getQueryParametersList()) {
      String value = query.get(param.getName());
      boolean hit = param.getPresentMatch() ? value != null : value != null && string(param.getStringMatch(), value);
      if (!hit) {
        return false;
      }
    }
    return true;
  }

  private static boolean string(StringMatcher matcher, String value) {
    return switch (matcher.getMatchPatternCase()) {
      case EXACT -> value.equals(matcher.getExact());
      case PREFIX -> value.startsWith(matcher.getPrefix());
      case SUFFIX -> value.endsWith(matcher.getSuffix());
      case CONTAINS -> value.contains(matcher.getContains());
      case SAFE_REGEX -> Pattern.compile(matcher.getSafeRegex().getRegex()).matches(value);
      default -> throw new IllegalArgumentException("not simulated: " + matcher);
    };
  }

  private static Map<String, String> query(String path) {
    Map<String, String> params = new HashMap<>();
    int q = path.indexOf('?');
    if (q < 0) {
      return params;
    }
    for (String pair : path.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      params.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private String cluster(RouteAction action, Request request) {
    if (!action.hasWeightedClusters()) {
      return action.getCluster();
    }
    WeightedCluster split = action.getWeightedClusters();
    long total = split.getClustersList().stream().mapToLong(c -> c.getWeight().getValue()).sum();
    long draw = Long.remainderUnsigned(randomValue(action, split, request), total);
    long end = 0;
    for (WeightedCluster.ClusterWeight cluster : split.getClustersList()) {
      end += cluster.getWeight().getValue();
      if (draw < end) {
        return cluster.getName();
      }
    }
    throw new IllegalStateException("weights do not cover the draw");
  }

  /** Envoy: the hash of the first hash policy that yields one, when the split uses it; else random. */
  private long randomValue(RouteAction action, WeightedCluster split, Request request) {
    if (NewerEnvoyFields.usesHashPolicy(split)) {
      for (RouteAction.HashPolicy policy : action.getHashPolicyList()) {
        String key = switch (policy.getPolicySpecifierCase()) {
          case HEADER -> request.headers().get(policy.getHeader().getHeaderName());
          case COOKIE -> cookie(request.headers().get("cookie"), policy.getCookie().getName());
          default -> null;
        };
        if (key != null) {
          return LongHashFunction.xx().hashBytes(key.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return random.nextLong();
  }

  private static String cookie(String header, String name) {
    if (header == null) {
      return null;
    }
    for (String crumb : header.split(";")) {
      String c = crumb.trim();
      if (c.startsWith(name + "=")) {
        return c.substring(name.length() + 1);
      }
    }
    return null;
  }
}
