package dev.cloudpg.azure.internal;

import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;

/**
 * The keys of the Azure resources, built here only: expansion gives them to resources and dependencies, output
 * assembly finds the resources' outputs by them, and a key once used must never change (it is in every resource's
 * {@code cloudpg:key} tag and in the names derived from it, such as role assignments').
 */
public final class Keys {
  /** The provider's name, the first part of every key. */
  public static final String PROVIDER = "azure";

  private Keys() {}

  private static ResourceKey of(String type, String name) {
    return ResourceKey.of(PROVIDER, type, name);
  }

  public static ResourceKey resourceGroup(String group) {
    return of("resource-group", group);
  }

  public static ResourceKey virtualNetwork(String network) {
    return of("virtual-network", network);
  }

  public static ResourceKey identity(PostgresCluster db) {
    return of("managed-identity", db.name());
  }

  public static ResourceKey storageAccount(PostgresCluster db) {
    return of("storage-account", db.name());
  }

  public static ResourceKey blobContainer(PostgresCluster db) {
    return of("blob-container", db.name());
  }

  /** A role assignment; {@code name} says which, such as {@code pg-blob-data}. */
  public static ResourceKey roleAssignment(String name) {
    return of("role-assignment", name);
  }

  public static ResourceKey logAnalytics(PostgresCluster db) {
    return of("log-analytics", db.name());
  }

  public static ResourceKey monitorWorkspace(PostgresCluster db) {
    return of("monitor-workspace", db.name());
  }

  public static ResourceKey grafana(PostgresCluster db) {
    return of("grafana", db.name());
  }

  public static ResourceKey dataCollectionEndpoint(PostgresCluster db) {
    return of("data-collection-endpoint", db.name());
  }

  /** The data collection rule of the managed Prometheus metrics. */
  public static ResourceKey prometheusRule(PostgresCluster db) {
    return of("data-collection-rule", db.name());
  }

  /** The data collection rule of Container Insights. */
  public static ResourceKey insightsRule(PostgresCluster db) {
    return of("data-collection-rule", db.name() + "-insights");
  }

  public static ResourceKey prometheusRuleAssociation(PostgresCluster db) {
    return of("data-collection-association", db.name());
  }

  public static ResourceKey insightsRuleAssociation(PostgresCluster db) {
    return of("data-collection-association", db.name() + "-insights");
  }

  public static ResourceKey aksCluster(PostgresCluster db) {
    return of("aks-cluster", db.name());
  }

  public static ResourceKey postgresPool(PostgresCluster db) {
    return of("aks-node-pool", db.name() + "-" + Names.POSTGRES_POOL);
  }

  public static ResourceKey publicIp(PostgresCluster db) {
    return of("public-ip", db.name());
  }

  public static ResourceKey federatedCredential(PostgresCluster db) {
    return of("federated-credential", db.name());
  }

  /** A Kubernetes namespace in the database's cluster. */
  public static ResourceKey namespace(PostgresCluster db, String namespace) {
    return of("k8s-namespace", db.name() + "-" + namespace);
  }

  public static ResourceKey cnpgOperator(PostgresCluster db) {
    return of("cnpg-operator", db.name());
  }

  public static ResourceKey kubernetesVersionCheck(PostgresCluster db) {
    return of("aks-version-check", db.name());
  }

  public static ResourceKey certManager(PostgresCluster db) {
    return of("cert-manager", db.name());
  }

  public static ResourceKey barmanPlugin(PostgresCluster db) {
    return of("barman-cloud-plugin", db.name());
  }

  public static ResourceKey objectStore(PostgresCluster db) {
    return of("cnpg-object-store", db.name());
  }

  public static ResourceKey scheduledBackup(PostgresCluster db) {
    return of("cnpg-scheduled-backup", db.name());
  }

  public static ResourceKey cnpgCluster(PostgresCluster db) {
    return of("cnpg-cluster", db.name());
  }

  /** A VNet peering; {@code name} is the peering's, with {@code -back} for the direction from the remote VNet. */
  public static ResourceKey vnetPeering(String name) {
    return of("vnet-peering", name);
  }

  /** The peering from the stack's VNet to the remote one. */
  public static ResourceKey vnetPeering(Peering p) {
    return vnetPeering(p.name());
  }

  /** The peering from the remote VNet back to the stack's, made when both are in the cloud's tenant. */
  public static ResourceKey vnetPeeringBack(Peering p) {
    return vnetPeering(p.name() + "-back");
  }
}
