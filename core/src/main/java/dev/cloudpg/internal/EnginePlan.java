package dev.cloudpg.internal;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.Change;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Plan;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Resource;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine's plan: the changes, plus the resources and what was read of them, for the apply. */
final class EnginePlan implements Plan {
  private final Engine engine;
  private final Stack stack;
  private final boolean destroy;
  private final DestroyOptions destroyOptions;
  private final List<Resource> resources;
  private final Map<ResourceKey, Optional<Observed>> observed;
  private final List<Change> changes;
  private final Map<ResourceKey, List<ResourceKey>> runDependencies;
  private final Inventory inventory;
  private final List<String> notes;
  private final ApplyOptions planOptions;
  private final Map<ResourceKey, Change> changeOf = new HashMap<>();

  EnginePlan(Engine engine, Stack stack, boolean destroy, DestroyOptions destroyOptions, List<Resource> resources,
      Map<ResourceKey, Optional<Observed>> observed, List<Change> changes,
      Map<ResourceKey, List<ResourceKey>> runDependencies, Inventory inventory, List<String> notes,
      ApplyOptions planOptions) {
    this.planOptions = planOptions;
    this.notes = List.copyOf(notes);
    this.runDependencies = Map.copyOf(runDependencies);
    this.inventory = inventory;
    this.engine = engine;
    this.stack = stack;
    this.destroy = destroy;
    this.destroyOptions = destroyOptions;
    this.resources = List.copyOf(resources);
    this.observed = Map.copyOf(observed);
    this.changes = List.copyOf(changes);
    changes.forEach(c -> changeOf.put(c.resource(), c));
  }

  Engine engine() {
    return engine;
  }

  DestroyOptions destroyOptions() {
    return destroyOptions;
  }

  List<Resource> resources() {
    return resources;
  }

  Optional<Observed> observed(ResourceKey key) {
    return observed.getOrDefault(key, Optional.empty());
  }

  /** For each step, the steps that must be done before it starts. */
  Map<ResourceKey, List<ResourceKey>> runDependencies() {
    return runDependencies;
  }

  /** The options the plan was made with. */
  ApplyOptions planOptions() {
    return planOptions;
  }

  Inventory inventory() {
    return inventory;
  }

  Change change(ResourceKey key) {
    return changeOf.get(key);
  }

  @Override
  public Stack stack() {
    return stack;
  }

  @Override
  public String provider() {
    return engine.providerName();
  }

  @Override
  public List<Change> changes() {
    return changes;
  }

  @Override
  public List<String> notes() {
    return notes;
  }

  @Override
  public boolean isDestroy() {
    return destroy;
  }

  @Override
  public String render() {
    Map<ChangeAction, Integer> counts = new EnumMap<>(ChangeAction.class);
    changes.forEach(c -> counts.merge(c.action(), 1, Integer::sum));
    int width = changes.stream().mapToInt(c -> c.resource().toString().length()).max().orElse(0);
    StringBuilder out = new StringBuilder();
    out.append(destroy ? "Destroy plan" : "Plan").append(" for stack ").append(stack.name()).append(" on ")
        .append(provider()).append(": ");
    if (destroy) {
      out.append(counts.getOrDefault(ChangeAction.DELETE, 0)).append(" to delete, ");
    } else {
      out.append(counts.getOrDefault(ChangeAction.CREATE, 0)).append(" to create, ")
          .append(counts.getOrDefault(ChangeAction.UPDATE, 0)).append(" to update, ");
      if (counts.containsKey(ChangeAction.REPLACE)) {
        out.append(counts.get(ChangeAction.REPLACE)).append(" to replace, ");
      }
      if (counts.containsKey(ChangeAction.DELETE)) {
        out.append(counts.get(ChangeAction.DELETE)).append(" to delete, ");
      }
    }
    out.append(counts.getOrDefault(ChangeAction.NOOP, 0)).append(" unchanged\n");
    notes.forEach(n -> out.append("  note: ").append(n).append('\n'));
    for (Change c : changes) {
      out.append("  ").append(c.action().symbol()).append(' ')
          .append(String.format("%-" + width + "s", c.resource())).append("  ").append(c.reason()).append('\n');
    }
    return out.toString();
  }

  @Override
  public String toMermaid() {
    Map<ResourceKey, String> ids = new HashMap<>();
    StringBuilder out = new StringBuilder("flowchart LR\n");
    for (Change c : changes) {
      String id = "n" + ids.size();
      ids.put(c.resource(), id);
      out.append("  ").append(id).append("[\"").append(c.action().symbol()).append(' ').append(c.resource())
          .append("\"]:::").append(c.action().name().toLowerCase()).append('\n');
    }
    for (Change c : changes) {
      for (ResourceKey dep : c.dependsOn()) {
        out.append("  ").append(ids.get(dep)).append(" --> ").append(ids.get(c.resource())).append('\n');
      }
    }
    out.append("  classDef create fill:#dcf5dc,stroke:#2e7d32\n")
        .append("  classDef update fill:#fff3cd,stroke:#b7791f\n")
        .append("  classDef replace fill:#e3e8fd,stroke:#3949ab\n")
        .append("  classDef noop fill:#eeeeee,stroke:#9e9e9e\n")
        .append("  classDef delete fill:#fde2e2,stroke:#c53030\n");
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
