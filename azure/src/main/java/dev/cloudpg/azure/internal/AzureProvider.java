package dev.cloudpg.azure.internal;

import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.resources.models.Identity;
import com.azure.resourcemanager.resources.models.ResourceIdentityType;
import com.azure.resourcemanager.resources.models.Sku;
import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.Network;
import dev.cloudpg.NetworkOutputs;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PeeringOutputs;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Azure provider: a network is a VNet with the AKS node subnet; a database is procedure B's whole platform (its
 * identity, backup storage and role, monitoring, the AKS cluster and its {@code postgres} pool, public IP, federated
 * credential, namespaces, the CloudNativePG operator) and the CNPG cluster on it; a peering is a VNet peering, in both
 * directions when the remote VNet is in the same tenant.
 */
public final class AzureProvider implements Provider {
  /** Azure region names: {@code westus3}, {@code northeurope}. */
  public static final Pattern REGION = Pattern.compile("[a-z]+[a-z0-9]*");
  private static final Pattern STORAGE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern KUBERNETES_VERSION = Pattern.compile("[1-9]\\.[0-9]{1,2}(\\.[0-9]{1,2})?");
  private static final Pattern RELEASE = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+");
  private static final Pattern QUANTITY = Pattern.compile("[1-9][0-9]*(Mi|Gi|Ti)");
  private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w._()]{1,89}[-\\w_()]");
  private static final Pattern VNET = Pattern.compile("[A-Za-z0-9]([-\\w.]{0,62}[\\w])?");
  private static final Pattern VM_SIZE = Pattern.compile("(?i)standard_[a-z0-9_]+");
  private static final Set<String> ZONES = Set.of("1", "2", "3");
  /** The addresses AKS keeps for itself by default: the overlay's pods and the cluster's services. */
  private static final List<Cidr> AKS_RESERVED = List.of(Cidr.parse(AksClusterResource.POD_CIDR),
      Cidr.parse("10.0.0.0/16"));

  static final String GRAFANA_TYPE = "Microsoft.Dashboard/grafana";
  static final String MONITOR_TYPE = "Microsoft.Monitor/accounts";
  static final String LOG_ANALYTICS_TYPE = "Microsoft.OperationalInsights/workspaces";
  static final String DCE_TYPE = "Microsoft.Insights/dataCollectionEndpoints";
  static final String DCR_TYPE = "Microsoft.Insights/dataCollectionRules";
  static final String DCRA_TYPE = "Microsoft.Insights/dataCollectionRuleAssociations";

  private final AzureContext azure;

  public AzureProvider(AzureContext azure) {
    this.azure = azure;
  }

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public void validate(Stack stack, Violations v) {
    String group = azure.resourceGroup(stack.name());
    if (!RESOURCE_GROUP.matcher(group).matches()) {
      v.add("resourceGroup", group, "is not a resource group name: 1 to 90 letters, digits, '-', '_', '.', '(' "
          + "or ')', not ending with '.'");
    }
    for (Network n : stack.networks()) {
      Cidr space = Cidr.parse(n.cidr().orElse(VirtualNetworkResource.DEFAULT_CIDR));
      for (Cidr reserved : AKS_RESERVED) {
        if (space.overlaps(reserved)) {
          v.add(n.path() + ".cidr", space, "overlaps " + reserved + ", which AKS uses for pods or services");
        }
      }
    }
    Map<String, String> grafanas = new java.util.HashMap<>();
    for (PostgresCluster db : stack.databases()) {
      validateDatabase(stack, db, v);
      String earlier = grafanas.putIfAbsent(Names.grafana(db), db.path());
      if (earlier != null && Names.options(db).monitoring()) {
        v.add(db.path() + ".name", db.name(), "gives the same Grafana name (" + Names.grafana(db) + ", at most 23 "
            + "characters) as " + earlier + "; shorten one of them");
      }
    }
    for (Peering p : stack.peerings()) {
      if (p.peer().kind() != PeerNetwork.Kind.AZURE_VNET) {
        v.add(p.path() + ".peer.kind", p.peer().kind(), "is not an Azure VNet; AzureCloud peers with VNets only: "
            + "use PeerNetwork.azureVnet(subscription, resourceGroup, vnet)");
        continue;
      }
      PeerNetwork peer = p.peer();
      if (!Guids.isGuid(peer.subscription().orElse(azure.subscription()))) {
        v.add(p.path() + ".peer.subscription", peer.subscription().orElse(""), "is not a subscription id (a GUID)");
      }
      if (!RESOURCE_GROUP.matcher(peer.resourceGroup().orElse("")).matches()) {
        v.add(p.path() + ".peer.resourceGroup", peer.resourceGroup().orElse(""), "is not a resource group name");
      }
      if (!VNET.matcher(peer.reference()).matches()) {
        v.add(p.path() + ".peer.reference", peer.reference(), "is not a VNet name: 2 to 64 letters, digits, '-', "
            + "'_' or '.', starting with a letter or digit and not ending with '-' or '.'");
      }
      peer.tenant().ifPresent(t -> {
        if (!Guids.isGuid(t)) {
          v.add(p.path() + ".peer.tenant", t, "is not a tenant id (a GUID)");
        } else if (azure.tenant().isEmpty()) {
          v.add(p.path() + ".peer.tenant", t, "cannot be compared with the cloud's tenant: give the cloud its tenant "
              + "with AzureCloud.builder().tenant(..)");
        } else if (otherTenant(peer).isPresent() && !azure.hasTenant(t)) {
          v.add(p.path() + ".peer.tenant", t, "is another tenant, and the cloud has no credential for it: give one "
              + "with AzureCloud.builder().auxiliaryCredential(tenant, credential)");
        }
      });
    }
  }

  private void validateDatabase(Stack stack, PostgresCluster db, Violations v) {
    AksOptions o = Names.options(db);
    String path = db.path() + ".options";
    if (db.port() != 5432) {
      v.add(db.path() + ".port", db.port(), "must be 5432: CloudNativePG serves PostgreSQL on its standard port");
    }
    if (db.masterUsername().equals("postgres")) {
      v.add(db.path() + ".masterUsername", db.masterUsername(), "is CloudNativePG's superuser; the database owner "
          + "needs another name");
    }
    o.storageAccountName().ifPresent(name -> {
      if (!STORAGE_ACCOUNT.matcher(name).matches()) {
        v.add(path + ".storageAccountName", name, "is not a storage account name: 3 to 24 lowercase letters and "
            + "digits");
      }
    });
    String node = Names.nodeResourceGroup(azure, stack, db);
    if (!RESOURCE_GROUP.matcher(node).matches()) {
      v.add(path + ".nodeResourceGroup", node, "is not a resource group name: 1 to 90 letters, digits, '-', '_', "
          + "'.', '(' or ')'");
    }
    o.kubernetesVersion().ifPresent(k -> {
      if (!KUBERNETES_VERSION.matcher(k).matches()) {
        v.add(path + ".kubernetesVersion", k, "is not a Kubernetes version such as 1.32 or 1.32.4");
      }
    });
    if (!RELEASE.matcher(o.cnpgVersion()).matches()) {
      v.add(path + ".cnpgVersion", o.cnpgVersion(), "is not a CloudNativePG release such as 1.27.1");
    }
    if (!QUANTITY.matcher(o.storageSize()).matches()) {
      v.add(path + ".storageSize", o.storageSize(), "is not a storage quantity such as 32Gi");
    }
    if (!VM_SIZE.matcher(o.systemVmSize()).matches()) {
      v.add(path + ".systemPool.vmSize", o.systemVmSize(), "is not a VM size such as standard_d2s_v3");
    }
    o.postgresVmSize().filter(size -> !VM_SIZE.matcher(size).matches()).ifPresent(size ->
        v.add(path + ".postgresPool.vmSize", size, "is not a VM size such as standard_d4s_v3"));
    String scheme = String.valueOf(o.cnpgManifest().getScheme());
    if (!Set.of("https", "http", "file").contains(scheme)) {
      v.add(path + ".cnpgManifest", o.cnpgManifest(), "must be an https:, http: or file: URI");
    }
    pool(v, path + ".systemPool", o.systemMinCount(), o.systemMaxCount());
    pool(v, path + ".postgresPool", o.postgresMinCount(), o.postgresMaxCount());
    if (db.instances() > o.postgresMaxCount()) {
      v.add(db.path() + ".instances", db.instances(), "exceeds the postgres pool's maximum of "
          + o.postgresMaxCount() + " nodes");
    }
    if (o.zones().isEmpty() || !ZONES.containsAll(o.zones())) {
      v.add(path + ".zones", o.zones(), "must be some of the availability zones 1, 2 and 3");
    }
    for (String range : o.authorizedIpRanges()) {
      Violations.cidr(v, path + ".authorizedIpRanges", range, 0, 32);
    }
  }

  private static void pool(Violations v, String path, int min, int max) {
    if (min < 1 || max < min || max > 1000) {
      v.add(path, min + ".." + max, "must be an autoscaler range with 1 <= min <= max <= 1000");
    }
  }

  @Override
  public List<Resource> expand(Stack stack) {
    List<Resource> resources = new ArrayList<>();
    List<ResourceKey> group = new ArrayList<>();
    if (!azure.existingResourceGroup()) {
      ResourceGroupResource rg = new ResourceGroupResource(azure, stack);
      resources.add(rg);
      group.add(rg.key());
    }
    for (Network n : stack.networks()) {
      resources.add(new VirtualNetworkResource(azure, stack, n, group));
    }
    for (PostgresCluster db : stack.databases()) {
      expandDatabase(stack, db, group, resources);
    }
    for (Peering p : stack.peerings()) {
      expandPeering(stack, p, resources);
    }
    return resources;
  }

  private String id(Stack stack, String type, String name) {
    return "/subscriptions/" + azure.subscription() + "/resourceGroups/" + azure.resourceGroup(stack.name())
        + "/providers/" + type + "/" + name;
  }

  private void expandDatabase(Stack stack, PostgresCluster db, List<ResourceKey> group, List<Resource> out) {
    AksOptions options = Names.options(db);
    String d = db.name();
    ResourceKey vnet = AzureResource.key("virtual-network", db.network());
    IdentityResource identity = new IdentityResource(azure, stack, db, group);
    StorageAccountResource storage = new StorageAccountResource(azure, stack, db, group);
    BlobContainerResource container = new BlobContainerResource(azure, stack, db, storage.key());
    RoleAssignmentResource blobRole = new RoleAssignmentResource(azure, stack, d + "-blob-data",
        List.of(identity.key(), storage.key()), RoleAssignmentResource.STORAGE_BLOB_DATA_CONTRIBUTOR,
        "Storage Blob Data Contributor", PrincipalType.SERVICE_PRINCIPAL, output(storage.key(), "id"),
        output(identity.key(), "principalId"));
    out.addAll(List.of(identity, storage, container, blobRole));

    List<ResourceKey> aksDependencies = new ArrayList<>(List.of(identity.key(), vnet));
    aksDependencies.addAll(group);
    ResourceKey logAnalytics = null;
    GenericArmResource dcr = null;
    GenericArmResource insightsRule = null;
    if (options.monitoring()) {
      GenericArmResource la = new GenericArmResource(azure, stack, AzureResource.key("log-analytics", d), group,
          LOG_ANALYTICS_TYPE, "2023-09-01", true, ctx -> id(stack, LOG_ANALYTICS_TYPE, Names.logAnalytics(db)),
          (ctx, r) -> r.withProperties(Map.of("sku", Map.of("name", "PerGB2018"), "retentionInDays", 30)));
      GenericArmResource amw = new GenericArmResource(azure, stack, AzureResource.key("monitor-workspace", d),
          group, MONITOR_TYPE, "2023-04-03", true, ctx -> id(stack, MONITOR_TYPE, Names.monitorWorkspace(db)),
          (ctx, r) -> r.withProperties(Map.of()));
      GenericArmResource grafana = new GenericArmResource(azure, stack, AzureResource.key("grafana", d),
          List.of(amw.key()), GRAFANA_TYPE, "2023-09-01", true, ctx -> id(stack, GRAFANA_TYPE, Names.grafana(db)),
          (ctx, r) -> r.withSku(new Sku().withName("Standard"))
              .withIdentity(new Identity().withType(ResourceIdentityType.SYSTEM_ASSIGNED))
              .withProperties(Map.of("zoneRedundancy", "Enabled", "grafanaIntegrations",
                  Map.of("azureMonitorWorkspaceIntegrations", List.of(Map.of("azureMonitorWorkspaceResourceId",
                      ctx.outputsOf(amw.key()).string("id")))))));
      RoleAssignmentResource grafanaReader = new RoleAssignmentResource(azure, stack, d + "-grafana-reader",
          List.of(grafana.key(), amw.key()), RoleAssignmentResource.MONITORING_DATA_READER, "Monitoring Data Reader",
          PrincipalType.SERVICE_PRINCIPAL, output(amw.key(), "id"), output(grafana.key(), "principalId"));
      GenericArmResource dce = new GenericArmResource(azure, stack, AzureResource.key("data-collection-endpoint", d),
          group, DCE_TYPE, "2022-06-01", true, ctx -> id(stack, DCE_TYPE, "dce-" + d),
          (ctx, r) -> r.withKind("Linux").withProperties(Map.of()));
      dcr = new GenericArmResource(azure, stack, AzureResource.key("data-collection-rule", d),
          List.of(dce.key(), amw.key()), DCR_TYPE, "2022-06-01", true, ctx -> id(stack, DCR_TYPE, "dcr-" + d),
          (ctx, r) -> r.withKind("Linux").withProperties(prometheusRule(ctx.outputsOf(dce.key()).string("id"),
              ctx.outputsOf(amw.key()).string("id"))));
      insightsRule = new GenericArmResource(azure, stack, AzureResource.key("data-collection-rule", d + "-insights"),
          List.of(la.key()), DCR_TYPE, "2022-06-01", true, ctx -> id(stack, DCR_TYPE, "dcr-" + d + "-insights"),
          (ctx, r) -> r.withKind("Linux").withProperties(containerInsightsRule(ctx.outputsOf(la.key()).string("id"))));
      out.addAll(List.of(la, amw, grafana, grafanaReader, dce, dcr, insightsRule));
      logAnalytics = la.key();
      aksDependencies.add(la.key());
    }
    AksClusterResource aks = new AksClusterResource(azure, stack, db, aksDependencies, identity.key(), vnet,
        logAnalytics);
    out.add(aks);
    if (dcr != null) {
      ResourceKey rule = dcr.key();
      out.add(new GenericArmResource(azure, stack, AzureResource.key("data-collection-association", d),
          List.of(aks.key(), rule), DCRA_TYPE, "2022-06-01", false,
          ctx -> ctx.outputsOf(aks.key()).string("id") + "/providers/" + DCRA_TYPE + "/dcra-" + d,
          (ctx, r) -> r.withProperties(Map.of("dataCollectionRuleId", ctx.outputsOf(rule).string("id")))));
    }
    if (insightsRule != null) {
      ResourceKey rule = insightsRule.key();
      out.add(new GenericArmResource(azure, stack, AzureResource.key("data-collection-association", d + "-insights"),
          List.of(aks.key(), rule), DCRA_TYPE, "2022-06-01", false,
          ctx -> ctx.outputsOf(aks.key()).string("id") + "/providers/" + DCRA_TYPE + "/ContainerInsightsExtension",
          (ctx, r) -> r.withProperties(Map.of("dataCollectionRuleId", ctx.outputsOf(rule).string("id")))));
    }
    AgentPoolResource pool = new AgentPoolResource(azure, stack, db, aks.key(), vnet);
    PublicIpResource ip = new PublicIpResource(azure, stack, db, aks.key());
    RoleAssignmentResource networkRole = new RoleAssignmentResource(azure, stack, d + "-network",
        List.of(aks.key(), identity.key()), RoleAssignmentResource.NETWORK_CONTRIBUTOR, "Network Contributor",
        PrincipalType.SERVICE_PRINCIPAL, ctx -> "/subscriptions/" + azure.subscription() + "/resourceGroups/"
            + ctx.outputsOf(aks.key()).string("nodeResourceGroup"), output(identity.key(), "principalId"));
    FederatedCredentialResource federated = new FederatedCredentialResource(azure, stack, db, identity.key(),
        aks.key());
    NamespaceResource operatorNs = new NamespaceResource(azure, stack, d, Names.OPERATOR_NAMESPACE, aks.key());
    NamespaceResource databaseNs = new NamespaceResource(azure, stack, d, Names.DATABASE_NAMESPACE, aks.key());
    CnpgOperatorResource operator = new CnpgOperatorResource(azure, stack, db, aks.key(), operatorNs.key());
    CnpgClusterResource cluster = new CnpgClusterResource(azure, stack, db, List.of(aks.key(), operator.key(),
        databaseNs.key(), pool.key(), federated.key(), container.key(), blobRole.key(), identity.key()), aks.key(),
        identity.key(), container.key());
    out.addAll(List.of(pool, ip, networkRole, federated, operatorNs, databaseNs, operator, cluster));
  }

  /** A data collection rule sending the cluster's Prometheus metrics to the Azure Monitor workspace. */
  private static Map<String, Object> prometheusRule(String endpointId, String workspaceId) {
    List<String> streams = List.of("Microsoft-PrometheusMetrics");
    return Map.of("dataCollectionEndpointId", endpointId,
        "dataSources", Map.of("prometheusForwarder", List.of(Map.of("name", "PrometheusDataSource",
            "streams", streams, "labelIncludeFilter", Map.of()))),
        "destinations", Map.of("monitoringAccounts", List.of(Map.of("accountResourceId", workspaceId,
            "name", "MonitoringAccount1"))),
        "dataFlows", List.of(Map.of("streams", streams, "destinations", List.of("MonitoringAccount1"))));
  }

  /**
   * The data collection rule of Container Insights with Entra ID authentication ({@code useAADAuth}): the
   * {@code omsagent} add-on sends what this rule selects to the Log Analytics workspace.
   */
  private static Map<String, Object> containerInsightsRule(String workspaceId) {
    List<String> streams = List.of("Microsoft-ContainerInsights-Group-Default");
    return Map.of(
        "dataSources", Map.of("extensions", List.of(Map.of("name", "ContainerInsightsExtension",
            "extensionName", "ContainerInsights", "streams", streams,
            "extensionSettings", Map.of("dataCollectionSettings",
                Map.of("interval", "1m", "namespaceFilteringMode", "Off"))))),
        "destinations", Map.of("logAnalytics", List.of(Map.of("workspaceResourceId", workspaceId,
            "name", "ciworkspace"))),
        "dataFlows", List.of(Map.of("streams", streams, "destinations", List.of("ciworkspace"))));
  }

  private void expandPeering(Stack stack, Peering p, List<Resource> out) {
    PeerNetwork peer = p.peer();
    if (peer.kind() != PeerNetwork.Kind.AZURE_VNET) {
      return;
    }
    String remoteSubscription = peer.subscription().orElse(azure.subscription());
    String remoteId = "/subscriptions/" + remoteSubscription + "/resourceGroups/" + peer.resourceGroup().orElseThrow()
        + "/providers/Microsoft.Network/virtualNetworks/" + peer.reference();
    ResourceKey vnet = AzureResource.key("virtual-network", p.network());
    Function<StepContext, String> local = output(vnet, "id");
    Optional<String> otherTenant = otherTenant(peer);
    List<String> tenants = otherTenant.map(List::of).orElse(List.of());
    String localName = Names.vnet(p.network());
    List<ResourceKey> dependencies = new ArrayList<>(List.of(vnet));
    stack.networks().stream().filter(n -> remoteId.equalsIgnoreCase(id(stack, "Microsoft.Network/virtualNetworks",
        Names.vnet(n.name())))).forEach(n -> dependencies.add(AzureResource.key("virtual-network", n.name())));
    out.add(new VnetPeeringResource(azure, stack, p.name(), localName + "-to-" + peer.reference(), dependencies,
        local, ctx -> remoteId, (ctx, subscription) -> azure.network(subscription, tenants)));
    if (otherTenant.isEmpty()) {
      out.add(new VnetPeeringResource(azure, stack, p.name() + "-back", peer.reference() + "-to-" + localName,
          dependencies, ctx -> remoteId, local, (ctx, subscription) -> azure.network(subscription, List.of())));
    }
  }

  /** The peer's tenant when it is not the cloud's own. */
  private Optional<String> otherTenant(PeerNetwork peer) {
    return peer.tenant().filter(t -> !t.equalsIgnoreCase(azure.tenant().orElse(t)));
  }

  private static Function<StepContext, String> output(ResourceKey resource, String name) {
    return ctx -> ctx.outputsOf(resource).string(name);
  }

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    StackOutputs.Builder result = StackOutputs.builder().stack(stack.name());
    for (Network n : stack.networks()) {
      outputs.apply(AzureResource.key("virtual-network", n.name())).filter(o -> o.find("id").isPresent())
          .ifPresent(v -> result.putNetworks(n.name(), NetworkOutputs.builder().id(v.string("id"))
              .cidr(v.string("cidr")).addSubnetIds(v.string("subnetId"))
              .putAttributes("resourceGroup", azure.resourceGroup(stack.name()))
              .putAttributes("region", azure.region()).build()));
    }
    for (PostgresCluster db : stack.databases()) {
      Optional<Outputs> cluster = outputs.apply(AzureResource.key("cnpg-cluster", db.name()))
          .filter(o -> o.find("writerEndpoint").isPresent());
      if (cluster.isEmpty()) {
        continue;
      }
      Outputs c = cluster.get();
      DatabaseOutputs.Builder out = DatabaseOutputs.builder().writerEndpoint(c.string("writerEndpoint"))
          .readerEndpoint(c.string("readerEndpoint")).port(Integer.parseInt(c.string("port")))
          .secretReference(c.string("namespace") + "/" + c.string("appSecret"))
          .putAttributes("resourceGroup", azure.resourceGroup(stack.name()));
      attribute(out, outputs, "aks-cluster", db.name(), "name", "aksCluster");
      attribute(out, outputs, "aks-cluster", db.name(), "nodeResourceGroup", "nodeResourceGroup");
      attribute(out, outputs, "aks-cluster", db.name(), "oidcIssuer", "oidcIssuer");
      attribute(out, outputs, "public-ip", db.name(), "ipAddress", "publicIp");
      attribute(out, outputs, "managed-identity", db.name(), "id", "identityId");
      attribute(out, outputs, "managed-identity", db.name(), "clientId", "identityClientId");
      attribute(out, outputs, "managed-identity", db.name(), "principalId", "identityPrincipalId");
      attribute(out, outputs, "storage-account", db.name(), "name", "storageAccount");
      attribute(out, outputs, "blob-container", db.name(), "url", "backupContainer");
      attribute(out, outputs, "grafana", db.name(), "id", "grafana");
      result.putDatabases(db.name(), out.build());
    }
    for (Peering p : stack.peerings()) {
      outputs.apply(AzureResource.key("vnet-peering", p.name())).filter(o -> o.find("id").isPresent())
          .ifPresent(o -> result.putPeerings(p.name(), PeeringOutputs.builder().id(o.string("id"))
              .state(o.string("peeringState")).putAttributes("remoteVnetId", o.string("remoteVnetId")).build()));
    }
    return result.build();
  }

  private static void attribute(DatabaseOutputs.Builder out, Function<ResourceKey, Optional<Outputs>> outputs,
      String type, String name, String output, String attribute) {
    outputs.apply(AzureResource.key(type, name)).flatMap(o -> o.find(output))
        .ifPresent(value -> out.putAttributes(attribute, value));
  }

  @Override
  public RuntimeException translate(RuntimeException e) {
    return AzureErrors.translate(e);
  }
}
