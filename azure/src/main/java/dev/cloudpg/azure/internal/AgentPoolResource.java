package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.containerservice.fluent.AgentPoolsClient;
import com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner;
import com.azure.resourcemanager.containerservice.models.AgentPoolMode;
import com.azure.resourcemanager.containerservice.models.AgentPoolType;
import com.azure.resourcemanager.containerservice.models.OSType;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code postgres} user node pool: autoscaler over the zones, labelled {@code workload=postgres} so that the
 * PostgreSQL pods land on it. AKS refuses it with 409 {@code OperationNotAllowed} while another operation runs on the
 * cluster (the monitoring add-on's, say); that is waited out.
 */
final class AgentPoolResource extends AzureResource {
  static final Map<String, String> LABELS = Map.of("workload", "postgres");

  private final PostgresCluster db;
  private final AksOptions options;
  private final ResourceKey cluster;
  private final ResourceKey vnet;

  AgentPoolResource(AzureContext azure, Stack stack, PostgresCluster db, ResourceKey cluster, ResourceKey vnet) {
    super(azure, stack, key("aks-node-pool", db.name() + "-" + Names.POSTGRES_POOL), List.of(cluster, vnet));
    this.db = db;
    this.options = Names.options(db);
    this.cluster = cluster;
    this.vnet = vnet;
  }

  private AgentPoolsClient client() {
    return azure.managers().containers().serviceClient().getAgentPools();
  }

  private String vmSize() {
    return options.postgresVmSize().orElse(AksOptions.vmSizeFor(db.size()));
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return SLOW;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("vmSize", vmSize(), "autoscale", options.postgresMinCount() + ".." + options.postgresMaxCount(),
        "zones", String.join(",", options.zones()), "labels", "workload=postgres");
  }

  @Override
  public Set<String> updatable() {
    return Set.of("autoscale");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    String clusterName = ctx.outputsOf(cluster).string("name");
    return ifFound(() -> client().get(resourceGroup(), clusterName, Names.POSTGRES_POOL)).map(p -> Observed.owned(
        Map.of("vmSize", String.valueOf(p.vmSize()), "autoscale", p.minCount() + ".." + p.maxCount(),
            "zones", String.join(",", Optional.ofNullable(p.availabilityZones()).orElse(List.of())),
            "labels", LABELS.equals(p.nodeLabels()) ? "workload=postgres" : String.valueOf(p.nodeLabels())),
        outputs(p)));
  }

  private static Outputs outputs(AgentPoolInner p) {
    return Outputs.of("id", p.id(), "name", p.name());
  }

  @Override
  public Outputs create(StepContext ctx) {
    String clusterName = ctx.outputsOf(cluster).string("name");
    AgentPoolInner request = new AgentPoolInner().withMode(AgentPoolMode.USER)
        .withTypePropertiesType(AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS).withOsType(OSType.LINUX)
        .withVmSize(vmSize()).withCount(options.postgresMinCount()).withEnableAutoScaling(true)
        .withMinCount(options.postgresMinCount()).withMaxCount(options.postgresMaxCount())
        .withAvailabilityZones(options.zones()).withNodeLabels(LABELS)
        .withVnetSubnetId(ctx.outputsOf(vnet).string("subnetId"));
    untilAccepted(ctx, "no other operation in progress on " + clusterName,
        () -> client().beginCreateOrUpdate(resourceGroup(), clusterName, Names.POSTGRES_POOL, request));
    return outputs(awaitSucceeded(ctx, () -> client().get(resourceGroup(), clusterName, Names.POSTGRES_POOL),
        AgentPoolInner::provisioningState));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String clusterName = ctx.outputsOf(cluster).string("name");
    untilAccepted(ctx, "no other operation in progress on " + clusterName,
        () -> client().beginDelete(resourceGroup(), clusterName, Names.POSTGRES_POOL));
    awaitGone(ctx, () -> client().get(resourceGroup(), clusterName, Names.POSTGRES_POOL));
  }
}
