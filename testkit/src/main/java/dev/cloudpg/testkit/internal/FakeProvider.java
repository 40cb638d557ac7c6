package dev.cloudpg.testkit.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.StackSummary;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.LeaseRecord;
import dev.cloudpg.spi.LeaseStore;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Violations;
import dev.cloudpg.testkit.FakeResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Function;

/** The fake cloud as a provider: its rules, its graph and its outputs over one {@link FakeModel}. */
public final class FakeProvider implements Provider {
  private final FakeModel model;
  private final FakeGraph graph;
  private final int zonesInRegion;

  public FakeProvider(FakeModel model, int zonesInRegion) {
    this.model = model;
    this.graph = new FakeGraph(model);
    this.zonesInRegion = zonesInRegion;
  }

  @Override
  public String name() {
    return FakeKeys.PROVIDER;
  }

  @Override
  public void validate(Stack stack, Violations violations) {
    FakeRules.validate(stack, violations, zonesInRegion);
  }

  @Override
  public List<Resource> expand(Stack stack) {
    return graph.expand(stack);
  }

  /** One call: every resource tagged with the stack, as a tag-based API lists them. */
  @Override
  public Optional<List<Discovered>> discover(Stack stack) {
    return Optional.of(model.listOwnedBy(stack.name()).stream().map(FakeProvider::discovered).toList());
  }

  private static Discovered discovered(FakeResource r) {
    Set<String> references = new HashSet<>();
    Optional.ofNullable(r.attributes().get("parent")).ifPresent(references::add);
    Optional.ofNullable(r.attributes().get("uses")).ifPresent(u -> references.addAll(List.of(u.split(","))));
    return Discovered.of(ResourceKey.parse(r.tags().get(Ownership.KEY)), r.id(),
        r.type() + " " + r.id() + " " + r.state(), references);
  }

  @Override
  public Resource orphan(Stack stack, Discovered found) {
    return new FakeNode(model, found.key(), List.of(), stack.name() + "-" + found.key().name(), Map.of(), Map.of(),
        Set.of(), Set.of(), false, ctx -> null, ctx -> Map.of());
  }

  @Override
  public Optional<LeaseStore> leases() {
    return Optional.of(new LeaseStore() {
      @Override
      public Optional<LeaseRecord> current(Stack stack) {
        return model.lease(stack.name());
      }

      @Override
      public LeaseRecord acquire(Stack stack, LeaseRecord wanted) {
        return model.acquireLease(stack.name(), wanted);
      }

      @Override
      public Optional<LeaseRecord> replace(Stack stack, LeaseRecord expected, LeaseRecord next) {
        return model.replaceLease(stack.name(), expected, next);
      }

      @Override
      public void release(Stack stack, LeaseRecord held) {
        model.releaseLease(stack.name(), held);
      }
    });
  }

  @Override
  public List<StackSummary> stacks() {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    Map<String, List<StackSummary.PeeringSummary>> peerings = new TreeMap<>();
    for (FakeResource r : model.listOwned()) {
      String stack = r.tags().get(Ownership.STACK);
      counts.computeIfAbsent(stack, k -> new TreeMap<>()).merge(r.type(), 1, Integer::sum);
      if (r.type().equals("peering")) {
        peerings.computeIfAbsent(stack, k -> new ArrayList<>()).add(new StackSummary.PeeringSummary(
            ResourceKey.parse(r.tags().get(Ownership.KEY)).name(), r.id(), r.attributes().get("peer")));
      }
    }
    return counts.entrySet().stream().map(e -> new StackSummary(e.getKey(), e.getValue(),
        peerings.getOrDefault(e.getKey(), List.of()))).toList();
  }

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    return FakeOutputs.assemble(stack, outputs);
  }
}
