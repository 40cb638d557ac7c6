package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.containerservice.fluent.ManagedClustersClient;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.AgentPoolMode;
import com.azure.resourcemanager.containerservice.models.AgentPoolType;
import com.azure.resourcemanager.containerservice.models.ContainerServiceNetworkProfile;
import com.azure.resourcemanager.containerservice.models.LoadBalancerSku;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAddonProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAgentPoolProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterApiServerAccessProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAzureMonitorProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAzureMonitorProfileKubeStateMetrics;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAzureMonitorProfileMetrics;
import com.azure.resourcemanager.containerservice.models.ManagedClusterIdentity;
import com.azure.resourcemanager.containerservice.models.ManagedClusterOidcIssuerProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterSecurityProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterSecurityProfileWorkloadIdentity;
import com.azure.resourcemanager.containerservice.models.ManagedClusterSku;
import com.azure.resourcemanager.containerservice.models.ManagedClusterSkuName;
import com.azure.resourcemanager.containerservice.models.ManagedClusterSkuTier;
import com.azure.resourcemanager.containerservice.models.ManagedServiceIdentityUserAssignedIdentitiesValue;
import com.azure.resourcemanager.containerservice.models.NetworkDataplane;
import com.azure.resourcemanager.containerservice.models.NetworkPlugin;
import com.azure.resourcemanager.containerservice.models.NetworkPluginMode;
import com.azure.resourcemanager.containerservice.models.NetworkPolicy;
import com.azure.resourcemanager.containerservice.models.OSType;
import com.azure.resourcemanager.containerservice.models.ResourceIdentityType;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AKS cluster of procedure B: tier Standard; a system pool with the autoscaler over the zones in the VNet's node
 * subnet; Azure CNI in overlay mode with the Cilium data plane; OIDC issuer and workload identity; the control plane
 * running as the database's user-assigned identity; managed Prometheus metrics and Container Insights (the
 * {@code omsagent} add-on on the Log Analytics workspace) when monitoring is on; the API server open only to the
 * authorized ranges; a named node resource group. Deletion protection is the tag {@code cloudpg:deletion-protection}.
 * The create is the one PUT, refused with 409 {@code OperationNotAllowed} while another operation runs on the cluster
 * (which the engine waits out); the check reads the cluster until its {@code provisioningState} is Succeeded.
 */
final class AksClusterResource extends AzureResource {
  static final String PROTECTION_TAG = Ownership.PREFIX + "deletion-protection";
  /** Pods' overlay addresses: outside the VNet, as overlay mode requires. */
  static final String POD_CIDR = "10.244.0.0/16";

  static final Output<String> ID = Output.string("id");
  static final Output<String> NAME = Output.string("name");
  static final Output<String> RESOURCE_GROUP = Output.string("resourceGroup");
  static final Output<String> FQDN = Output.string("fqdn");
  /** The resource group AKS keeps the nodes, load balancer and public IP in. */
  static final Output<String> NODE_RESOURCE_GROUP = Output.string("nodeResourceGroup");
  /** The OIDC issuer URL that workload identity's federated credentials name. */
  static final Output<String> OIDC_ISSUER = Output.string("oidcIssuer");

  private final PostgresCluster db;
  private final AksOptions options;
  private final String name;
  private final ResourceKey identity;
  private final ResourceKey vnet;
  private final ResourceKey logAnalytics;

  AksClusterResource(AzureContext azure, Stack stack, PostgresCluster db, List<ResourceKey> dependencies,
      ResourceKey identity, ResourceKey vnet, ResourceKey logAnalytics) {
    super(azure, stack, Keys.aksCluster(db), dependencies);
    this.db = db;
    this.options = Names.options(db);
    this.name = Names.aks(db);
    this.identity = identity;
    this.vnet = vnet;
    this.logAnalytics = logAnalytics;
  }

  private ManagedClustersClient client() {
    return azure.managers().containers().serviceClient().getManagedClusters();
  }

  private Optional<ManagedClusterInner> get() {
    return ifFound(() -> client().getByResourceGroup(resourceGroup(), name));
  }

  private String id() {
    return "/subscriptions/" + azure.subscription() + "/resourceGroups/" + resourceGroup()
        + "/providers/Microsoft.ContainerService/managedClusters/" + name;
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return SLOW;
  }

  @Override
  public Map<String, String> desired() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("kubernetesVersion", options.kubernetesVersion().orElse("default"));
    d.put("systemPool", options.systemVmSize() + " " + options.systemMinCount() + ".." + options.systemMaxCount()
        + " zones " + String.join(",", options.zones()));
    d.put("network", "azure overlay cilium");
    d.put("authorizedIpRanges", String.join(",", options.authorizedIpRanges()));
    d.put("tier", "Standard");
    d.put("monitoring", String.valueOf(options.monitoring()));
    d.put("nodeResourceGroup", Names.nodeResourceGroup(azure, stack, db));
    d.put("deletionProtection", String.valueOf(db.deletionProtection()));
    return d;
  }

  @Override
  public Set<String> updatable() {
    return Set.of("kubernetesVersion", "systemPool", "authorizedIpRanges", "tier", "deletionProtection");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get().map(c -> {
      if (!ownedTags(c.tags())) {
        return Observed.foreign(foreign("AKS cluster", name, c.tags()));
      }
      boolean protectedNow = "true".equals(c.tags().get(PROTECTION_TAG));
      return Observed.owned(observed(c), outputs(c)).withDeletionProtection(protectedNow);
    });
  }

  private Map<String, String> observed(ManagedClusterInner c) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("kubernetesVersion", options.kubernetesVersion().isEmpty() ? "default"
        : String.valueOf(c.kubernetesVersion()));
    ManagedClusterAgentPoolProfile system = c.agentPoolProfiles() == null ? null : c.agentPoolProfiles().stream()
        .filter(p -> Names.SYSTEM_POOL.equals(p.name())).findFirst().orElse(null);
    o.put("systemPool", system == null ? "none" : system.vmSize() + " " + system.minCount() + ".."
        + system.maxCount() + " zones " + String.join(",", Optional.ofNullable(system.availabilityZones())
            .orElse(List.of())));
    ContainerServiceNetworkProfile n = c.networkProfile();
    o.put("network", n == null ? "" : n.networkPlugin() + " " + n.networkPluginMode() + " " + n.networkDataplane());
    o.put("authorizedIpRanges", c.apiServerAccessProfile() == null
        || c.apiServerAccessProfile().authorizedIpRanges() == null ? ""
        : String.join(",", c.apiServerAccessProfile().authorizedIpRanges()));
    o.put("tier", c.sku() == null ? "" : String.valueOf(c.sku().tier()));
    o.put("monitoring", String.valueOf(c.azureMonitorProfile() != null && c.azureMonitorProfile().metrics() != null
        && c.azureMonitorProfile().metrics().enabled()));
    o.put("nodeResourceGroup", String.valueOf(c.nodeResourceGroup()));
    o.put("deletionProtection", String.valueOf("true".equals(c.tags().get(PROTECTION_TAG))));
    return o;
  }

  private Outputs outputs(ManagedClusterInner c) {
    return Outputs.builder().put(ID, c.id()).put(NAME, c.name()).put(RESOURCE_GROUP, resourceGroup())
        .put(FQDN, c.fqdn()).put(NODE_RESOURCE_GROUP, c.nodeResourceGroup())
        .put(OIDC_ISSUER, c.oidcIssuerProfile() == null ? null : c.oidcIssuerProfile().issuerUrl()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    Map<String, String> tags = new LinkedHashMap<>(ctx.ownershipTags());
    tags.put(PROTECTION_TAG, String.valueOf(db.deletionProtection()));
    String identityId = ctx.get(identity, IdentityResource.ID);
    ManagedClusterInner request = new ManagedClusterInner().withLocation(azure.region()).withTags(tags)
        .withSku(new ManagedClusterSku().withName(ManagedClusterSkuName.BASE).withTier(ManagedClusterSkuTier.STANDARD))
        .withIdentity(new ManagedClusterIdentity().withType(ResourceIdentityType.USER_ASSIGNED)
            .withUserAssignedIdentities(Map.of(identityId, new ManagedServiceIdentityUserAssignedIdentitiesValue())))
        .withDnsPrefix(name)
        .withNodeResourceGroup(Names.nodeResourceGroup(azure, stack, db))
        .withAgentPoolProfiles(List.of(new ManagedClusterAgentPoolProfile().withName(Names.SYSTEM_POOL)
            .withMode(AgentPoolMode.SYSTEM).withType(AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS).withOsType(OSType.LINUX)
            .withVmSize(options.systemVmSize()).withCount(options.systemMinCount()).withEnableAutoScaling(true)
            .withMinCount(options.systemMinCount()).withMaxCount(options.systemMaxCount())
            .withAvailabilityZones(options.zones()).withVnetSubnetId(ctx.get(vnet, VirtualNetworkResource.SUBNET_ID)),
            // The postgres pool comes with the cluster, saving a pool create after it; later changes to it go
            // through the agent-pool API (AgentPoolResource).
            new ManagedClusterAgentPoolProfile().withName(Names.POSTGRES_POOL)
            .withMode(AgentPoolMode.USER).withType(AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS).withOsType(OSType.LINUX)
            .withVmSize(AgentPoolResource.vmSize(options, db)).withCount(options.postgresMinCount())
            .withEnableAutoScaling(true).withMinCount(options.postgresMinCount())
            .withMaxCount(options.postgresMaxCount()).withAvailabilityZones(options.zones())
            .withNodeLabels(AgentPoolResource.LABELS)
            .withVnetSubnetId(ctx.get(vnet, VirtualNetworkResource.SUBNET_ID))))
        .withNetworkProfile(new ContainerServiceNetworkProfile().withNetworkPlugin(NetworkPlugin.AZURE)
            .withNetworkPluginMode(NetworkPluginMode.OVERLAY).withNetworkDataplane(NetworkDataplane.CILIUM)
            .withNetworkPolicy(NetworkPolicy.CILIUM).withPodCidr(POD_CIDR)
            .withLoadBalancerSku(LoadBalancerSku.STANDARD))
        .withOidcIssuerProfile(new ManagedClusterOidcIssuerProfile().withEnabled(true))
        .withSecurityProfile(new ManagedClusterSecurityProfile()
            .withWorkloadIdentity(new ManagedClusterSecurityProfileWorkloadIdentity().withEnabled(true)))
        .withApiServerAccessProfile(new ManagedClusterApiServerAccessProfile()
            .withAuthorizedIpRanges(options.authorizedIpRanges()));
    options.kubernetesVersion().ifPresent(request::withKubernetesVersion);
    if (options.monitoring()) {
      request.withAzureMonitorProfile(new ManagedClusterAzureMonitorProfile().withMetrics(
              new ManagedClusterAzureMonitorProfileMetrics().withEnabled(true)
                  .withKubeStateMetrics(new ManagedClusterAzureMonitorProfileKubeStateMetrics())))
          .withAddonProfiles(Map.of("omsagent", new ManagedClusterAddonProfile().withEnabled(true).withConfig(Map.of(
              "logAnalyticsWorkspaceResourceID", ctx.get(logAnalytics, GenericArmResource.ID), "useAADAuth", "true"))));
    }
    client().beginCreateOrUpdate(resourceGroup(), name, request);
    return Outputs.builder().put(NAME, name).put(RESOURCE_GROUP, resourceGroup()).build();
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    return provisioned(get(), ManagedClusterInner::provisioningState, this::outputs, id());
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    azure.kubernetes().forget(resourceGroup(), name);
    client().beginDelete(resourceGroup(), name);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return gone(get(), ManagedClusterInner::provisioningState);
  }
}
