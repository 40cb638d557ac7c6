package dev.cloudpg.mst.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.azure.internal.AzureLeaseStore;
import dev.cloudpg.spi.LeaseStore;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Retry;
import dev.cloudpg.spi.Violations;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The mst provider: a network is an Aiven project VPC, a database a PostgreSQL service with the TimescaleDB variant,
 * and a peering with an Azure VNet procedure C as eight steps ({@link MstGraph}). It delegates: rules to
 * {@link MstRules}, expansion to {@link MstGraph}, output assembly to {@link MstOutputs}, and the reporting and
 * classification of failures to {@link MstFailures}. Thread-safe.
 */
public final class MstProvider implements Provider {
  private final MstRules rules;
  private final MstGraph graph;
  private final MstOutputs outputs;
  private final MstContext mst;

  public MstProvider(MstContext mst) {
    this.mst = mst;
    this.rules = new MstRules(mst);
    this.graph = new MstGraph(mst);
    this.outputs = new MstOutputs(mst);
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

  /**
   * The stack's lease on the Azure side it peers with ({@link AzureLeaseStore}: a Private DNS zone
   * {@code <stack>.mst.lease.cloudpg} written with ARM's preconditions); none without an Azure side.
   */
  @Override
  public Optional<LeaseStore> leases() {
    return mst.hasAzure() ? Optional.of(new AzureLeaseStore(mst.azure(), Keys.PROVIDER)) : Optional.empty();
  }

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> resourceOutputs) {
    return outputs.assemble(stack, resourceOutputs);
  }

  @Override
  public RuntimeException translate(RuntimeException e) {
    return MstFailures.translate(e);
  }

  @Override
  public Retry retry(Throwable e) {
    return MstFailures.retry(e);
  }
}
