package dev.cloudpg.internal;

import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ApplyResult;
import dev.cloudpg.Change;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.CloudpgException;
import dev.cloudpg.ConflictException;
import dev.cloudpg.DeletionProtectedException;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Plan;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.WaitTimedOutException;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.Violations;
import dev.cloudpg.spi.WaitPolicy;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The plan/apply engine: expands a stack through its provider, reads every resource concurrently, decides the
 * changes, and runs them in dependency order with bounded parallelism, retries of transient errors and waits on the
 * provider's time source.
 */
public final class Engine {
  /** How many reads run at once while planning. */
  static final int READ_PARALLELISM = 10;

  private final Provider provider;
  private final TimeSource time;

  public Engine(Provider provider, TimeSource time) {
    this.provider = provider;
    this.time = time;
  }

  String providerName() {
    return provider.name();
  }

  public TimeSource time() {
    return time;
  }

  /** The outputs and result of a run. */
  public record Run(ApplyResult result, Map<ResourceKey, Outputs> outputs) {}

  // ---- plan ----

  /** Validates, expands and reads the stack, and decides what an apply (or a destroy) would do. */
  public Plan plan(Stack stack, boolean destroy, DestroyOptions destroyOptions) {
    List<Resource> resources = expand(stack);
    Map<ResourceKey, Optional<Observed>> observed = read(stack, resources);
    List<Change> changes = destroy ? destroyChanges(stack, resources, observed, destroyOptions)
        : applyChanges(stack, resources, observed);
    return new EnginePlan(this, stack, destroy, destroyOptions, resources, observed, changes);
  }

  /** The outputs of every owned resource that exists. */
  public Map<ResourceKey, Outputs> currentOutputs(Stack stack) {
    Map<ResourceKey, Outputs> outputs = new HashMap<>();
    read(stack, expand(stack)).forEach((k, o) -> o.filter(Observed::owned).ifPresent(v -> outputs.put(k, v.outputs())));
    return outputs;
  }

  private List<Resource> expand(Stack stack) {
    Violations violations = new Violations();
    provider.validate(stack, violations);
    violations.throwIfAny();
    List<Resource> resources = provider.expand(stack);
    Map<ResourceKey, Resource> byKey = new LinkedHashMap<>();
    for (Resource r : resources) {
      if (byKey.put(r.key(), r) != null) {
        throw new IllegalStateException(provider.name() + " expanded two resources with the key " + r.key());
      }
    }
    for (Resource r : resources) {
      for (ResourceKey dep : r.dependencies()) {
        if (!byKey.containsKey(dep)) {
          throw new IllegalStateException(r.key() + " depends on " + dep + ", which the stack does not have");
        }
      }
    }
    return topologicalOrder(byKey);
  }

  private static List<Resource> topologicalOrder(Map<ResourceKey, Resource> byKey) {
    List<Resource> order = new ArrayList<>();
    Map<ResourceKey, Integer> state = new HashMap<>();
    for (Resource r : byKey.values()) {
      visit(r, byKey, state, order);
    }
    return order;
  }

  private static void visit(Resource r, Map<ResourceKey, Resource> byKey, Map<ResourceKey, Integer> state,
      List<Resource> order) {
    Integer s = state.get(r.key());
    if (s != null) {
      if (s == 1) {
        throw new IllegalStateException("dependency cycle through " + r.key());
      }
      return;
    }
    state.put(r.key(), 1);
    for (ResourceKey dep : r.dependencies()) {
      visit(byKey.get(dep), byKey, state, order);
    }
    state.put(r.key(), 2);
    order.add(r);
  }

  private Map<ResourceKey, Optional<Observed>> read(Stack stack, List<Resource> resources) {
    Map<ResourceKey, Optional<Observed>> observed = new ConcurrentHashMap<>();
    Map<ResourceKey, Resource> byKey = index(resources);
    OutputLookup outputs = key -> observed.getOrDefault(key, Optional.empty()).map(Observed::outputs);
    GraphRunner.Outcome outcome = GraphRunner.run(keys(resources), dependencies(resources, false), READ_PARALLELISM,
        "cloudpg-read", key -> {
          Resource r = byKey.get(key);
          // Nothing of the stack's can hang off a dependency that is absent or someone else's (that one is
          // reported as a conflict); reading would only trip over its missing outputs.
          boolean dependenciesExist = r.dependencies().stream()
              .allMatch(d -> observed.getOrDefault(d, Optional.empty()).filter(Observed::owned).isPresent());
          Optional<Observed> seen = dependenciesExist
              ? withRetries(() -> r.read(new Context(this, stack, r, ProvisioningListener.none(), outputs,
                  DestroyOptions.defaults(), ApplyOptions.defaults())), ApplyOptions.defaults(), r.key(),
                  ProvisioningListener.none())
              : Optional.empty();
          observed.put(key, seen);
        });
    if (!outcome.failed().isEmpty()) {
      Map.Entry<ResourceKey, Throwable> first = outcome.failed().entrySet().iterator().next();
      Throwable cause = first.getValue();
      if (cause instanceof CloudpgException) {
        throw (CloudpgException) cause;
      }
      throw new CloudpgException("reading " + first.getKey() + " failed: " + cause, cause);
    }
    return observed;
  }

  private List<Change> applyChanges(Stack stack, List<Resource> resources,
      Map<ResourceKey, Optional<Observed>> observed) {
    List<Change> changes = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    for (Resource r : resources) {
      Optional<Observed> seen = observed.get(r.key());
      if (seen.isEmpty()) {
        changes.add(new Change(r.key(), ChangeAction.CREATE, "does not exist", r.dependencies()));
      } else if (!seen.get().owned()) {
        conflicts.add(r.key() + " exists and is not owned by stack " + stack.name() + ": " + seen.get().description());
      } else {
        Map<String, String> diff = diff(r.desired(), seen.get());
        List<String> fixed = diff.keySet().stream().filter(k -> !r.updatable().contains(k)).toList();
        if (diff.isEmpty()) {
          changes.add(new Change(r.key(), ChangeAction.NOOP, "up to date", r.dependencies()));
        } else if (fixed.isEmpty()) {
          changes.add(new Change(r.key(), ChangeAction.UPDATE, describe(diff, seen.get()), r.dependencies()));
        } else {
          conflicts.add(r.key() + ": " + describe(diff, seen.get()) + "; changing " + fixed
              + " needs the resource replaced, which cloudpg never does: keep the value or destroy the stack first");
        }
      }
    }
    if (!conflicts.isEmpty()) {
      throw new ConflictException("stack " + stack.name() + " cannot be applied; nothing was changed:\n  "
          + String.join("\n  ", conflicts));
    }
    return changes;
  }

  private static Map<String, String> diff(Map<String, String> desired, Observed seen) {
    Map<String, String> diff = new TreeMap<>();
    desired.forEach((k, v) -> seen.property(k).filter(actual -> !actual.equals(v)).ifPresent(a -> diff.put(k, v)));
    return diff;
  }

  private static String describe(Map<String, String> diff, Observed seen) {
    List<String> parts = new ArrayList<>();
    diff.forEach((k, v) -> parts.add(k + ": " + seen.property(k).orElse("") + " -> " + v));
    return String.join(", ", parts);
  }

  private List<Change> destroyChanges(Stack stack, List<Resource> resources,
      Map<ResourceKey, Optional<Observed>> observed, DestroyOptions options) {
    List<Change> changes = new ArrayList<>();
    List<ResourceKey> protectedKeys = new ArrayList<>();
    Map<ResourceKey, List<ResourceKey>> reverse = dependencies(resources, true);
    for (int i = resources.size() - 1; i >= 0; i--) {
      Resource r = resources.get(i);
      Optional<Observed> seen = observed.get(r.key());
      List<ResourceKey> after = reverse.getOrDefault(r.key(), List.of());
      if (seen.isEmpty()) {
        changes.add(new Change(r.key(), ChangeAction.NOOP, "does not exist", after));
      } else if (!seen.get().owned()) {
        changes.add(new Change(r.key(), ChangeAction.NOOP,
            "not owned by stack " + stack.name() + ", left alone: " + seen.get().description(), after));
      } else {
        if (seen.get().deletionProtected() && !options.overrideDeletionProtection()) {
          protectedKeys.add(r.key());
        }
        changes.add(new Change(r.key(), ChangeAction.DELETE, "owned by stack " + stack.name()
            + (seen.get().deletionProtected() ? ", deletion protection will be turned off" : ""), after));
      }
    }
    if (!protectedKeys.isEmpty()) {
      throw new DeletionProtectedException(protectedKeys);
    }
    return changes;
  }

  // ---- apply ----

  /** Applies a plan made by this engine. */
  public Run apply(Plan plan, ProvisioningListener listener, ApplyOptions options) {
    if (!(plan instanceof EnginePlan) || ((EnginePlan) plan).engine() != this) {
      throw new IllegalArgumentException("this plan was made by another cloud; plan with this one");
    }
    EnginePlan p = (EnginePlan) plan;
    Map<ResourceKey, Resource> byKey = index(p.resources());
    Map<ResourceKey, Outputs> outputs = new ConcurrentHashMap<>();
    for (Resource r : p.resources()) {
      p.observed(r.key()).filter(Observed::owned).ifPresent(o -> outputs.put(r.key(), o.outputs()));
    }
    List<Change> steps = p.changes().stream().filter(c -> c.action() != ChangeAction.NOOP).toList();
    String operation = (p.isDestroy() ? "destroy" : "apply") + " of stack " + p.stack().name();
    Instant start = time.now();
    listener.onEvent(ProvisioningEvent.ofRun(Type.RUN_STARTED, start, Duration.ZERO,
        operation + ": " + steps.size() + " steps, parallelism " + options.parallelism()));
    OutputLookup lookup = key -> Optional.ofNullable(outputs.get(key));
    GraphRunner.Outcome outcome = GraphRunner.run(keys(p.resources()), dependencies(p.resources(), p.isDestroy()),
        options.parallelism(), "cloudpg-" + p.stack().name(), key -> {
          Change change = p.change(key);
          if (change.action() == ChangeAction.NOOP) {
            return;
          }
          Resource r = byKey.get(key);
          Context ctx = new Context(this, p.stack(), r, listener, lookup, p.destroyOptions(), options);
          Instant stepStart = time.now();
          listener.onEvent(ProvisioningEvent.of(Type.STARTED, key, change.action(), stepStart, Duration.ZERO,
              verb(change.action(), false)));
          try {
            Outputs result = withRetries(() -> step(r, change, p.observed(key), ctx), options, key, listener);
            if (change.action() == ChangeAction.DELETE) {
              outputs.remove(key);
            } else {
              outputs.put(key, result);
            }
            Duration took = Duration.between(stepStart, time.now());
            listener.onEvent(ProvisioningEvent.of(Type.COMPLETED, key, change.action(), time.now(), took,
                verb(change.action(), true) + " in " + Durations.format(took)));
          } catch (RuntimeException e) {
            listener.onEvent(ProvisioningEvent.of(Type.FAILED, key, change.action(), time.now(),
                Duration.between(stepStart, time.now()), String.valueOf(e.getMessage())));
            throw e;
          }
        });
    List<ResourceKey> done = outcome.done().stream().filter(k -> p.change(k).action() != ChangeAction.NOOP).toList();
    List<ResourceKey> skipped =
        outcome.notStarted().stream().filter(k -> p.change(k).action() != ChangeAction.NOOP).toList();
    Instant end = time.now();
    skipped.forEach(k -> listener.onEvent(ProvisioningEvent.of(Type.SKIPPED, k, p.change(k).action(), end,
        Duration.ZERO, "not started: the run stopped after a failure")));
    ApplyResult result = new ApplyResult(done, outcome.failed(), skipped, Duration.between(start, end));
    listener.onEvent(ProvisioningEvent.ofRun(Type.RUN_FINISHED, end, result.elapsed(), operation
        + (result.failed().isEmpty() ? " finished: " : " failed: " + result.failed().size() + " failed, ")
        + done.size() + " done, " + skipped.size() + " skipped, in " + Durations.format(result.elapsed())));
    if (!result.failed().isEmpty()) {
      throw new ApplyFailedException(operation, result);
    }
    return new Run(result, Map.copyOf(outputs));
  }

  private static Outputs step(Resource r, Change change, Optional<Observed> current, Context ctx) {
    switch (change.action()) {
      case CREATE:
        return r.create(ctx);
      case UPDATE: {
        Map<String, String> changes = diff(r.desired(), current.orElseThrow());
        return r.update(ctx, current.orElseThrow(), changes);
      }
      case DELETE:
        r.delete(ctx, current.orElseThrow());
        return Outputs.empty();
      default:
        throw new IllegalStateException(change.toString());
    }
  }

  private static String verb(ChangeAction action, boolean past) {
    switch (action) {
      case CREATE:
        return past ? "created" : "creating";
      case UPDATE:
        return past ? "updated" : "updating";
      case DELETE:
        return past ? "deleted" : "deleting";
      default:
        return past ? "unchanged" : "checking";
    }
  }

  /** Runs a step, retrying it while the provider calls its (translated) failure transient. */
  <T> T withRetries(Supplier<T> step, ApplyOptions options, ResourceKey key, ProvisioningListener listener) {
    double realPerSimulated = time.toReal(Duration.ofSeconds(1)).toNanos() / 1e9;
    RetryPolicy<Object> policy = RetryPolicy.builder()
        .handleIf(provider::isRetryable)
        .withMaxAttempts(options.maxAttempts())
        .withBackoff(atLeastOneNano(time.toReal(options.retryDelay())),
            atLeastOneNano(time.toReal(options.maxRetryDelay())).plusNanos(1))
        .withJitter(0.25)
        .onRetryScheduled(e -> listener.onEvent(ProvisioningEvent.of(Type.RETRYING, key, null, time.now(),
            Duration.ZERO, "attempt " + e.getAttemptCount() + " failed (" + e.getLastException().getMessage()
                + "); retrying in " + Durations.format(Duration.ofNanos(
                    (long) (e.getDelay().toNanos() / realPerSimulated))))))
        .build();
    return Failsafe.with(policy).get(() -> {
      try {
        return step.get();
      } catch (RuntimeException e) {
        throw provider.translate(e);
      }
    });
  }

  private static Duration atLeastOneNano(Duration d) {
    return d.compareTo(Duration.ZERO) > 0 ? d : Duration.ofNanos(1);
  }

  private static Map<ResourceKey, Resource> index(List<Resource> resources) {
    Map<ResourceKey, Resource> byKey = new HashMap<>();
    resources.forEach(r -> byKey.put(r.key(), r));
    return byKey;
  }

  private static List<ResourceKey> keys(List<Resource> resources) {
    return resources.stream().map(Resource::key).toList();
  }

  /** Dependencies as the runner needs them; reversed for a destroy, where dependents go first. */
  private static Map<ResourceKey, List<ResourceKey>> dependencies(List<Resource> resources, boolean reversed) {
    Map<ResourceKey, List<ResourceKey>> deps = new HashMap<>();
    for (Resource r : resources) {
      if (reversed) {
        r.dependencies().forEach(d -> deps.computeIfAbsent(d, k -> new ArrayList<>()).add(r.key()));
      } else {
        deps.put(r.key(), r.dependencies());
      }
    }
    return deps;
  }

  /** Finds the outputs of a resource, as read while planning or as made during the run. */
  interface OutputLookup {
    Optional<Outputs> find(ResourceKey key);
  }

  /** The step context the engine hands to resources. */
  static final class Context implements StepContext {
    private final Engine engine;
    private final Stack stack;
    private final Resource resource;
    private final ProvisioningListener listener;
    private final OutputLookup outputs;
    private final DestroyOptions destroyOptions;
    private final ApplyOptions applyOptions;

    Context(Engine engine, Stack stack, Resource resource, ProvisioningListener listener, OutputLookup outputs,
        DestroyOptions destroyOptions, ApplyOptions applyOptions) {
      this.engine = engine;
      this.stack = stack;
      this.resource = resource;
      this.listener = listener;
      this.outputs = outputs;
      this.destroyOptions = destroyOptions;
      this.applyOptions = applyOptions;
    }

    @Override
    public ResourceKey key() {
      return resource.key();
    }

    @Override
    public Stack stack() {
      return stack;
    }

    @Override
    public Optional<Outputs> findOutputs(ResourceKey key) {
      return outputs.find(key);
    }

    @Override
    public Map<String, String> ownershipTags() {
      Map<String, String> tags = new LinkedHashMap<>(stack.tags());
      tags.put("cloudpg:stack", stack.name());
      tags.put("cloudpg:key", resource.key().toString());
      return tags;
    }

    @Override
    public DestroyOptions destroyOptions() {
      return destroyOptions;
    }

    @Override
    public TimeSource time() {
      return engine.time;
    }

    @Override
    public <T> T await(String awaited, Supplier<Probe<T>> probe) {
      WaitPolicy policy = applyOptions.waitTimeout().filter(t -> t.compareTo(resource.waitPolicy().timeout()) < 0)
          .map(resource.waitPolicy()::withTimeout).orElse(resource.waitPolicy());
      TimeSource time = engine.time;
      Instant start = time.now();
      Duration delay = policy.initialDelay();
      String lastState = null;
      while (true) {
        Probe<T> p = poll(probe);
        if (p.isDone()) {
          return p.value().orElseThrow();
        }
        if (p.isFailed()) {
          throw new CloudpgException(key() + ": " + p.state());
        }
        Duration waited = Duration.between(start, time.now());
        if (!p.state().equals(lastState)) {
          lastState = p.state();
          listener.onEvent(ProvisioningEvent.of(Type.WAITING, key(), null, time.now(), waited,
              "waiting until " + awaited + ": " + p.state()));
        }
        if (waited.compareTo(policy.timeout()) >= 0) {
          throw new WaitTimedOutException(key(), awaited, waited, lastState);
        }
        double factor = 1 + policy.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        Duration sleep = Duration.ofNanos((long) (delay.toNanos() * factor));
        Duration left = policy.timeout().minus(waited);
        try {
          time.sleep(sleep.compareTo(left) < 0 ? sleep : left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CloudpgException(key() + ": interrupted while waiting until " + awaited);
        }
        Duration next = Duration.ofNanos((long) (delay.toNanos() * policy.multiplier()));
        delay = next.compareTo(policy.maxDelay()) < 0 ? next : policy.maxDelay();
      }
    }

    /** One poll; a transient error (throttling, say) counts as one more pending poll, not as the step's failure. */
    private <T> Probe<T> poll(Supplier<Probe<T>> probe) {
      try {
        return probe.get();
      } catch (RuntimeException e) {
        RuntimeException translated = engine.provider.translate(e);
        if (engine.provider.isRetryable(translated)) {
          return Probe.pending("poll failed transiently (" + translated.getMessage() + ")");
        }
        throw translated;
      }
    }

    @Override
    public void note(String message) {
      listener.onEvent(ProvisioningEvent.of(Type.NOTE, key(), null, engine.time.now(), Duration.ZERO, message));
    }
  }
}
