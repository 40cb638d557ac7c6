package dev.cloudpg.mst.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An Azure resource of the azure module (a role assignment, say) under an mst key and the dependencies of the MST
 * procedure; {@link #beforeCreate} and {@link #afterCreate} add what the procedure does around it.
 */
class DelegatedResource extends AbstractResource {
  private final Resource inner;

  DelegatedResource(ResourceKey key, List<ResourceKey> dependencies, Resource inner) {
    super(key, dependencies);
    this.inner = inner;
  }

  @Override
  public Map<String, String> desired() {
    return inner.desired();
  }

  @Override
  public Set<String> updatable() {
    return inner.updatable();
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
    beforeCreate(ctx);
    Outputs out = inner.create(ctx);
    afterCreate(ctx, out);
    return out;
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    beforeCreate(ctx);
    Outputs out = inner.update(ctx, current, changes);
    afterCreate(ctx, out);
    return out;
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    inner.delete(ctx, current);
  }

  void beforeCreate(StepContext ctx) {}

  void afterCreate(StepContext ctx, Outputs outputs) {}
}
