package dev.cloudpg.internal;

import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ApplyResult;
import dev.cloudpg.Change;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.CloudpgException;
import dev.cloudpg.ConflictException;
import dev.cloudpg.DeletionProtectedException;
import dev.cloudpg.DestroyIncompleteException;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Plan;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackLockedException;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.Violations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The plan/apply engine: expands a stack through its provider, reads every resource, decides the changes, and runs
 * them in dependency order through the {@link Scheduler}, with the retries and waits of {@link StepJob}.
 */
public final class Engine {
  /** How many reads run at once while planning. */
  static final int READ_PARALLELISM = 10;

  private final Provider provider;
  private final TimeSource time;
  private final Map<String, Semaphore> localRuns = new ConcurrentHashMap<>();

  public Engine(Provider provider, TimeSource time) {
    this.provider = provider;
    this.time = time;
  }

  String providerName() {
    return provider.name();
  }

  Provider provider() {
    return provider;
  }

  public TimeSource time() {
    return time;
  }

  /** The outputs and result of a run. */
  public record Run(ApplyResult result, Map<ResourceKey, Outputs> outputs) {}

  // ---- plan ----

  /**
   * Validates, expands, discovers and reads the stack, and decides what an apply (or a destroy) would do. Transient
   * read failures are retried, each retry reported to {@code listener}.
   */
  public Plan plan(Stack stack, boolean destroy, DestroyOptions destroyOptions, ProvisioningListener listener,
      ApplyOptions options) {
    List<Resource> spec = expand(stack);
    if (!destroy) {
      checkReferences(stack, listener);
    }
    Inventory inventory = inventory(stack, spec, destroy, listener);
    List<Resource> resources = topologicalOrder(inventory.all());
    Map<ResourceKey, Optional<Observed>> observed = read(stack, resources, inventory, listener);
    Graph graph = destroy ? destroyChanges(stack, resources, observed, destroyOptions)
        : applyChanges(stack, inventory, resources, observed, options);
    List<String> notes = new ArrayList<>(leaseNotes(stack));
    if (!destroy) {
      notes.addAll(provider.notes(stack));
      notes.addAll(inventory.kept);
    }
    return new EnginePlan(this, stack, destroy, destroyOptions, resources, observed, graph.changes, graph.run,
        inventory, notes, options);
  }

  /** A plan takes no lease, but says when another run holds one. */
  private List<String> leaseNotes(Stack stack) {
    Instant now = time.now();
    return provider.leases().flatMap(store -> store.current(stack)).filter(r -> r.expires().isAfter(now))
        .map(r -> List.of("stack " + stack.name() + " is being applied by " + r.holder() + " since " + r.since()
            + "; applying now waits for it"))
        .orElse(List.of());
  }

  /** The outputs of every owned resource that exists. */
  public Map<ResourceKey, Outputs> currentOutputs(Stack stack) {
    List<Resource> spec = expand(stack);
    Inventory inventory = inventory(stack, spec, false, ProvisioningListener.none());
    Map<ResourceKey, Outputs> outputs = new HashMap<>();
    read(stack, spec, inventory, ProvisioningListener.none())
        .forEach((k, o) -> o.filter(Observed::owned).ifPresent(v -> outputs.put(k, v.outputs())));
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
    return topologicalOrder(resources);
  }

  /** What the spec names and, when the provider discovers, what else the stack owns. */
  private Inventory inventory(Stack stack, List<Resource> spec, boolean destroy, ProvisioningListener listener) {
    return discover(stack, listener).map(found -> Inventory.of(provider, stack, spec, found, destroy))
        .orElseGet(() -> Inventory.specOnly(spec));
  }

  /** The provider's discovery, retried like a read. */
  Optional<List<Discovered>> discover(Stack stack, ProvisioningListener listener) {
    ResourceKey key = ResourceKey.of(provider.name(), "discovery", stack.name());
    List<Optional<List<Discovered>>> found = new ArrayList<>();
    Scheduler.Outcome outcome = Scheduler.run(List.of(key), Map.of(), 1, time, "cloudpg-discover",
        k -> StepJob.call(this, key, () -> found.add(provider.discover(stack)), ApplyOptions.defaults(), listener));
    rethrow(outcome, "discovering the resources of stack " + stack.name());
    return found.get(0);
  }

  /** The provider's check of what the spec refers to outside the stack, retried like a read. */
  private void checkReferences(Stack stack, ProvisioningListener listener) {
    ResourceKey key = ResourceKey.of(provider.name(), "references", stack.name());
    // a fresh collection per attempt, so that a retried check reports each problem once
    java.util.concurrent.atomic.AtomicReference<Violations> last = new java.util.concurrent.atomic.AtomicReference<>();
    Scheduler.Outcome outcome = Scheduler.run(List.of(key), Map.of(), 1, time, "cloudpg-check", k -> StepJob.call(
        this, key, () -> {
          Violations attempt = new Violations();
          provider.checkReferences(stack, attempt);
          last.set(attempt);
        }, ApplyOptions.defaults(), listener));
    rethrow(outcome, "checking what stack " + stack.name() + " refers to");
    last.get().throwIfAny();
  }

  private static List<Resource> topologicalOrder(List<Resource> resources) {
    Map<ResourceKey, Resource> byKey = new LinkedHashMap<>();
    resources.forEach(r -> byKey.put(r.key(), r));
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

  private Map<ResourceKey, Optional<Observed>> read(Stack stack, List<Resource> resources, Inventory inventory,
      ProvisioningListener listener) {
    Map<ResourceKey, Optional<Observed>> observed = new ConcurrentHashMap<>();
    Map<ResourceKey, Resource> byKey = index(resources);
    ApplyOptions options = ApplyOptions.defaults();
    Map<ResourceKey, List<ResourceKey>> readAfter = new HashMap<>();
    // Orphans are read by what discovery found, so they wait for nothing.
    inventory.spec.forEach(r -> readAfter.put(r.key(), r.dependencies()));
    Scheduler.Outcome outcome = Scheduler.run(keys(resources), readAfter, READ_PARALLELISM, time, "cloudpg-read",
        key -> {
          Resource r = byKey.get(key);
          // Nothing of the stack's can hang off a dependency that is absent or someone else's (that one is
          // reported as a conflict); reading would only trip over its missing outputs.
          boolean dependenciesExist = readAfter.getOrDefault(key, List.of()).stream()
              .allMatch(d -> observed.getOrDefault(d, Optional.empty()).filter(Observed::owned).isPresent());
          if (!dependenciesExist) {
            observed.put(key, Optional.empty());
            return Optional::empty;
          }
          Context ctx = new Context(this, stack, r, listener,
              k -> observed.getOrDefault(k, Optional.empty()).map(Observed::outputs), DestroyOptions.defaults(),
              inventory.discoveredFor(r));
          return StepJob.read(this, r, ctx, options, seen -> observed.put(key, seen));
        });
    rethrow(outcome, "planning stack " + stack.name());
    return observed;
  }

  private static void rethrow(Scheduler.Outcome outcome, String what) {
    outcome.interrupted().ifPresent(e -> {
      throw new CloudpgException(what + " was interrupted", e);
    });
    if (!outcome.failed().isEmpty()) {
      Map.Entry<ResourceKey, Throwable> first = outcome.failed().entrySet().iterator().next();
      Throwable cause = first.getValue();
      if (cause instanceof CloudpgException) {
        throw (CloudpgException) cause;
      }
      throw new CloudpgException("reading " + first.getKey() + " failed: " + cause, cause);
    }
  }

  /** The plan's lines, and what each step waits for in the run. */
  private record Graph(List<Change> changes, Map<ResourceKey, List<ResourceKey>> run) {}

  private Graph applyChanges(Stack stack, Inventory inventory, List<Resource> resources,
      Map<ResourceKey, Optional<Observed>> observed, ApplyOptions options) {
    List<Change> changes = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    Map<ResourceKey, List<ResourceKey>> run = new HashMap<>();
    List<ResourceKey> specKeys = keys(inventory.spec);
    List<ResourceKey> replaced = new ArrayList<>();
    for (Resource r : resources) {
      if (r instanceof Inventory.Orphan) {
        continue;
      }
      run.put(r.key(), r.dependencies());
      Optional<Observed> seen = observed.get(r.key());
      Optional<ResourceKey> follows = r.dependencies().stream().filter(replaced::contains).findFirst();
      if (seen.isEmpty()) {
        changes.add(new Change(r.key(), ChangeAction.CREATE, "does not exist", r.dependencies()));
      } else if (!seen.get().owned()) {
        conflicts.add(r.key() + " exists and is not owned by stack " + stack.name() + ": " + seen.get().description());
      } else {
        Map<String, String> diff = diff(r.desired(), seen.get());
        List<String> fixed = diff.keySet().stream()
            .filter(k -> !r.updatable().contains(k) && !r.replaceable().contains(k)).toList();
        boolean replace = diff.keySet().stream().anyMatch(k -> r.replaceable().contains(k));
        if (diff.isEmpty() && follows.isPresent()) {
          changes.add(new Change(r.key(), ChangeAction.UPDATE, "follows the replacement of " + follows.get(),
              r.dependencies()));
        } else if (diff.isEmpty()) {
          changes.add(new Change(r.key(), ChangeAction.NOOP, "up to date", r.dependencies()));
        } else if (fixed.isEmpty() && replace) {
          replaced.add(r.key());
          changes.add(new Change(r.key(), ChangeAction.REPLACE, describe(diff, seen.get())
              + "; the new one first, then what depends on it, then the old one is deleted", r.dependencies()));
        } else if (fixed.isEmpty()) {
          changes.add(new Change(r.key(), ChangeAction.UPDATE, describe(diff, seen.get())
              + follows.map(f -> "; follows the replacement of " + f).orElse(""), r.dependencies()));
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
    // The old one of a replaced resource goes once the new one and its direct dependents are done.
    Map<ResourceKey, List<ResourceKey>> specDependents = dependents(inventory.spec);
    for (ResourceKey k : replaced) {
      List<ResourceKey> after = new ArrayList<>(List.of(k));
      after.addAll(specDependents.getOrDefault(k, List.of()));
      run.put(oldOf(k), after);
    }
    // What the spec no longer names goes once everything it names is done (new before old), dependents first.
    Map<ResourceKey, List<ResourceKey>> dependents = dependents(inventory.orphans);
    List<ResourceKey> protectedKeys = new ArrayList<>();
    for (int i = resources.size() - 1; i >= 0; i--) {
      if (!(resources.get(i) instanceof Inventory.Orphan)) {
        continue;
      }
      Inventory.Orphan o = (Inventory.Orphan) resources.get(i);
      List<ResourceKey> first = dependents.getOrDefault(o.key(), List.of());
      List<ResourceKey> after = new ArrayList<>(specKeys);
      after.addAll(first);
      run.put(o.key(), after);
      Optional<Observed> seen = observed.get(o.key());
      if (seen.isEmpty()) {
        changes.add(new Change(o.key(), ChangeAction.NOOP, "already gone", first));
      } else if (!seen.get().owned()) {
        changes.add(new Change(o.key(), ChangeAction.NOOP, "not owned by stack " + stack.name() + ", left alone: "
            + seen.get().description(), first));
      } else if (!options.prune()) {
        changes.add(new Change(o.key(), ChangeAction.NOOP, "kept: " + o.reason + " (ApplyOptions.prune is off)",
            first));
      } else {
        if (seen.get().deletionProtected()) {
          protectedKeys.add(o.key());
        }
        changes.add(new Change(o.key(), ChangeAction.DELETE, o.reason, first));
      }
    }
    if (!protectedKeys.isEmpty()) {
      throw new DeletionProtectedException("stack " + stack.name() + " no longer names " + protectedKeys
          + ", which deletion protection keeps; nothing was changed. Put it back in the spec, or apply it once with "
          + "deletionProtection(false) and then remove it, or apply with ApplyOptions.prune(false) to keep it",
          protectedKeys);
    }
    return new Graph(changes, run);
  }

  /** The run's step that deletes the old one of a replaced resource. */
  static ResourceKey oldOf(ResourceKey replaced) {
    return ResourceKey.of(replaced.provider(), replaced.type(), replaced.name() + " (old)");
  }

  /** For each resource, the resources among {@code resources} that depend on it. */
  private static Map<ResourceKey, List<ResourceKey>> dependents(List<? extends Resource> resources) {
    Map<ResourceKey, List<ResourceKey>> dependents = new HashMap<>();
    resources.forEach(r -> r.dependencies().forEach(d -> dependents.computeIfAbsent(d, k -> new ArrayList<>())
        .add(r.key())));
    return dependents;
  }

  static Map<String, String> diff(Map<String, String> desired, Observed seen) {
    Map<String, String> diff = new TreeMap<>();
    desired.forEach((k, v) -> seen.property(k).filter(actual -> !actual.equals(v)).ifPresent(a -> diff.put(k, v)));
    return diff;
  }

  private static String describe(Map<String, String> diff, Observed seen) {
    List<String> parts = new ArrayList<>();
    diff.forEach((k, v) -> parts.add(k + ": " + seen.property(k).orElse("") + " -> " + v));
    return String.join(", ", parts) + seen.changeNote().map(n -> " (" + n + ")").orElse("");
  }

  private Graph destroyChanges(Stack stack, List<Resource> resources, Map<ResourceKey, Optional<Observed>> observed,
      DestroyOptions options) {
    List<Change> changes = new ArrayList<>();
    List<ResourceKey> protectedKeys = new ArrayList<>();
    Map<ResourceKey, List<ResourceKey>> reverse = dependents(resources);
    for (int i = resources.size() - 1; i >= 0; i--) {
      Resource r = resources.get(i);
      Optional<Observed> seen = observed.get(r.key());
      List<ResourceKey> after = reverse.getOrDefault(r.key(), List.of());
      String why = r instanceof Inventory.Orphan ? ", " + ((Inventory.Orphan) r).reason : "";
      if (seen.isEmpty()) {
        changes.add(new Change(r.key(), ChangeAction.NOOP, "does not exist", after));
      } else if (!seen.get().owned()) {
        changes.add(new Change(r.key(), ChangeAction.NOOP,
            "not owned by stack " + stack.name() + ", left alone: " + seen.get().description(), after));
      } else {
        if (seen.get().deletionProtected() && !options.overrideDeletionProtection()) {
          protectedKeys.add(r.key());
        }
        changes.add(new Change(r.key(), ChangeAction.DELETE, "owned by stack " + stack.name() + why
            + (seen.get().deletionProtected() ? ", deletion protection will be turned off" : ""), after));
      }
    }
    if (!protectedKeys.isEmpty()) {
      throw new DeletionProtectedException(protectedKeys);
    }
    return new Graph(changes, reverse);
  }

  // ---- apply ----

  /**
   * Applies a plan made by this engine, holding the stack's lease. Under the lease the stack is read again: when
   * another run changed it since the plan was made, nothing is done and a {@link ConflictException} says to plan
   * again, unless the stack now needs no change at all (another run applied the same spec meanwhile), which a note
   * says; otherwise the fresh reads are used.
   */
  public Run apply(Plan plan, ProvisioningListener listener, ApplyOptions options) {
    if (!(plan instanceof EnginePlan) || ((EnginePlan) plan).engine() != this) {
      throw new IllegalArgumentException("this plan was made by another cloud; plan with this one");
    }
    EnginePlan p = (EnginePlan) plan;
    return underLease(p.stack(), listener, options, lease -> {
      EnginePlan fresh = (EnginePlan) plan(p.stack(), p.isDestroy(), p.destroyOptions(), listener,
          p.planOptions());
      List<String> was = p.changes().stream().map(Change::toString).toList();
      List<String> now = fresh.changes().stream().map(Change::toString).toList();
      if (!was.equals(now)) {
        if (fresh.hasChanges()) {
          List<String> differ = now.stream().filter(c -> !was.contains(c)).toList();
          throw new ConflictException("stack " + p.stack().name() + " changed since this plan was made (another run "
              + "applied it?); nothing was changed. Plan again. Now:\n  " + String.join("\n  ", differ));
        }
        listener.onEvent(ProvisioningEvent.ofRun(Type.NOTE, time.now(), Duration.ZERO, "stack " + p.stack().name()
            + " was brought to this plan's state by another run meanwhile: nothing is left to do"));
      }
      return run(fresh, listener, options, lease);
    });
  }

  /** Plans and applies the stack (or its destroy) under its lease, so the plan is never stale. */
  public Run planAndApply(Stack stack, boolean destroy, DestroyOptions destroyOptions, ProvisioningListener listener,
      ApplyOptions options) {
    expand(stack); // an invalid stack is refused before any call, the lease's included
    if (!destroy) {
      checkReferences(stack, listener); // and a reference to nothing before the lease is taken
    }
    return underLease(stack, listener, options,
        lease -> run((EnginePlan) plan(stack, destroy, destroyOptions, listener, options), listener, options, lease));
  }

  /**
   * Runs {@code body} holding the stack's lease: in this engine (one run of a stack at a time per cloud object) and
   * in the cloud, when the provider keeps leases; released at the end, also on failure.
   */
  private Run underLease(Stack stack, ProvisioningListener listener, ApplyOptions options,
      java.util.function.Function<Optional<StackLease>, Run> body) {
    Semaphore local = localRuns.computeIfAbsent(stack.name(), k -> new Semaphore(1));
    try {
      if (!local.tryAcquire()) {
        listener.onEvent(ProvisioningEvent.ofRun(Type.WAITING, time.now(), Duration.ZERO, "another run of stack "
            + stack.name() + " in this process is under way; waiting up to " + Durations.format(options.leaseWait())
            + " for it to finish"));
        if (!local.tryAcquire(options.leaseWait().toNanos(), TimeUnit.NANOSECONDS)) {
          throw new StackLockedException(stack.name(), "another run in this process", time.now(), time.now());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudpgException("interrupted while waiting for another run of stack " + stack.name(), e);
    }
    try {
      Optional<StackLease> lease = StackLease.take(provider.leases(), stack, time, options, listener,
          e -> provider.retry(provider.translate(e)).isTransient());
      try {
        return body.apply(lease);
      } finally {
        lease.ifPresent(StackLease::close);
      }
    } finally {
      local.release();
    }
  }

  private Run run(EnginePlan p, ProvisioningListener listener, ApplyOptions options, Optional<StackLease> lease) {
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
    Set<ResourceKey> kept = ConcurrentHashMap.newKeySet();
    Map<ResourceKey, ResourceKey> olds = new HashMap<>();
    p.changes().stream().filter(c -> c.action() == ChangeAction.REPLACE)
        .forEach(c -> olds.put(oldOf(c.resource()), c.resource()));
    List<ResourceKey> runKeys = new ArrayList<>(keys(p.resources()));
    runKeys.addAll(olds.keySet());
    Scheduler.Outcome outcome = Scheduler.run(runKeys, p.runDependencies(), options.parallelism(), time,
        "cloudpg-" + p.stack().name(), key -> {
          if (olds.containsKey(key)) {
            Resource r = byKey.get(olds.get(key));
            Context ctx = new Context(this, p.stack(), r, listener, k -> Optional.ofNullable(outputs.get(k)),
                p.destroyOptions(), p.inventory().discoveredFor(r));
            return StepJob.change(this, r, ChangeAction.DELETE, p.observed(r.key()), ctx, options, listener,
                gone -> {});
          }
          Change change = p.change(key);
          Resource r = byKey.get(key);
          if (change.action() == ChangeAction.NOOP) {
            return Optional::empty;
          }
          if (change.action() == ChangeAction.DELETE && !p.isDestroy() && !options.prune()) {
            kept.add(key);
            listener.onEvent(ProvisioningEvent.of(Type.NOTE, key, null, time.now(), Duration.ZERO,
                "kept: ApplyOptions.prune is off"));
            return Optional::empty;
          }
          Context ctx = new Context(this, p.stack(), r, listener, k -> Optional.ofNullable(outputs.get(k)),
              p.destroyOptions(), p.inventory().discoveredFor(r));
          return StepJob.change(this, r, change.action(), p.observed(key), ctx, options, listener, result -> {
            if (change.action() == ChangeAction.DELETE) {
              outputs.remove(key);
            } else {
              outputs.put(key, result);
            }
          });
        }, lease.<Scheduler.Chore>map(l -> new Scheduler.Chore() {
          @Override
          public ResourceKey key() {
            return ResourceKey.of(provider.name(), "lease", p.stack().name());
          }

          @Override
          public Instant dueAt() {
            return l.renewAt();
          }

          @Override
          public void run() {
            l.renewIfDue();
          }
        }).orElse(Scheduler.NO_CHORE));
    List<ResourceKey> done = outcome.done().stream().filter(k -> !olds.containsKey(k))
        .filter(k -> p.change(k).action() != ChangeAction.NOOP && !kept.contains(k)).toList();
    java.util.function.Function<ResourceKey, ChangeAction> actionOf =
        k -> olds.containsKey(k) ? ChangeAction.DELETE : p.change(k).action();
    List<ResourceKey> skipped =
        outcome.notStarted().stream().filter(k -> actionOf.apply(k) != ChangeAction.NOOP).toList();
    Instant end = time.now();
    String why = outcome.interrupted().isPresent() ? "not started: the run was interrupted"
        : "not started: the run stopped after a failure";
    skipped.forEach(k -> listener.onEvent(ProvisioningEvent.of(Type.SKIPPED, k, actionOf.apply(k), end,
        Duration.ZERO, why)));
    ApplyResult result = new ApplyResult(done, outcome.failed(), skipped, Duration.between(start, end));
    String verdict = outcome.interrupted().isPresent() ? " interrupted: "
        : result.failed().isEmpty() ? " finished: " : " failed: " + result.failed().size() + " failed, ";
    listener.onEvent(ProvisioningEvent.ofRun(Type.RUN_FINISHED, end, result.elapsed(), operation + verdict
        + done.size() + " done, " + skipped.size() + " skipped, in " + Durations.format(result.elapsed())));
    if (outcome.interrupted().isPresent()) {
      throw new CloudpgException(operation + " was interrupted; applying again resumes: " + done.size()
          + " done, unfinished " + result.failed().keySet(), outcome.interrupted().get());
    }
    if (!result.failed().isEmpty()) {
      throw new ApplyFailedException(operation, result);
    }
    if (p.isDestroy() && p.inventory().discovered) {
      verifyGone(p.stack(), p.destroyOptions(), listener);
    }
    return new Run(result, Map.copyOf(outputs));
  }

  /** A destroy ends with a discovery that must find nothing of the stack's but what it keeps on purpose. */
  private void verifyGone(Stack stack, DestroyOptions options, ProvisioningListener listener) {
    List<String> left = discover(stack, listener).orElse(List.of()).stream()
        .filter(d -> !provider.keptOnDestroy(d, options)).map(Discovered::toString).toList();
    if (!left.isEmpty()) {
      throw new DestroyIncompleteException(stack.name(), left);
    }
  }

  private static Map<ResourceKey, Resource> index(List<Resource> resources) {
    Map<ResourceKey, Resource> byKey = new HashMap<>();
    resources.forEach(r -> byKey.put(r.key(), r));
    return byKey;
  }

  private static List<ResourceKey> keys(List<Resource> resources) {
    return resources.stream().map(Resource::key).toList();
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
    private final Optional<Discovered> discovered;

    Context(Engine engine, Stack stack, Resource resource, ProvisioningListener listener, OutputLookup outputs,
        DestroyOptions destroyOptions, Optional<Discovered> discovered) {
      this.discovered = discovered;
      this.engine = engine;
      this.stack = stack;
      this.resource = resource;
      this.listener = listener;
      this.outputs = outputs;
      this.destroyOptions = destroyOptions;
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
    public DestroyOptions destroyOptions() {
      return destroyOptions;
    }

    @Override
    public Optional<Discovered> discovered() {
      return discovered;
    }

    @Override
    public TimeSource time() {
      return engine.time;
    }

    ProvisioningListener listener() {
      return listener;
    }

    @Override
    public void note(String message) {
      listener.onEvent(ProvisioningEvent.of(Type.NOTE, key(), null, engine.time.now(), Duration.ZERO, message));
    }
  }
}
