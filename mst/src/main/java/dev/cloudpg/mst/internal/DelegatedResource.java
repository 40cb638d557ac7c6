package dev.cloudpg.mst.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An Azure resource of the azure module (a role assignment, say) under an mst key and the dependencies of the MST
 * procedure; {@link #beforeCreate} and {@link #afterCreate} add what the procedure does around the start of its
 * change. Every call is the inner resource's otherwise. Immutable, as the inner resource is.
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
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    return inner.checkReady(ctx, started);
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

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return inner.checkDeleted(ctx, current);
  }

  /** Runs before the inner resource starts its create or update. */
  void beforeCreate(StepContext ctx) {}

  /** Runs once the inner resource has started its create or update. */
  void afterCreate(StepContext ctx, Outputs outputs) {}
}
