package dev.cloudpg.aws.internal;

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
 * The AWS provider: {@link AwsRules} validate a stack, {@link AwsGraph} expands it into resources,
 * {@link AwsOutputs} assembles its outputs, and {@link AwsErrors} translates and classifies AWS's errors.
 * Thread-safe.
 */
public final class AwsProvider implements Provider {
  private final AwsContext aws;

  public AwsProvider(AwsContext aws) {
    this.aws = aws;
  }

  @Override
  public String name() {
    return Keys.PROVIDER;
  }

  @Override
  public void validate(Stack stack, Violations violations) {
    AwsRules.validate(stack, violations);
  }

  @Override
  public List<Resource> expand(Stack stack) {
    return AwsGraph.expand(aws, stack);
  }

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    return AwsOutputs.assemble(aws.region(), stack, outputs);
  }

  @Override
  public RuntimeException translate(RuntimeException e) {
    return AwsErrors.translate(e);
  }

  @Override
  public Retry retry(Throwable e) {
    return AwsErrors.retry(e);
  }
}
