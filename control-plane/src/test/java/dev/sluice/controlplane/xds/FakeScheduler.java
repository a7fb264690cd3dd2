package dev.sluice.controlplane.xds;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose tasks run only when the test says so, on the test's thread, in the order of
 * their due times (then of submission), with the {@link MutableClock} it shares with the code under
 * test set to each task's due time while it runs. {@link #advance} moves time forward and runs what
 * falls due; {@link #runPending} runs what is due now ({@code execute}, {@code submit}, zero delays).
 * {@link #nanoTime} is the matching monotonic ticker: pass {@code scheduler::nanoTime} where code
 * wants {@code System::nanoTime}.
 *
 * <p>There is no other thread, so a blocking {@code get()} on one of its futures runs the pending
 * tasks first, and fails if the task is still not done (it is due later: advance the clock).
 * {@code invokeAll} and {@code invokeAny} are not supported.
 *
 * <p>Meant for one test thread; a task may schedule more tasks and move the clock itself (to stand
 * for work that takes time).
 */
public final class FakeScheduler implements ScheduledExecutorService {
  private final MutableClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long submitted;
  private boolean shutdown;

  public FakeScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** The clock's time as nanoseconds since the epoch: a ticker that moves only with the clock. */
  public long nanoTime() {
    Instant now = clock.instant();
    return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
  }

  /** Runs the tasks due now, including those they schedule for now. */
  public void runPending() {
    advance(Duration.ZERO);
  }

  /**
   * Moves the clock forward by {@code d}, running each task that falls due on the way at its due
   * time, earliest first.
   */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time does not go back: " + d);
    }
    long target = Math.addExact(nanoTime(), d.toNanos());
    Task<?> next;
    while ((next = takeDue(target)) != null) {
      moveTo(next.due);
      next.run();
    }
    moveTo(target);
  }

  /** Tasks waiting to run, periodic ones included; cancelled ones are gone. */
  public synchronized int queued() {
    return queue.size();
  }

  private synchronized Task<?> takeDue(long target) {
    Task<?> head = queue.peek();
    if (head == null || head.due > target) {
      return null;
    }
    return queue.poll();
  }

  /** Sets the clock to {@code nanos} unless a task already moved it further. */
  private void moveTo(long nanos) {
    long now = nanoTime();
    if (nanos > now) {
      clock.advance(Duration.ofNanos(nanos - now));
    }
  }

  private synchronized <V> Task<V> enqueue(Task<V> task) {
    if (shutdown) {
      throw new RejectedExecutionException("the scheduler is shut down");
    }
    queue.add(task);
    return task;
  }

  private synchronized void dequeue(Task<?> task) {
    queue.remove(task);
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return enqueue(new Task<>(task, nanoTime(), 0));
  }

  @Override
  public Future<?> submit(Runnable task) {
    return enqueue(new Task<>(Executors.callable(task), nanoTime(), 0));
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return enqueue(new Task<>(Executors.callable(task, result), nanoTime(), 0));
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return enqueue(new Task<>(Executors.callable(command), dueIn(delay, unit), 0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return enqueue(new Task<>(callable, dueIn(delay, unit), 0));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return enqueue(new Task<>(Executors.callable(command), dueIn(initialDelay, unit), positive(period, unit)));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return enqueue(new Task<>(Executors.callable(command), dueIn(initialDelay, unit), -positive(delay, unit)));
  }

  private long dueIn(long delay, TimeUnit unit) {
    return nanoTime() + Math.max(0, unit.toNanos(delay));
  }

  private static long positive(long period, TimeUnit unit) {
    if (period <= 0) {
      throw new IllegalArgumentException("period must be positive, was " + period);
    }
    return unit.toNanos(period);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
    throw new UnsupportedOperationException("invokeAll would wait for itself on the one test thread");
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
    throw new UnsupportedOperationException("invokeAll would wait for itself on the one test thread");
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks) {
    throw new UnsupportedOperationException("invokeAny would wait for itself on the one test thread");
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
    throw new UnsupportedOperationException("invokeAny would wait for itself on the one test thread");
  }

  /** A task due at {@code due}; {@code period} above 0 repeats at a fixed rate, below 0 with a fixed delay. */
  private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    private final long sequence;
    private final long period;
    private long due;

    Task(Callable<V> callable, long due, long period) {
      super(callable);
      this.due = due;
      this.period = period;
      synchronized (FakeScheduler.this) {
        this.sequence = submitted++;
      }
    }

    @Override
    public void run() {
      if (period == 0) {
        super.run();
      } else if (runAndReset() && !isShutdown()) {
        due = period > 0 ? due + period : nanoTime() - period;
        enqueue(this);
      }
    }

    @Override
    public boolean isPeriodic() {
      return period != 0;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      dequeue(this);
      return cancelled;
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
      if (!isDone()) {
        runPending();
      }
      if (!isDone()) {
        throw new IllegalStateException("the task is due later: advance the clock before waiting for it");
      }
      return super.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException {
      return get();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      if (other instanceof FakeScheduler.Task<?> t) {
        int byDue = Long.compare(due, t.due);
        return byDue != 0 ? byDue : Long.compare(sequence, t.sequence);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
