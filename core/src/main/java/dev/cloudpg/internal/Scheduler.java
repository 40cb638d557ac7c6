package dev.cloudpg.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a job per node of a dependency graph. A node starts as soon as everything it depends on is done. A job is a
 * series of short calls separated by waits: only calls hold one of the {@code parallelism} slots and threads, while a
 * waiting node sits in a timer queue on the clock. After the first failure no new node starts; nodes already started
 * go on until they finish, so that no change is abandoned halfway.
 *
 * <p>On a {@link VirtualClock} every call runs on the calling thread, one at a time, in a fixed order (due time, then
 * the order timers were set, then the nodes' order), and the clock jumps to the next due timer when nothing else is
 * left: runs repeat exactly. On any other clock calls run on a pool of {@code parallelism} threads and the scheduler
 * sleeps until the next timer is due or a call returns.
 */
final class Scheduler {
  /** One node's work. */
  interface Job {
    /** Makes the job's next call; returns the delay before the following one, or empty when the job is done. */
    Optional<Duration> step() throws Exception;
  }

  /**
   * What ran: nodes done in completion order, failures in the order they happened, nodes never started, and the
   * interruption that stopped the run, if one did (nodes running then are among the failures).
   */
  record Outcome(List<ResourceKey> done, Map<ResourceKey, Throwable> failed, List<ResourceKey> notStarted,
      Optional<InterruptedException> interrupted) {}

  private record Timer(Instant due, long seq, ResourceKey key) {}

  private record Completion(ResourceKey key, Optional<Duration> next, Throwable error) {}

  private final List<ResourceKey> nodes;
  private final Map<ResourceKey, Integer> order = new HashMap<>();
  private final Map<ResourceKey, Integer> pending = new HashMap<>();
  private final Map<ResourceKey, List<ResourceKey>> dependents = new HashMap<>();
  private final PriorityQueue<ResourceKey> ready;
  private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.due.equals(b.due)
      ? Long.compare(a.seq, b.seq) : a.due.compareTo(b.due));
  private final Map<ResourceKey, Job> jobs = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<ResourceKey> done = new ArrayList<>();
  private final Map<ResourceKey, Throwable> failed = new LinkedHashMap<>();
  private final TimeSource time;
  private final Chore chore;
  private long seq;

  /**
   * Work the scheduling thread does on the side while nodes run, such as renewing a lease: {@link #dueAt()} says
   * when it next wants to run, {@link #run()} does it; when it throws, no new node starts and the failure is
   * recorded under {@link #key()}.
   */
  interface Chore {
    ResourceKey key();

    Instant dueAt();

    void run();
  }

  static final Chore NO_CHORE = new Chore() {
    @Override
    public ResourceKey key() {
      return ResourceKey.of("engine", "none", "none");
    }

    @Override
    public Instant dueAt() {
      return Instant.MAX;
    }

    @Override
    public void run() {}
  };

  private Scheduler(List<ResourceKey> nodes, Map<ResourceKey, List<ResourceKey>> dependencies, TimeSource time,
      Chore chore) {
    this.nodes = nodes;
    this.time = time;
    this.chore = chore;
    for (int i = 0; i < nodes.size(); i++) {
      order.put(nodes.get(i), i);
    }
    this.ready = new PriorityQueue<>((a, b) -> Integer.compare(order.get(a), order.get(b)));
    for (ResourceKey node : nodes) {
      List<ResourceKey> deps = dependencies.getOrDefault(node, List.of());
      pending.put(node, deps.size());
      deps.forEach(d -> dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(node));
      if (deps.isEmpty()) {
        ready.add(node);
      }
    }
  }

  /**
   * @param nodes every node, in a stable order that breaks ties between ready nodes
   * @param dependencies for each node, the nodes that must be done first
   * @param jobs makes the job of a node when it starts
   */
  static Outcome run(List<ResourceKey> nodes, Map<ResourceKey, List<ResourceKey>> dependencies, int parallelism,
      TimeSource time, String threadName, Function<ResourceKey, Job> jobs) {
    return run(nodes, dependencies, parallelism, time, threadName, jobs, NO_CHORE);
  }

  /** As {@link #run(List, Map, int, TimeSource, String, Function)}, doing {@code chore} on the side. */
  static Outcome run(List<ResourceKey> nodes, Map<ResourceKey, List<ResourceKey>> dependencies, int parallelism,
      TimeSource time, String threadName, Function<ResourceKey, Job> jobs, Chore chore) {
    Scheduler s = new Scheduler(nodes, dependencies, time, chore);
    Optional<InterruptedException> interrupted = time instanceof VirtualClock
        ? s.runInline((VirtualClock) time, jobs) : s.runPooled(parallelism, threadName, jobs);
    return s.outcome(interrupted);
  }

  private Optional<InterruptedException> runInline(VirtualClock clock, Function<ResourceKey, Job> makeJob) {
    while (true) {
      if (Thread.interrupted()) {
        return Optional.of(interrupted(new InterruptedException("interrupted")));
      }
      doChore();
      ResourceKey next = nextDue(clock.now());
      if (next == null && failed.isEmpty() && !ready.isEmpty()) {
        next = ready.poll();
        jobs.put(next, makeJob.apply(next));
      }
      if (next == null) {
        if (timers.isEmpty()) {
          return Optional.empty();
        }
        Instant due = timers.peek().due;
        clock.advanceTo(choreDue().isBefore(due) ? choreDue() : due);
        continue;
      }
      complete(call(next));
    }
  }

  private Optional<InterruptedException> runPooled(int parallelism, String threadName,
      Function<ResourceKey, Job> makeJob) {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, threadName + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    Set<ResourceKey> running = new HashSet<>();
    try {
      while (true) {
        doChore();
        while (running.size() < parallelism) {
          ResourceKey next = nextDue(time.now());
          if (next == null && failed.isEmpty() && !ready.isEmpty()) {
            next = ready.poll();
            jobs.put(next, makeJob.apply(next));
          }
          if (next == null) {
            break;
          }
          ResourceKey key = next;
          running.add(key);
          pool.execute(() -> completions.add(call(key)));
        }
        if (running.isEmpty() && timers.isEmpty()) {
          return Optional.empty();
        }
        Instant wake = choreDue();
        if (!timers.isEmpty() && running.size() < parallelism && timers.peek().due.isBefore(wake)) {
          wake = timers.peek().due;
        }
        Completion c;
        if (wake.equals(Instant.MAX)) {
          c = completions.take();
        } else {
          Duration left = Duration.between(time.now(), wake);
          long nanos = left.isNegative() ? 0 : Math.max(1, time.toReal(left).toNanos());
          c = completions.poll(nanos, TimeUnit.NANOSECONDS);
        }
        for (; c != null; c = completions.poll()) {
          running.remove(c.key);
          complete(c);
        }
      }
    } catch (InterruptedException e) {
      return Optional.of(interrupted(e));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Records every started node that has not finished as failed by the interruption, and keeps the flag set. */
  private InterruptedException interrupted(InterruptedException e) {
    Set<ResourceKey> finished = new HashSet<>(done);
    finished.addAll(failed.keySet());
    nodes.stream().filter(k -> jobs.containsKey(k) && !finished.contains(k)).forEach(k -> failed.put(k, e));
    Thread.currentThread().interrupt();
    return e;
  }

  /** When the chore next wants to run; never, once it has failed. */
  private Instant choreDue() {
    return failed.containsKey(chore.key()) ? Instant.MAX : chore.dueAt();
  }

  private void doChore() {
    if (time.now().isBefore(choreDue())) {
      return;
    }
    try {
      chore.run();
    } catch (RuntimeException e) {
      failed.put(chore.key(), e);
    }
  }

  /** The node of the first timer due by {@code now}, removed from the queue; null when none is due. */
  private ResourceKey nextDue(Instant now) {
    Timer t = timers.peek();
    if (t == null || t.due.isAfter(now)) {
      return null;
    }
    timers.poll();
    return t.key;
  }

  private Completion call(ResourceKey key) {
    try {
      return new Completion(key, jobs.get(key).step(), null);
    } catch (Throwable e) {
      return new Completion(key, Optional.empty(), e);
    }
  }

  private void complete(Completion c) {
    if (c.error != null) {
      failed.put(c.key, c.error);
    } else if (c.next.isPresent()) {
      timers.add(new Timer(time.now().plus(c.next.get()), seq++, c.key));
    } else {
      done.add(c.key);
      for (ResourceKey next : dependents.getOrDefault(c.key, List.of())) {
        if (pending.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
  }

  private Outcome outcome(Optional<InterruptedException> interrupted) {
    List<ResourceKey> notStarted = nodes.stream().filter(n -> !jobs.containsKey(n)).toList();
    return new Outcome(List.copyOf(done), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failed)),
        notStarted, interrupted);
  }
}
