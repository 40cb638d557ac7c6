package dev.cloudpg.azure.internal;

import dev.cloudpg.DestroyOptions;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.StackSummary;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.LeaseStore;
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
  private final AzureDiscovery discovery;
  private final AzureLeaseStore leases;

  public AzureProvider(AzureContext azure) {
    this.rules = new AzureRules(azure);
    this.graph = new AzureGraph(azure, rules);
    this.outputs = new AzureOutputs(azure);
    this.discovery = new AzureDiscovery(azure);
    this.leases = new AzureLeaseStore(azure);
    this.azure = azure;
  }

  private final AzureContext azure;

  /** One list of the stack's group by tag, and one list of peerings per VNet found: see {@link AzureDiscovery}. */
  @Override
  public Optional<List<Discovered>> discover(Stack stack) {
    return Optional.of(discovery.discover(stack));
  }

  @Override
  public Resource orphan(Stack stack, Discovered found) {
    return KubernetesOrphanResource.is(found) ? new KubernetesOrphanResource(azure, stack, found)
        : new ArmOrphanResource(azure, stack, found);
  }

  /**
   * The backup storage account stays unless the destroy says skipFinalSnapshot, and so does the resource group while
   * it holds anything (which {@link ResourceGroupResource} keeps on purpose; what it holds is listed on its own).
   */
  @Override
  public boolean keptOnDestroy(Discovered found, DestroyOptions options) {
    if (found.key().type().equals("resource-group")) {
      return discovery.holdsAnything(found.id());
    }
    return !options.skipFinalSnapshot() && ArmOrphanResource.isStorageAccount(found.id());
  }

  /**
   * A removed database's backup storage account stays, with its backups: it is no change of an apply's plan, only a
   * note, so that a spec that is met plans no change.
   */
  @Override
  public Optional<String> keptOnPrune(Discovered found) {
    return ArmOrphanResource.isStorageAccount(found.id())
        ? Optional.of("it holds the backups of a removed database; destroy the stack with skipFinalSnapshot(true), "
            + "or delete the account yourself, to remove them")
        : Optional.empty();
  }

  @Override
  public Optional<LeaseStore> leases() {
    return Optional.of(leases);
  }

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
