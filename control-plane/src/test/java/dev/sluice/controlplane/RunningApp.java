package dev.sluice.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole application on 127.0.0.1 and free ports, its store in a given folder, with a plain HTTP client. */
public final class RunningApp implements AutoCloseable {
  private final ConfigurableApplicationContext context;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String adminToken;

  private RunningApp(ConfigurableApplicationContext context, Path store) {
    this.context = context;
    this.base = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
    this.adminToken = readAdminToken(store);
  }

  /** Started with no API token configured, so it makes an admin token in the store, which requests send. */
  public static RunningApp start(Path store, String... extra) {
    return new RunningApp(new SpringApplicationBuilder(SluiceApplication.class).run(arguments(store, extra)), store);
  }

  private static String readAdminToken(Path store) {
    Path file = store.resolve("admin-token");
    try {
      return Files.exists(file) ? Files.readString(file).strip() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The admin token the app wrote into its store; null when tokens were configured. */
  public String adminToken() {
    return adminToken;
  }

  /** Command-line arguments for the app on 127.0.0.1 and free ports with its store in {@code store}, then {@code extra}. */
  public static String[] arguments(Path store, String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0", "--server.address=127.0.0.1",
        "--sluice.xds.port=0", "--sluice.xds.secure-port=0", "--sluice.xds.address=127.0.0.1",
        "--sluice.store.path=" + store.toAbsolutePath()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** A request with the admin token (when there is one). */
  public HttpResponse<String> send(String method, String path, String contentType, String body, String... headers) {
    return sendAs(adminToken, method, path, contentType, body, headers);
  }

  /** A request with {@code token} as its bearer token, or with no credentials when null. */
  public HttpResponse<String> sendAs(String token, String method, String path, String contentType, String body,
      String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path) {
    return send("GET", path, null, null);
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
