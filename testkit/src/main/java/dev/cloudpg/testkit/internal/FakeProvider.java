package dev.cloudpg.testkit.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Violations;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The fake cloud as a provider: its rules, its graph and its outputs over one {@link FakeModel}. */
public final class FakeProvider implements Provider {
  private final FakeGraph graph;
  private final int zonesInRegion;

  public FakeProvider(FakeModel model, int zonesInRegion) {
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

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    return FakeOutputs.assemble(stack, outputs);
  }
}
