package dev.cloudpg.azure.internal;

import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.resources.models.Identity;
import com.azure.resourcemanager.resources.models.ResourceIdentityType;
import com.azure.resourcemanager.resources.models.Sku;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Azure resources of a stack and their dependencies: a network is a VNet with the AKS node subnet; a database is
 * procedure B's whole platform (its identity, backup storage and role, monitoring, the AKS cluster and its
 * {@code postgres} pool, public IP, federated credential, namespaces, the CloudNativePG operator) and the CNPG cluster
 * on it; a peering is a VNet peering, in both directions when the remote VNet is in the same tenant. Makes no cloud
 * call. Immutable and thread-safe.
 */
final class AzureGraph {
  static final String GRAFANA_TYPE = "Microsoft.Dashboard/grafana";
  static final String MONITOR_TYPE = "Microsoft.Monitor/accounts";
  static final String LOG_ANALYTICS_TYPE = "Microsoft.OperationalInsights/workspaces";
  static final String DCE_TYPE = "Microsoft.Insights/dataCollectionEndpoints";
  static final String DCR_TYPE = "Microsoft.Insights/dataCollectionRules";
  static final String DCRA_TYPE = "Microsoft.Insights/dataCollectionRuleAssociations";

  static final String CERT_MANAGER_NAMESPACE = "cert-manager";
  static final String CERT_MANAGER_CRD = "certificates.cert-manager.io";
  static final List<String> CERT_MANAGER_DEPLOYMENTS = List.of("cert-manager", "cert-manager-cainjector",
      "cert-manager-webhook");
  static final String BARMAN_PLUGIN_DEPLOYMENT = "barman-cloud";

  private final AzureContext azure;
  private final AzureRules rules;

  AzureGraph(AzureContext azure, AzureRules rules) {
    this.azure = azure;
    this.rules = rules;
  }

  List<Resource> expand(Stack stack) {
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
    ResourceKey vnet = Keys.virtualNetwork(db.network());
    IdentityResource identity = new IdentityResource(azure, stack, db, group);
    StorageAccountResource storage = new StorageAccountResource(azure, stack, db, group);
    BlobContainerResource container = new BlobContainerResource(azure, stack, db, storage.key());
    RoleAssignmentResource blobRole = new RoleAssignmentResource(azure, stack, d + "-blob-data",
        List.of(identity.key(), storage.key()), RoleAssignmentResource.STORAGE_BLOB_DATA_CONTRIBUTOR,
        "Storage Blob Data Contributor", PrincipalType.SERVICE_PRINCIPAL,
        ctx -> ctx.get(storage.key(), StorageAccountResource.ID),
        ctx -> ctx.get(identity.key(), IdentityResource.PRINCIPAL_ID));
    out.addAll(List.of(identity, storage, container, blobRole));

    List<ResourceKey> aksDependencies = new ArrayList<>(List.of(identity.key(), vnet));
    aksDependencies.addAll(group);
    ResourceKey logAnalytics = null;
    ResourceKey prometheusRule = null;
    ResourceKey insightsRule = null;
    if (options.monitoring()) {
      ResourceKey la = Keys.logAnalytics(db);
      ResourceKey amw = Keys.monitorWorkspace(db);
      ResourceKey grafana = Keys.grafana(db);
      ResourceKey dce = Keys.dataCollectionEndpoint(db);
      prometheusRule = Keys.prometheusRule(db);
      insightsRule = Keys.insightsRule(db);
      out.add(new GenericArmResource(azure, stack, la, group, db.tags(), LOG_ANALYTICS_TYPE, "2023-09-01", true,
          ctx -> id(stack, LOG_ANALYTICS_TYPE, Names.logAnalytics(db)),
          (ctx, r) -> r.withProperties(Map.of("sku", Map.of("name", "PerGB2018"), "retentionInDays", 30))));
      out.add(new GenericArmResource(azure, stack, amw, group, db.tags(), MONITOR_TYPE, "2023-04-03", true,
          ctx -> id(stack, MONITOR_TYPE, Names.monitorWorkspace(db)), (ctx, r) -> r.withProperties(Map.of())));
      out.add(new GenericArmResource(azure, stack, grafana, List.of(amw), db.tags(), GRAFANA_TYPE, "2023-09-01", true,
          ctx -> id(stack, GRAFANA_TYPE, Names.grafana(db)),
          (ctx, r) -> r.withSku(new Sku().withName("Standard"))
              .withIdentity(new Identity().withType(ResourceIdentityType.SYSTEM_ASSIGNED))
              .withProperties(Map.of("zoneRedundancy", "Enabled", "grafanaIntegrations",
                  Map.of("azureMonitorWorkspaceIntegrations", List.of(Map.of("azureMonitorWorkspaceResourceId",
                      ctx.get(amw, GenericArmResource.ID))))))));
      out.add(new RoleAssignmentResource(azure, stack, d + "-grafana-reader", List.of(grafana, amw),
          RoleAssignmentResource.MONITORING_DATA_READER, "Monitoring Data Reader", PrincipalType.SERVICE_PRINCIPAL,
          ctx -> ctx.get(amw, GenericArmResource.ID), ctx -> ctx.get(grafana, GenericArmResource.PRINCIPAL_ID)));
      out.add(new GenericArmResource(azure, stack, dce, group, db.tags(), DCE_TYPE, "2022-06-01", true,
          ctx -> id(stack, DCE_TYPE, "dce-" + d), (ctx, r) -> r.withKind("Linux").withProperties(Map.of())));
      out.add(new GenericArmResource(azure, stack, prometheusRule, List.of(dce, amw), db.tags(), DCR_TYPE,
          "2022-06-01", true, ctx -> id(stack, DCR_TYPE, "dcr-" + d), (ctx, r) -> r.withKind("Linux").withProperties(
              prometheusRule(ctx.get(dce, GenericArmResource.ID), ctx.get(amw, GenericArmResource.ID)))));
      out.add(new GenericArmResource(azure, stack, insightsRule, List.of(la), db.tags(), DCR_TYPE, "2022-06-01", true,
          ctx -> id(stack, DCR_TYPE, "dcr-" + d + "-insights"), (ctx, r) -> r.withKind("Linux")
              .withProperties(containerInsightsRule(ctx.get(la, GenericArmResource.ID)))));
      logAnalytics = la;
      aksDependencies.add(la);
    }
    options.kubernetesVersion().ifPresent(version -> {
      KubernetesVersionCheck check = new KubernetesVersionCheck(azure, stack, db, version);
      out.add(check);
      aksDependencies.add(check.key());
    });
    AksClusterResource aks = new AksClusterResource(azure, stack, db, aksDependencies, identity.key(), vnet,
        logAnalytics);
    out.add(aks);
    if (prometheusRule != null) {
      out.add(association(stack, Keys.prometheusRuleAssociation(db), aks.key(), prometheusRule, "dcra-" + d));
      out.add(association(stack, Keys.insightsRuleAssociation(db), aks.key(), insightsRule,
          "ContainerInsightsExtension"));
    }
    AgentPoolResource pool = new AgentPoolResource(azure, stack, db, aks.key(), vnet);
    PublicIpResource ip = new PublicIpResource(azure, stack, db, aks.key());
    RoleAssignmentResource networkRole = new RoleAssignmentResource(azure, stack, d + "-network",
        List.of(aks.key(), identity.key()), RoleAssignmentResource.NETWORK_CONTRIBUTOR, "Network Contributor",
        PrincipalType.SERVICE_PRINCIPAL, ctx -> "/subscriptions/" + azure.subscription() + "/resourceGroups/"
            + ctx.get(aks.key(), AksClusterResource.NODE_RESOURCE_GROUP),
        ctx -> ctx.get(identity.key(), IdentityResource.PRINCIPAL_ID));
    FederatedCredentialResource federated = new FederatedCredentialResource(azure, stack, db, identity.key(),
        aks.key());
    NamespaceResource operatorNs = new NamespaceResource(azure, stack, db, Names.OPERATOR_NAMESPACE, aks.key());
    NamespaceResource databaseNs = new NamespaceResource(azure, stack, db, Names.DATABASE_NAMESPACE, aks.key());
    CnpgOperatorResource operator = new CnpgOperatorResource(azure, stack, db, aks.key(), operatorNs.key());
    List<ResourceKey> clusterDependencies = new ArrayList<>(List.of(aks.key(), operator.key(), databaseNs.key(),
        pool.key(), federated.key(), container.key(), blobRole.key(), identity.key()));
    out.addAll(List.of(pool, ip, networkRole, federated, operatorNs, databaseNs, operator));
    if (!options.inTreeBackup()) {
      ManifestResource certManager = new ManifestResource(azure, stack, Keys.certManager(db), List.of(aks.key()),
          aks.key(), "cert-manager", AksOptions.DEFAULT_CERT_MANAGER_VERSION, options.certManagerManifest(),
          CERT_MANAGER_NAMESPACE, CERT_MANAGER_DEPLOYMENTS, CERT_MANAGER_CRD);
      ManifestResource plugin = new ManifestResource(azure, stack, Keys.barmanPlugin(db), List.of(aks.key(),
          operatorNs.key(), operator.key(), certManager.key()), aks.key(), "Barman Cloud Plugin",
          options.barmanPluginVersion(), options.barmanPluginManifest(), Names.OPERATOR_NAMESPACE,
          List.of(BARMAN_PLUGIN_DEPLOYMENT), null);
      String retention = db.backupRetentionDays() + "d";
      CustomObjectResource objectStore = new CustomObjectResource(azure, stack, Keys.objectStore(db),
          List.of(aks.key(), plugin.key(), databaseNs.key(), container.key()), aks.key(),
          CustomObjectResource.OBJECT_STORES, Names.DATABASE_NAMESPACE, CnpgClusterResource.objectStoreName(db),
          Map.of("credentials", "inheritFromAzureAD", "retention", retention),
          spec -> {
            Map<String, Object> configuration = CustomObjectResource.map(spec.get("configuration"));
            Object inherit = CustomObjectResource.map(configuration.get("azureCredentials"))
                .get("inheritFromAzureAD");
            return Map.of("credentials", Boolean.TRUE.equals(inherit) ? "inheritFromAzureAD" : "other",
                "retention", String.valueOf(spec.get("retentionPolicy")));
          },
          ctx -> Map.of("retentionPolicy", retention, "configuration", Map.of(
              "destinationPath", ctx.get(container.key(), BlobContainerResource.URL),
              "azureCredentials", Map.of("inheritFromAzureAD", true))));
      clusterDependencies.add(objectStore.key());
      clusterDependencies.add(plugin.key());
      out.addAll(List.of(certManager, plugin, objectStore));
      CnpgClusterResource cluster = new CnpgClusterResource(azure, stack, db, clusterDependencies, aks.key(),
          identity.key(), container.key());
      out.add(cluster);
      out.add(new CustomObjectResource(azure, stack, Keys.scheduledBackup(db), List.of(aks.key(), cluster.key(),
          objectStore.key()), aks.key(), CustomObjectResource.SCHEDULED_BACKUPS, Names.DATABASE_NAMESPACE,
          db.name() + "-daily", Map.of("schedule", options.backupSchedule(), "method", "plugin"),
          spec -> Map.of("schedule", String.valueOf(spec.get("schedule")),
              "method", String.valueOf(spec.get("method"))),
          ctx -> Map.of("schedule", options.backupSchedule(), "method", "plugin",
              "backupOwnerReference", "self", "cluster", Map.of("name", db.name()),
              "pluginConfiguration", Map.of("name", CnpgClusterResource.BARMAN_PLUGIN))));
    } else {
      out.add(new CnpgClusterResource(azure, stack, db, clusterDependencies, aks.key(), identity.key(),
          container.key()));
    }
  }

  /** A data collection rule association: an extension resource of the AKS cluster, so it carries no tags. */
  private GenericArmResource association(Stack stack, ResourceKey key, ResourceKey aks, ResourceKey rule,
      String name) {
    return new GenericArmResource(azure, stack, key, List.of(aks, rule), DCRA_TYPE, "2022-06-01", false,
        ctx -> ctx.get(aks, AksClusterResource.ID) + "/providers/" + DCRA_TYPE + "/" + name,
        (ctx, r) -> r.withProperties(Map.of("dataCollectionRuleId", ctx.get(rule, GenericArmResource.ID))));
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
    ResourceKey vnet = Keys.virtualNetwork(p.network());
    Function<StepContext, String> local = ctx -> ctx.get(vnet, VirtualNetworkResource.ID);
    Optional<String> otherTenant = rules.otherTenant(peer);
    List<String> tenants = otherTenant.map(List::of).orElse(List.of());
    String localName = Names.vnet(p.network());
    List<ResourceKey> dependencies = new ArrayList<>(List.of(vnet));
    stack.networks().stream().filter(n -> remoteId.equalsIgnoreCase(id(stack, "Microsoft.Network/virtualNetworks",
        Names.vnet(n.name())))).forEach(n -> dependencies.add(Keys.virtualNetwork(n.name())));
    out.add(new VnetPeeringResource(azure, stack, Keys.vnetPeering(p).name(), localName + "-to-" + peer.reference(),
        dependencies, local, ctx -> remoteId, (ctx, subscription) -> azure.network(subscription, tenants)));
    if (otherTenant.isEmpty()) {
      out.add(new VnetPeeringResource(azure, stack, Keys.vnetPeeringBack(p).name(),
          peer.reference() + "-to-" + localName, dependencies, ctx -> remoteId, local,
          (ctx, subscription) -> azure.network(subscription, List.of())));
    }
  }
}
