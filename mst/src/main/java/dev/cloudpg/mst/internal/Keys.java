package dev.cloudpg.mst.internal;

import dev.cloudpg.ResourceKey;

/**
 * The keys of the mst resources, {@code mst:<type>/<name>}, built here only: the expansion ({@link MstGraph}) and the
 * output assembly ({@link MstOutputs}) must agree on them.
 */
final class Keys {
  static final String PROVIDER = "mst";

  private Keys() {}

  /** A network's project VPC. */
  static ResourceKey projectVpc(String network) {
    return key("project-vpc", network);
  }

  /** A database's service. */
  static ResourceKey service(String database) {
    return key("service", database);
  }

  /** Procedure step 2: the peering's Entra ID application. */
  static ResourceKey entraApplication(String peering) {
    return key("entra-application", peering);
  }

  /** Step 3: the application's service principal. */
  static ResourceKey servicePrincipal(String peering) {
    return key("service-principal", peering);
  }

  /** Steps 5-6: Network Contributor on the VNet for the application's service principal. */
  static ResourceKey appNetworkRole(String peering) {
    return key("role-assignment", peering + "-app-network");
  }

  /** Step 7: the service principal of MST's application. */
  static ResourceKey mstServicePrincipal(String peering) {
    return key("mst-service-principal", peering);
  }

  /** Step 8: the custom role that may only peer. */
  static ResourceKey roleDefinition(String peering) {
    return key("role-definition", peering);
  }

  /** Step 9: that role on the VNet for MST's service principal. */
  static ResourceKey mstPeerRole(String peering) {
    return key("role-assignment", peering + "-mst-peer");
  }

  /** Steps 10-12: Aiven's peering connection. */
  static ResourceKey peeringConnection(String peering) {
    return key("peering-connection", peering);
  }

  /** Steps 4 and 13-17: the VNet peering toward MST's VNet, done once Aiven reports the connection active. */
  static ResourceKey vnetPeering(String peering) {
    return key("vnet-peering", peering);
  }

  private static ResourceKey key(String type, String name) {
    return ResourceKey.of(PROVIDER, type, name);
  }
}
