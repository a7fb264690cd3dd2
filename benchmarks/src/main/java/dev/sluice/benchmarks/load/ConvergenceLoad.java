package dev.sluice.benchmarks.load;

import dev.sluice.controlplane.SluiceApplication;
import dev.sluice.controlplane.xds.XdsServer;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Grpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * B1, state of the world: N simulated proxies hold a configuration of R routes; one weight change
 * goes through the REST API; the time from the PUT's answer to each proxy's receipt of the new
 * route configuration. The publisher's debounce is part of it and is reported next to it.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am -DskipTests -Pload package "-Dload.args=1000 5 100"}
 * (clients, routes, debounce in ms); RESULTS.md has the commands behind its figures.
 */
public final class ConvergenceLoad {
  public static void main(String[] args) throws Exception {
    int clients = Integer.parseInt(args[0]);
    int routes = Integer.parseInt(args[1]);
    int debounceMs = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    Path store = Files.createTempDirectory("sluice-b1");
    ConfigurableApplicationContext cp = new SpringApplicationBuilder(SluiceApplication.class).run(
        "--server.port=0", "--server.address=127.0.0.1", "--sluice.xds.port=0", "--sluice.xds.secure-port=0",
        "--sluice.xds.address=127.0.0.1", "--sluice.store.path=" + store, "--sluice.xds.debounce=" + debounceMs + "ms",
        "--logging.level.root=WARN", "--logging.level.sluice.audit=OFF");
    int rest = Integer.parseInt(cp.getEnvironment().getRequiredProperty("local.server.port"));
    int xds = cp.getBean(XdsServer.class).port();
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < routes; i++) {
      put(http, rest, "/api/v1/namespaces/ml/modelroutes/model-" + i, """
          {"spec": {"hosts": ["model-%1$d.ml"], "port": 8080, "protocol": "GRPC", "timeout": "2s",
            "versions": [{"name": "v1", "weight": 90, "endpoints": ["10.1.%2$d.%3$d:8080", "10.1.%2$d.%4$d:8080"]},
                         {"name": "v2", "weight": 10, "endpoints": ["10.2.%2$d.%3$d:8080"]}]}}
          """.formatted(i, i / 200, i % 200 + 1, i % 200 + 50));
    }

    CountDownLatch configured = new CountDownLatch(clients);
    List<AdsClient> all = new ArrayList<>(clients);
    long connectStart = System.nanoTime();
    for (int i = 0; i < clients; i++) {
      AdsClient c = new AdsClient(Grpc.newChannelBuilderForAddress("127.0.0.1", xds, InsecureChannelCredentials.create())
          .build(), System::nanoTime, configured);
      c.start("b1-" + i);
      all.add(c);
    }
    if (!configured.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(configured.getCount() + " clients never got a configuration");
    }
    long configuredMs = (System.nanoTime() - connectStart) / 1_000_000;
    long perProxyBytes = all.get(0).bytes;
    Thread.sleep(1_000); // let every ACK land before the change

    CountDownLatch changed = new CountDownLatch(clients);
    all.forEach(c -> c.expectChange(changed));
    long before = System.nanoTime();
    put(http, rest, "/api/v1/namespaces/ml/modelroutes/model-0/weights", "{\"v1\": 50, \"v2\": 50}");
    long answered = System.nanoTime();
    if (!changed.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(changed.getCount() + " clients never got the change");
    }
    long[] ms = all.stream().mapToLong(c -> (c.changedAtNanos() - answered) / 1_000).sorted().toArray();
    System.out.printf("B1 sotw clients=%d routes=%d config=%.1f KB debounce=%d ms: first config to all in %d ms; "
            + "PUT took %.1f ms; after the PUT's answer: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        clients, routes, perProxyBytes / 1024.0, debounceMs, configuredMs, (answered - before) / 1e6,
        ms[ms.length / 2] / 1e3, ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)] / 1e3,
        ms[ms.length - 1] / 1e3);
    all.forEach(AdsClient::close);
    cp.close();
    System.exit(0);
  }

  private static void put(HttpClient http, int port, String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException("PUT " + path + ": " + r.statusCode() + " " + r.body());
    }
  }

  private ConvergenceLoad() {}
}
