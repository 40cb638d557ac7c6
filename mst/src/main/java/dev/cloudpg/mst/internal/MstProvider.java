package dev.cloudpg.mst.internal;

import dev.cloudpg.DestroyOptions;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.StackSummary;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.azure.spi.AzureSession;
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
  private final MstDiscovery discovery;
  private final MstContext mst;

  /**
   * The provider over this context.
   *
   * @param mst the project, cloud, clients and Azure side
   */
  public MstProvider(MstContext mst) {
    this.mst = mst;
    this.rules = new MstRules(mst);
    this.graph = new MstGraph(mst);
    this.outputs = new MstOutputs(mst);
    this.discovery = new MstDiscovery(mst);
  }

  /** The services by tag, the cloud's VPC and its connections, the Entra ID objects by tag, the Azure side by name. */
  @Override
  public Optional<List<Discovered>> discover(Stack stack) {
    return Optional.of(discovery.discover(stack));
  }

  @Override
  public Resource orphan(Stack stack, Discovered found) {
    return new MstOrphanResource(mst, stack, found);
  }

  /**
   * A project VPC that still holds a service or a peering (others', once the stack's are gone), and MST's service
   * principal while role assignments still name it: a destroy keeps both with a note.
   */
  @Override
  public boolean keptOnDestroy(Discovered found, DestroyOptions options) {
    switch (found.key().type()) {
      case "project-vpc":
        return ProjectVpcResource.holdsAnything(mst, found.id());
      case "mst-service-principal":
        return !MstServicePrincipalResource.assignmentScopes(mst, found.id()).isEmpty();
      default:
        return false;
    }
  }

  /** The owners of the project's tagged services, each discovered. */
  @Override
  public List<StackSummary> stacks() {
    return discovery.stacks();
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
   * The stack's lease on the Azure side it peers with ({@link AzureSession#leases}: a Private DNS zone
   * {@code <stack>.mst.lease.cloudpg} written with ARM's preconditions); none without an Azure side.
   */
  @Override
  public Optional<LeaseStore> leases() {
    return mst.hasAzure() ? Optional.of(mst.azure().leases(Keys.PROVIDER)) : Optional.empty();
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
