package dev.cloudpg.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.ResourceKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a task per node of a dependency graph: a node starts as soon as everything it depends on is done, up to
 * {@code parallelism} at once. After the first failure nothing new starts; running tasks finish.
 */
final class GraphRunner {
  /** A task on one node. */
  interface Task {
    void run(ResourceKey key) throws Exception;
  }

  /** What ran: done in completion order, failures, and nodes never started. */
  record Outcome(List<ResourceKey> done, Map<ResourceKey, Throwable> failed, List<ResourceKey> notStarted) {}

  private GraphRunner() {}

  /**
   * @param nodes every node, in a stable order used to break ties between ready nodes
   * @param dependencies for each node, the nodes that must be done first
   */
  static Outcome run(List<ResourceKey> nodes, Map<ResourceKey, List<ResourceKey>> dependencies, int parallelism,
      String threadName, Task task) {
    Map<ResourceKey, Integer> pending = new HashMap<>();
    Map<ResourceKey, List<ResourceKey>> dependents = new HashMap<>();
    Deque<ResourceKey> ready = new ArrayDeque<>();
    for (ResourceKey node : nodes) {
      List<ResourceKey> deps = dependencies.getOrDefault(node, List.of());
      pending.put(node, deps.size());
      deps.forEach(d -> dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(node));
      if (deps.isEmpty()) {
        ready.add(node);
      }
    }
    List<ResourceKey> done = new ArrayList<>();
    Map<ResourceKey, Throwable> failed = new LinkedHashMap<>();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, threadName + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    CompletionService<ResourceKey> completions = new ExecutorCompletionService<>(pool);
    Map<java.util.concurrent.Future<ResourceKey>, ResourceKey> running = new HashMap<>();
    try {
      while (true) {
        while (failed.isEmpty() && running.size() < parallelism && !ready.isEmpty()) {
          ResourceKey key = ready.poll();
          running.put(completions.submit(() -> {
            task.run(key);
            return key;
          }), key);
        }
        if (running.isEmpty()) {
          break;
        }
        java.util.concurrent.Future<ResourceKey> finished = completions.take();
        ResourceKey key = running.remove(finished);
        try {
          finished.get();
          done.add(key);
          for (ResourceKey next : dependents.getOrDefault(key, List.of())) {
            if (pending.merge(next, -1, Integer::sum) == 0) {
              ready.add(next);
            }
          }
        } catch (ExecutionException e) {
          failed.put(key, e.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudpgException("interrupted while " + running.size() + " steps were running: " + running.values());
    } finally {
      pool.shutdownNow();
    }
    java.util.Set<ResourceKey> doneSet = new java.util.HashSet<>(done);
    List<ResourceKey> notStarted = new ArrayList<>();
    for (ResourceKey node : nodes) {
      if (!doneSet.contains(node) && !failed.containsKey(node)) {
        notStarted.add(node);
      }
    }
    return new Outcome(done, failed, notStarted);
  }
}
