package dev.cloudpg.azure.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Retry;
import dev.cloudpg.spi.Violations;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Azure provider: {@link AzureRules} validate, {@link AzureGraph} expands, {@link AzureOutputs} assembles the
 * outputs, {@link AzureErrors} translates and classifies failures. Immutable and thread-safe.
 */
public final class AzureProvider implements Provider {
  private final AzureRules rules;
  private final AzureGraph graph;
  private final AzureOutputs outputs;

  public AzureProvider(AzureContext azure) {
    this.rules = new AzureRules(azure);
    this.graph = new AzureGraph(azure, rules);
    this.outputs = new AzureOutputs(azure);
  }

  @Override
  public String name() {
    return Keys.PROVIDER;
  }

  @Override
  public void validate(Stack stack, Violations violations) {
    rules.validate(stack, violations);
  }

  @Override
  public List<Resource> expand(Stack stack) {
    return graph.expand(stack);
  }

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> resourceOutputs) {
    return outputs.outputs(stack, resourceOutputs);
  }

  @Override
  public RuntimeException translate(RuntimeException e) {
    return AzureErrors.translate(e);
  }

  @Override
  public Retry retry(Throwable e) {
    return AzureErrors.retry(e);
  }
}
