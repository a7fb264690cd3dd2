package dev.sluice.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Secret that every replica of the control plane shares, made race-free: each replica reads it by
 * name; when it is missing, the replica generates the data and creates it, and when the API server
 * answers 409 AlreadyExists another replica won, so it reads the winner's Secret and uses that. Keys
 * missing from an existing Secret are added by an update that carries the resourceVersion read, so
 * two replicas adding at once also end with one value. Only {@code get}, {@code create} and
 * {@code update} by name are used, which RBAC can grant for this one Secret.
 *
 * <p>Logs name the Secret and its keys, never a value.
 */
public final class SharedSecret {
  private static final Logger log = LoggerFactory.getLogger(SharedSecret.class);
  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public SharedSecret(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /**
   * The Secret's data, holding at least {@code keys}; those it lacks are made by {@code generate}
   * (given the missing keys, it returns a value for each) and written first.
   *
   * @throws IllegalStateException when the Secret cannot be read or written (no namespace, no RBAC)
   */
  public Map<String, byte[]> ensure(Set<String> keys, Function<Set<String>, Map<String, byte[]>> generate) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Secret current = call("read", () -> secret().get());
      if (current == null) {
        Map<String, byte[]> made = generated(generate, keys);
        if (write("create", () -> secrets().resource(secret(made, null)).create())) {
          log.info("created Secret {} with keys {}", this, new TreeSet<>(made.keySet()));
          return made;
        }
        log.info("Secret {} was created by another replica first; using it", this);
        continue;
      }
      Map<String, byte[]> data = decode(current);
      Set<String> missing = new TreeSet<>(keys);
      missing.removeAll(data.keySet());
      if (missing.isEmpty()) {
        return data;
      }
      data.putAll(generated(generate, missing));
      Secret updated = secret(data, current);
      if (write("update", () -> secrets().resource(updated).update())) {
        log.info("added keys {} to Secret {}", missing, this);
        return data;
      }
      log.info("Secret {} was changed by another replica while keys {} were added; reading it again", this, missing);
    }
    throw new IllegalStateException("Secret " + this + " kept changing under this replica; gave up after "
        + ATTEMPTS + " attempts");
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }

  private Resource<Secret> secret() {
    return secrets().withName(name);
  }

  private NonNamespaceOperation<Secret, SecretList, Resource<Secret>> secrets() {
    return client.secrets().inNamespace(namespace);
  }

  private Secret secret(Map<String, byte[]> data, Secret current) {
    Map<String, String> encoded = new TreeMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
    SecretBuilder builder = current == null
        ? new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name)
            .addToLabels("app.kubernetes.io/name", "sluice").addToLabels("app.kubernetes.io/component", "control-plane")
            .endMetadata().withType("Opaque")
        : new SecretBuilder(current); // keeps its resourceVersion: the update is refused if it changed
    return builder.withData(encoded).withStringData(null).build();
  }

  private static Map<String, byte[]> generated(Function<Set<String>, Map<String, byte[]>> generate, Set<String> keys) {
    Map<String, byte[]> made = new LinkedHashMap<>(generate.apply(Set.copyOf(keys)));
    if (!made.keySet().equals(keys)) {
      throw new IllegalStateException("generated keys " + new TreeSet<>(made.keySet()) + " instead of " + new TreeSet<>(keys));
    }
    return made;
  }

  private static Map<String, byte[]> decode(Secret secret) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    return data;
  }

  /** Runs a write; false when the API server refused it with 409 (another replica got there first). */
  private boolean write(String verb, Runnable write) {
    try {
      call(verb, () -> {
        write.run();
        return null;
      });
      return true;
    } catch (Conflict e) {
      return false;
    }
  }

  private <T> T call(String verb, java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      // The exception's message quotes the API server's status, never the request body.
      switch (e.getCode()) {
        case HttpURLConnection.HTTP_CONFLICT -> throw new Conflict();
        case HttpURLConnection.HTTP_NOT_FOUND -> throw new IllegalStateException("cannot " + verb + " Secret " + this
            + ": namespace " + namespace + " does not exist (sluice.kubernetes.namespace)", e);
        case HttpURLConnection.HTTP_FORBIDDEN -> throw new IllegalStateException("cannot " + verb + " Secret " + this
            + ": forbidden; the control plane's service account needs get, create and update on it "
            + "(charts/sluice/templates/control-plane/rbac.yaml)", e);
        default -> throw new IllegalStateException("cannot " + verb + " Secret " + this + " (HTTP " + e.getCode() + ")", e);
      }
    }
  }

  private static final class Conflict extends RuntimeException {
    Conflict() {
      super(null, null, false, false);
    }
  }
}
