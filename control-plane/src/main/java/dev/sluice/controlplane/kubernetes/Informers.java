package dev.sluice.controlplane.kubernetes;

import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/** How Kubernetes mode watches: informers per configured namespace, started and synced before use. */
final class Informers {
  private Informers() {}

  /** One informer (not started) for every namespace when {@code namespaces} is empty, else one per namespace. */
  static <T> List<SharedIndexInformer<T>> perNamespace(List<String> namespaces, Supplier<Informable<T>> all,
      Function<String, Informable<T>> one) {
    return namespaces.isEmpty()
        ? List.of(all.get().runnableInformer(0))
        : namespaces.stream().map(ns -> one.apply(ns).runnableInformer(0)).toList();
  }

  /**
   * Starts each informer and returns once each has listed what it watches, so nothing is served
   * from a partial list. On failure all of them are closed and the start-up fails with {@code what}.
   */
  static void startAndSync(List<? extends SharedIndexInformer<?>> informers, Duration timeout, String what) {
    try {
      for (SharedIndexInformer<?> informer : informers) {
        informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      informers.forEach(SharedIndexInformer::close);
      throw new IllegalStateException("cannot " + what + " within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      informers.forEach(SharedIndexInformer::close);
      throw new IllegalStateException("interrupted while waiting to " + what, e);
    }
  }
}
