package dev.cloudpg.spi;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ApplyResult;
import dev.cloudpg.Cloud;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Plan;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.internal.Engine;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Cloud} run by cloudpg's engine over a {@link Provider}. Providers extend it and add their builder and
 * lookups; everything a {@code Cloud} does comes from here.
 */
public abstract class AbstractCloud implements Cloud {
  private final Provider provider;
  private final Engine engine;

  /**
   * Runs the engine over the provider, on the given clock.
   *
   * @param provider the cloud behind the engine
   * @param time the clock and sleeper of every wait and retry: {@link TimeSource#system()} for real clouds
   */
  protected AbstractCloud(Provider provider, TimeSource time) {
    this.provider = provider;
    this.engine = new Engine(provider, time);
  }

  @Override
  public String provider() {
    return provider.name();
  }

  /**
   * The clock this cloud's engine runs on.
   *
   * @return the clock given to the constructor
   */
  public TimeSource time() {
    return engine.time();
  }

  @Override
  public Plan plan(Stack stack, ProvisioningListener listener, ApplyOptions options) {
    return engine.plan(stack, false, DestroyOptions.defaults(), listener, options);
  }

  @Override
  public java.util.List<dev.cloudpg.StackSummary> stacks() {
    return provider.stacks();
  }

  @Override
  public StackOutputs apply(Plan plan, ProvisioningListener listener, ApplyOptions options) {
    Engine.Run run = engine.apply(plan, listener, options);
    return plan.isDestroy() ? StackOutputs.builder().stack(plan.stack().name()).build()
        : toStackOutputs(plan.stack(), run.outputs());
  }

  /** Plans and applies under the stack's lease, so that the plan cannot go stale in between. */
  @Override
  public StackOutputs apply(Stack stack, ProvisioningListener listener, ApplyOptions options) {
    return toStackOutputs(stack,
        engine.planAndApply(stack, false, DestroyOptions.defaults(), listener, options).outputs());
  }

  @Override
  public Plan planDestroy(Stack stack, DestroyOptions options) {
    return engine.plan(stack, true, options, ProvisioningListener.slf4j(), ApplyOptions.defaults());
  }

  @Override
  public ApplyResult destroy(Stack stack, ProvisioningListener listener, DestroyOptions options) {
    return engine.planAndApply(stack, true, options, listener, ApplyOptions.defaults()).result();
  }

  @Override
  public StackOutputs outputs(Stack stack) {
    return toStackOutputs(stack, engine.currentOutputs(stack));
  }

  private StackOutputs toStackOutputs(Stack stack, Map<dev.cloudpg.ResourceKey, Outputs> outputs) {
    return provider.outputs(stack, key -> Optional.ofNullable(outputs.get(key)));
  }
}
