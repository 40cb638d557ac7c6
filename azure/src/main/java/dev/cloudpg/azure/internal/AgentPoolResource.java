package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.containerservice.fluent.AgentPoolsClient;
import com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner;
import com.azure.resourcemanager.containerservice.models.AgentPoolMode;
import com.azure.resourcemanager.containerservice.models.AgentPoolType;
import com.azure.resourcemanager.containerservice.models.OSType;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.Violation;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code postgres} user node pool: autoscaler over the zones, labelled {@code workload=postgres} so that the
 * PostgreSQL pods land on it. Declared in the AKS cluster's create (its second agent pool profile), so a new stack
 * sends no pool create of its own; changes to it later go through the agent-pool API. AKS refuses it with 409
 * {@code OperationNotAllowed} while another operation runs on the
 * cluster (the monitoring add-on's, say), which the engine waits out; the check reads the pool until its
 * {@code provisioningState} is Succeeded.
 */
final class AgentPoolResource extends AzureResource {
  static final Map<String, String> LABELS = Map.of("workload", "postgres");

  static final Output<String> ID = Output.string("id");
  static final Output<String> NAME = Output.string("name");

  private final PostgresCluster db;
  private final AksOptions options;
  private final ResourceKey cluster;
  private final ResourceKey vnet;

  AgentPoolResource(AzureContext azure, Stack stack, PostgresCluster db, ResourceKey cluster, ResourceKey vnet) {
    super(azure, stack, Keys.postgresPool(db), List.of(cluster, vnet));
    this.db = db;
    this.options = Names.options(db);
    this.cluster = cluster;
    this.vnet = vnet;
  }

  private AgentPoolsClient client() {
    return azure.managers().containers().serviceClient().getAgentPools();
  }

  private String clusterName(StepContext ctx) {
    return ctx.get(cluster, AksClusterResource.NAME);
  }

  private Optional<AgentPoolInner> get(StepContext ctx) {
    return ifFound(() -> client().get(resourceGroup(), clusterName(ctx), Names.POSTGRES_POOL));
  }

  private String vmSize() {
    return vmSize(options, db);
  }

  static String vmSize(AksOptions options, PostgresCluster db) {
    return options.postgresVmSize().orElse(AksOptions.vmSizeFor(db.size()));
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return SLOW;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("vmSize", vmSize(), "autoscale", options.postgresMinCount() + ".." + options.postgresMaxCount(),
        "zones", String.join(",", options.zones()), "labels", "workload=postgres",
        "kubernetesVersion", options.kubernetesVersion().orElse("default"));
  }

  /**
   * The autoscaler range and the Kubernetes version (after the control plane's, on which this step waits). Not the
   * VM size: AKS keeps a pool's VM size for its life, so {@link #read} refuses a new one with the way forward.
   */
  @Override
  public Set<String> updatable() {
    return Set.of("autoscale", "kubernetesVersion");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get(ctx).map(p -> {
      if (p.vmSize() != null && !p.vmSize().equalsIgnoreCase(vmSize())) {
        refuseResize(db.path() + ".options.postgresPool.vmSize", vmSize(), p.vmSize(), Names.POSTGRES_POOL,
            "User --labels workload=postgres");
      }
      String version = p.currentOrchestratorVersion() != null ? p.currentOrchestratorVersion()
          : p.orchestratorVersion();
      return Observed.owned(Map.of("vmSize", vmSize(), "autoscale", p.minCount() + ".." + p.maxCount(),
          "zones", String.join(",", Optional.ofNullable(p.availabilityZones()).orElse(List.of())),
          "labels", LABELS.equals(p.nodeLabels()) ? "workload=postgres" : String.valueOf(p.nodeLabels()),
          "kubernetesVersion", version == null ? options.kubernetesVersion().orElse("default")
              : AksClusterResource.runningVersion(options.kubernetesVersion(), version)), outputs(p));
    });
  }

  /**
   * Refuses, before any change, a new VM size for an existing pool, which AKS cannot resize in place, saying how to
   * get there: a temporary pool takes the workload while this one is deleted and made again at the new size.
   */
  static void refuseResize(String path, String wanted, String running, String pool, String mode) {
    throw new InvalidSpecException(List.of(new Violation(path, wanted, "cannot be applied to the existing pool "
        + pool + ", which runs " + Text.quote(running) + ": AKS does not change a pool's VM size in place. Keep "
        + Text.quote(running) + ", or move the nodes: az aks nodepool add --name tmp --mode " + mode + " ..., az aks "
        + "nodepool delete --name " + pool + " (the pods move to tmp), apply again (cloudpg makes " + pool + " at the "
        + "new size), then az aks nodepool delete --name tmp")));
  }

  private static Outputs outputs(AgentPoolInner p) {
    return Outputs.builder().put(ID, p.id()).put(NAME, p.name()).build();
  }

  /**
   * The pool normally comes with the cluster's create: then there is nothing to send, and the check reads it. A
   * cluster made without it (by an older release, or the pool deleted since) gets it through the agent-pool API.
   */
  @Override
  public Outputs create(StepContext ctx) {
    if (get(ctx).isPresent()) {
      return Outputs.builder().put(NAME, Names.POSTGRES_POOL).build();
    }
    return put(ctx);
  }

  /** A change of the autoscaler range goes through the agent-pool API, the cluster left as it is. */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return put(ctx);
  }

  private Outputs put(StepContext ctx) {
    AgentPoolInner request = new AgentPoolInner().withMode(AgentPoolMode.USER)
        .withTypePropertiesType(AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS).withOsType(OSType.LINUX)
        .withVmSize(vmSize()).withCount(options.postgresMinCount()).withEnableAutoScaling(true)
        .withMinCount(options.postgresMinCount()).withMaxCount(options.postgresMaxCount())
        .withAvailabilityZones(options.zones()).withNodeLabels(LABELS)
        .withVnetSubnetId(ctx.get(vnet, VirtualNetworkResource.SUBNET_ID));
    options.kubernetesVersion().ifPresent(request::withOrchestratorVersion);
    client().beginCreateOrUpdate(resourceGroup(), clusterName(ctx), Names.POSTGRES_POOL, request);
    return Outputs.builder().put(NAME, Names.POSTGRES_POOL).build();
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    return provisioned(get(ctx), AgentPoolInner::provisioningState, AgentPoolResource::outputs,
        ctx.get(cluster, AksClusterResource.ID) + "/agentPools/" + Names.POSTGRES_POOL);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().beginDelete(resourceGroup(), clusterName(ctx), Names.POSTGRES_POOL);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return gone(get(ctx), AgentPoolInner::provisioningState);
  }
}
