package dev.cloudpg.internal;

import dev.cloudpg.ConflictException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a stack is made of for one plan: the resources its spec names, and, from discovery, what the stack owns
 * beyond them: resources the spec no longer names and extra duplicates of one key, each as an {@link Orphan} to
 * delete. For each key the spec names and discovery found, the one resource its read must use.
 */
final class Inventory {
  final List<Resource> spec;
  final List<Orphan> orphans = new ArrayList<>();
  /** What an apply keeps on purpose although the spec no longer names it, each with why: notes of the plan. */
  final List<String> kept = new ArrayList<>();
  final Map<ResourceKey, Discovered> chosen = new HashMap<>();
  final boolean discovered;

  /** A resource to remove: the spec no longer names it, or it duplicates one the stack keeps. */
  static final class Orphan implements Resource {
    final Resource inner;
    final ResourceKey key;
    final Discovered found;
    final String reason;
    private final List<ResourceKey> dependencies;

    Orphan(Resource inner, ResourceKey key, Discovered found, String reason, List<ResourceKey> dependencies) {
      this.inner = inner;
      this.key = key;
      this.found = found;
      this.reason = reason;
      this.dependencies = List.copyOf(dependencies);
    }

    /**
     * This orphan, waiting for (when created; so deleted before) what it names as dependencies and what it
     * references, among what the plan holds.
     */
    Orphan withDependencies(Set<ResourceKey> present, Map<String, ResourceKey> keyOfId) {
      Set<ResourceKey> deps = new java.util.LinkedHashSet<>(inner.dependencies());
      found.references().stream().map(keyOfId::get).filter(java.util.Objects::nonNull).forEach(deps::add);
      return new Orphan(inner, key, found, reason, deps.stream().filter(present::contains)
          .filter(k -> !k.equals(key)).toList());
    }

    @Override
    public ResourceKey key() {
      return key;
    }

    @Override
    public List<ResourceKey> dependencies() {
      return dependencies;
    }

    @Override
    public Map<String, String> desired() {
      return Map.of();
    }

    @Override
    public WaitPolicy waitPolicy() {
      return inner.waitPolicy();
    }

    @Override
    public Optional<Observed> read(StepContext ctx) {
      return inner.read(ctx);
    }

    @Override
    public Outputs create(StepContext ctx) {
      throw new IllegalStateException(key + " is only ever deleted");
    }

    @Override
    public void delete(StepContext ctx, Observed current) {
      inner.delete(ctx, current);
    }

    @Override
    public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
      return inner.checkDeleted(ctx, current);
    }
  }

  private Inventory(List<Resource> spec, boolean discovered) {
    this.spec = spec;
    this.discovered = discovered;
  }

  /** Only what the spec names: for providers that cannot discover. */
  static Inventory specOnly(List<Resource> spec) {
    return new Inventory(spec, false);
  }

  /**
   * Matches what discovery found with the spec. For several resources under one key, keeps the one in use (another
   * owned resource hangs off it), or, when none is, the oldest; refuses when several are in use.
   */
  static Inventory of(Provider provider, Stack stack, List<Resource> spec, List<Discovered> found, boolean destroy) {
    Inventory inv = new Inventory(spec, true);
    Set<ResourceKey> specKeys = new HashSet<>();
    spec.forEach(r -> specKeys.add(r.key()));
    Set<String> referenced = new HashSet<>();
    found.forEach(d -> referenced.addAll(d.references()));
    Map<ResourceKey, List<Discovered>> byKey = new LinkedHashMap<>();
    found.forEach(d -> byKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d));
    List<String> ambiguous = new ArrayList<>();
    for (Map.Entry<ResourceKey, List<Discovered>> e : byKey.entrySet()) {
      ResourceKey key = e.getKey();
      List<Discovered> all = e.getValue();
      boolean named = specKeys.contains(key);
      Discovered keep = all.get(0);
      if (all.size() > 1) {
        List<Discovered> inUse = all.stream().filter(d -> referenced.contains(d.id())).toList();
        if (inUse.size() > 1) {
          ambiguous.add(key + ": " + inUse.size() + " owned resources and each is in use: " + inUse
              + "; keep one by hand (move what hangs off the others), then apply again");
          continue;
        }
        keep = inUse.isEmpty() ? all.stream().min(Comparator.comparing((Discovered d) -> d.created()
            .orElse(Instant.MAX)).thenComparing(Discovered::id)).orElseThrow() : inUse.get(0);
      }
      for (Discovered d : all) {
        Optional<String> kept = d == keep && named || destroy ? Optional.empty() : provider.keptOnPrune(d);
        if (d == keep && named) {
          inv.chosen.put(key, d);
        } else if (kept.isPresent()) {
          inv.kept.add("kept " + key + " (" + d.description() + "), which " + (d == keep ? "the spec no longer names"
              : "duplicates " + keep.id()) + ": " + kept.get());
        } else if (d == keep) {
          inv.orphans.add(new Orphan(provider.orphan(stack, d), key, d, "no longer in the spec", List.of()));
        } else {
          ResourceKey extra = ResourceKey.of(key.provider(), key.type(), key.name() + "#" + d.id());
          inv.orphans.add(new Orphan(provider.orphan(stack, d), extra, d, "duplicate of " + key
              + " (" + keep.id() + " is kept), nothing uses it", List.of()));
        }
      }
    }
    if (!ambiguous.isEmpty()) {
      throw new ConflictException("stack " + stack.name() + " owns duplicates cloudpg cannot choose between; "
          + "nothing was changed:\n  " + String.join("\n  ", ambiguous));
    }
    Set<ResourceKey> present = new HashSet<>(specKeys);
    inv.orphans.forEach(o -> present.add(o.key));
    Map<String, ResourceKey> keyOfId = new HashMap<>();
    inv.chosen.forEach((k, d) -> keyOfId.put(d.id(), k));
    inv.orphans.forEach(o -> keyOfId.put(o.found.id(), o.key));
    inv.orphans.replaceAll(o -> o.withDependencies(present, keyOfId));
    return inv;
  }

  /** The spec's resources, then the orphans. */
  List<Resource> all() {
    List<Resource> all = new ArrayList<>(spec);
    all.addAll(orphans);
    return all;
  }

  Optional<Discovered> discoveredFor(Resource r) {
    return r instanceof Orphan ? Optional.of(((Orphan) r).found) : Optional.ofNullable(chosen.get(r.key()));
  }
}
