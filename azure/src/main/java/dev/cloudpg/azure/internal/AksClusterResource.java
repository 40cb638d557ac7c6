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
    super(azure, stack, Keys.aksCluster(db), dependencies, db.tags());
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
    d.put("systemPoolVersion", options.kubernetesVersion().orElse("default"));
    d.put("systemPool", options.systemMinCount() + ".." + options.systemMaxCount() + " zones "
        + String.join(",", options.zones()));
    d.put("systemVmSize", options.systemVmSize());
    d.put("network", "azure overlay cilium");
    d.put("authorizedIpRanges", String.join(",", options.authorizedIpRanges()));
    d.put("tier", "Standard");
    d.put("monitoring", String.valueOf(options.monitoring()));
    d.put("nodeResourceGroup", Names.nodeResourceGroup(azure, stack, db));
    d.put("deletionProtection", String.valueOf(db.deletionProtection()));
    return d;
  }

  /** The system pool's VM size is not among them: AKS keeps a pool's VM size for its life, see {@link #read}. */
  @Override
  public Set<String> updatable() {
    return Set.of("kubernetesVersion", "systemPoolVersion", "systemPool", "authorizedIpRanges", "tier",
        "deletionProtection");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get().map(c -> {
      if (!ownedTags(c.tags())) {
        return Observed.foreign(foreign("AKS cluster", name, c.tags()));
      }
      Optional<ManagedClusterAgentPoolProfile> system = profile(c, Names.SYSTEM_POOL);
      system.filter(p -> p.vmSize() != null && !p.vmSize().equalsIgnoreCase(options.systemVmSize()))
          .ifPresent(p -> AgentPoolResource.refuseResize(db.path() + ".options.systemPool.vmSize",
              options.systemVmSize(), p.vmSize(), Names.SYSTEM_POOL, "System"));
      boolean protectedNow = "true".equals(c.tags().get(PROTECTION_TAG));
      return Observed.owned(observed(c), outputs(c)).withDeletionProtection(protectedNow);
    });
  }

  static Optional<ManagedClusterAgentPoolProfile> profile(ManagedClusterInner c, String pool) {
    return Optional.ofNullable(c.agentPoolProfiles()).orElse(List.of()).stream()
        .filter(p -> pool.equalsIgnoreCase(p.name())).findFirst();
  }

  /**
   * The version running, as the spec would name it: {@code default} when the spec names none, the asked version
   * when the running one is that version or a newer patch of it (AKS applies patches on its own), else the running
   * one.
   */
  static String runningVersion(Optional<String> asked, String running) {
    if (asked.isEmpty()) {
      return "default";
    }
    String want = asked.get();
    return running != null && (running.equals(want) || !want.matches(".*\\..*\\..*")
        && running.startsWith(want + ".")) ? want : String.valueOf(running);
  }

  /** The version a pool runs: its own, or the control plane's when the pool shows none. */
  static String poolVersion(ManagedClusterInner c, ManagedClusterAgentPoolProfile p) {
    return p.currentOrchestratorVersion() != null ? p.currentOrchestratorVersion()
        : p.orchestratorVersion() != null ? p.orchestratorVersion() : c.kubernetesVersion();
  }

  private Map<String, String> observed(ManagedClusterInner c) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("kubernetesVersion", runningVersion(options.kubernetesVersion(), c.kubernetesVersion()));
    Optional<ManagedClusterAgentPoolProfile> system = profile(c, Names.SYSTEM_POOL);
    o.put("systemPoolVersion", system.map(p -> runningVersion(options.kubernetesVersion(), poolVersion(c, p)))
        .orElse("none"));
    o.put("systemPool", system.map(p -> p.minCount() + ".." + p.maxCount() + " zones " + String.join(",",
        Optional.ofNullable(p.availabilityZones()).orElse(List.of()))).orElse("none"));
    o.put("systemVmSize", system.map(p -> String.valueOf(p.vmSize()).toLowerCase(java.util.Locale.ROOT))
        .orElse("none"));
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
    client().beginCreateOrUpdate(resourceGroup(), name, request(ctx));
    return Outputs.builder().put(NAME, name).put(RESOURCE_GROUP, resourceGroup()).build();
  }

  /**
   * The create's request again, with each existing pool held at the version it runs: a version change upgrades the
   * control plane alone, and {@link #checkReady} then upgrades the system pool; the {@code postgres} pool follows
   * in its own step, one minor at a time as AKS requires (the plan refuses a bigger step, see
   * {@link KubernetesVersionCheck}).
   */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    ManagedClusterInner request = request(ctx);
    get().ifPresent(running -> request.agentPoolProfiles().forEach(p -> profile(running, p.name())
        .ifPresent(r -> p.withOrchestratorVersion(poolVersion(running, r)))));
    client().beginCreateOrUpdate(resourceGroup(), name, request);
    return Outputs.builder().put(NAME, name).put(RESOURCE_GROUP, resourceGroup()).build();
  }

  private ManagedClusterInner request(StepContext ctx) {
    Map<String, String> tags = new LinkedHashMap<>(tags(ctx));
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
    return request;
  }

  /**
   * Done once the cluster is Succeeded and its system pool runs the asked version; when the control plane has it
   * and the pool not yet, starts the pool's upgrade through the agent-pool API (decided from what it reads, so a
   * repeated check sends nothing while the pool upgrades).
   */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Optional<ManagedClusterInner> found = get();
    Probe<Outputs> cluster = provisioned(found, ManagedClusterInner::provisioningState, this::outputs, id());
    if (!cluster.isDone() || options.kubernetesVersion().isEmpty()) {
      return cluster;
    }
    ManagedClusterInner c = found.get();
    String want = options.kubernetesVersion().get();
    if (profile(c, Names.SYSTEM_POOL).isEmpty()) {
      return cluster;
    }
    var pools = azure.managers().containers().serviceClient().getAgentPools();
    var pool = ifFound(() -> pools.get(resourceGroup(), name, Names.SYSTEM_POOL));
    if (pool.isPresent() && !"Succeeded".equalsIgnoreCase(pool.get().provisioningState())) {
      return Probe.pending("system pool " + pool.get().provisioningState() + " to Kubernetes " + want);
    }
    String running = pool.map(p -> p.currentOrchestratorVersion() != null ? p.currentOrchestratorVersion()
        : p.orchestratorVersion()).orElse(c.kubernetesVersion());
    if (runningVersion(options.kubernetesVersion(), running).equals(want)) {
      return cluster;
    }
    pools.beginCreateOrUpdate(resourceGroup(), name, Names.SYSTEM_POOL, systemPool(ctx).withOrchestratorVersion(want));
    return Probe.pending("control plane at Kubernetes " + want + "; upgrading the system pool");
  }

  private com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner systemPool(StepContext ctx) {
    return new com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner().withMode(AgentPoolMode.SYSTEM)
        .withTypePropertiesType(AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS).withOsType(OSType.LINUX)
        .withVmSize(options.systemVmSize()).withCount(options.systemMinCount()).withEnableAutoScaling(true)
        .withMinCount(options.systemMinCount()).withMaxCount(options.systemMaxCount())
        .withAvailabilityZones(options.zones()).withVnetSubnetId(ctx.get(vnet, VirtualNetworkResource.SUBNET_ID));
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
