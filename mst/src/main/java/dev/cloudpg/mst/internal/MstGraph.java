package dev.cloudpg.mst.internal;

import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.spi.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands a stack into mst resources: per network its project VPC, per database its service, and per peering with
 * an Azure VNet procedure C as eight steps, keyed by {@link Keys} ({@code mst:<type>/<peering>}):
 *
 * <pre>
 * entra-application ─ service-principal ─ role-assignment/&lt;p&gt;-app-network ─┐
 * mst-service-principal ─┐                                                ├─ peering-connection ─ vnet-peering
 * role-definition ───────┴─ role-assignment/&lt;p&gt;-mst-peer ────────────────┘        (also needs project-vpc)
 * </pre>
 *
 * The wait until Aiven reports the connection {@code ACTIVE} (step 17) is the VNet peering step's check, not a step of
 * its own.
 */
final class MstGraph {
  private final MstContext mst;

  MstGraph(MstContext mst) {
    this.mst = mst;
  }

  List<Resource> expand(Stack stack) {
    List<Resource> resources = new ArrayList<>();
    for (Network n : stack.networks()) {
      resources.add(new ProjectVpcResource(mst, stack, n));
    }
    for (PostgresCluster db : stack.databases()) {
      resources.add(new ServiceResource(mst, stack, db, Keys.projectVpc(db.network())));
    }
    for (Peering p : stack.peerings()) {
      resources.addAll(peering(stack, p));
    }
    return resources;
  }

  private List<Resource> peering(Stack stack, Peering p) {
    AzureVnet vnet = AzureVnet.of(p.peer());
    EntraApplicationResource app = new EntraApplicationResource(mst, stack, p);
    ServicePrincipalResource sp = new ServicePrincipalResource(mst, stack, p, app.key());
    VnetRoleAssignment appNetwork = new VnetRoleAssignment(mst, stack, Keys.appNetworkRole(p.name()),
        List.of(sp.key()), AzureSession.NETWORK_CONTRIBUTOR, "Network Contributor", sp.key(),
        ServicePrincipalResource.ID, vnet, "steps 5-6: found VNet " + vnet + " and gave the application's service "
            + "principal Network Contributor on it");
    MstServicePrincipalResource mstSp = new MstServicePrincipalResource(mst, stack, p,
        mst.mstApplicationId().orElseThrow());
    RoleDefinitionResource role = new RoleDefinitionResource(mst, stack, p, vnet);
    VnetRoleAssignment mstPeer = new VnetRoleAssignment(mst, stack, Keys.mstPeerRole(p.name()),
        List.of(mstSp.key(), role.key()), RoleDefinitionResource.id(mst, stack, p, vnet),
        RoleDefinitionResource.roleName(mst, stack, p), mstSp.key(), MstServicePrincipalResource.ID, vnet,
        "step 9: gave MST's service principal the peer role on VNet " + vnet.name());
    PeeringConnectionResource connection = new PeeringConnectionResource(mst, stack, p, vnet,
        Keys.projectVpc(p.network()), app.key(), List.of(appNetwork.key(), mstPeer.key()));
    VnetPeeringStep vnetPeering = new VnetPeeringStep(mst, stack, p, vnet, app.key(), connection.key());
    return List.of(app, sp, appNetwork, mstSp, role, mstPeer, connection, vnetPeering);
  }
}
