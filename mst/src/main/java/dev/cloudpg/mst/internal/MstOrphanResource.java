package dev.cloudpg.mst.internal;

import com.azure.resourcemanager.network.fluent.VirtualNetworkPeeringsClient;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What discovery found under a key the spec no longer names (a removed peering's eight pieces, a removed database's
 * service, a removed network's VPC), or an extra duplicate: read and deleted by the id discovery found. A service
 * keeps Aiven's termination protection, so the engine refuses to prune it while it is on; a project VPC and MST's
 * service principal are kept, with a note, while others still use them. Its order comes from the references discovery
 * recorded (a service before its VPC, the Azure half of a peering before Aiven's connection, the connection before
 * the role assignments). Immutable and thread-safe.
 */
final class MstOrphanResource extends MstResource {
  private final Discovered found;

  MstOrphanResource(MstContext mst, Stack stack, Discovered found) {
    super(mst, stack, found.key(), List.of());
    this.found = found;
  }

  private String id(StepContext ctx) {
    return ctx.discovered().orElse(found).id();
  }

  private String type() {
    return found.key().type();
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return type().equals("service") ? ServiceResource.SERVICE_WAIT : PeeringConnectionResource.PEERING_WAIT;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of();
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    String id = id(ctx);
    Outputs none = Outputs.builder().build();
    switch (type()) {
      case "service":
        return mst.aiven().getService(mst.project(), id).filter(s -> ServiceResource.ownedBy(s, stack, key()))
            .map(s -> Observed.owned(Map.of(), none).withDeletionProtection(s.terminationProtection()));
      case "project-vpc":
        return mst.aiven().getVpc(mst.project(), id).filter(v -> !v.state().startsWith("DELET"))
            .map(v -> Observed.owned(Map.of("cidr", v.networkCidr()), ProjectVpcResource.outputs(v)));
      case "peering-connection":
        return connection(id).filter(p -> !p.state().startsWith("DELET")).map(p -> Observed.owned(Map.of(), none));
      case "entra-application":
        return mst.directory().getApplication(id).map(a -> Observed.owned(Map.of(), none));
      case "service-principal":
      case "mst-service-principal":
        return mst.directory().getServicePrincipal(id).map(a -> Observed.owned(Map.of(), none));
      case "role-assignment":
        return AzureSession.ifFound(() -> roles().getRoleAssignments().getById(id)).map(a -> Observed.owned(Map.of(),
            none));
      case "role-definition":
        return AzureSession.ifFound(() -> roles().getRoleDefinitions().getById(id)).map(a -> Observed.owned(Map.of(),
            none));
      case "vnet-peering":
        return AzureSession.ifFound(() -> peerings(id).get(part(id, "resourcegroups"), part(id, "virtualnetworks"),
            part(id, "virtualnetworkpeerings"))).map(p -> Observed.owned(Map.of(), none));
      default:
        throw new IllegalStateException("cannot remove " + found + ": no mst resource of type " + type());
    }
  }

  @Override
  public Outputs create(StepContext ctx) {
    throw new IllegalStateException(key() + " is only ever deleted");
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = id(ctx);
    switch (type()) {
      case "service":
        if (current.deletionProtected() && ctx.destroyOptions().overrideDeletionProtection()) {
          mst.aiven().setTerminationProtection(mst.project(), id, false);
          ctx.note("turned termination protection off on service " + id + " to delete it");
        }
        mst.aiven().deleteService(mst.project(), id);
        break;
      case "project-vpc":
        new ProjectVpcResource(mst, stack, key(), current.property("cidr").orElse("")).delete(ctx, current);
        break;
      case "peering-connection":
        connection(id).ifPresent(p -> mst.aiven().deleteAzurePeering(mst.project(), cloudVpcId().orElseThrow(),
            new AzurePeer(p.peerCloudAccount(), p.peerResourceGroup(), p.peerVpc())));
        break;
      case "entra-application":
        mst.directory().deleteApplication(id);
        break;
      case "service-principal":
        mst.directory().deleteServicePrincipal(id);
        break;
      case "mst-service-principal":
        MstServicePrincipalResource.deleteUnlessUsed(mst, ctx, id);
        break;
      case "role-assignment":
        AzureSession.ifFound(() -> roles().getRoleAssignments().deleteById(id));
        break;
      case "role-definition":
        AzureSession.ifFound(() -> roles().getRoleDefinitions().delete("/subscriptions/" + part(id, "subscriptions"),
            id.substring(id.lastIndexOf('/') + 1)));
        break;
      case "vnet-peering":
        AzureSession.ifFound(() -> peerings(id).beginDelete(part(id, "resourcegroups"), part(id, "virtualnetworks"),
            part(id, "virtualnetworkpeerings")));
        break;
      default:
        throw new IllegalStateException("cannot remove " + found);
    }
  }

  /** Done once the resource is gone, or when it was kept because others still use it. */
  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    if (type().equals("project-vpc")) {
      return new ProjectVpcResource(mst, stack, key(), current.property("cidr").orElse("")).checkDeleted(ctx,
          current);
    }
    if (type().equals("mst-service-principal")
        && !MstServicePrincipalResource.assignmentScopes(mst, id(ctx)).isEmpty()) {
      return Probe.done();
    }
    return read(ctx).map(o -> Probe.<Void>pending("still there")).orElseGet(Probe::done);
  }

  private com.azure.resourcemanager.authorization.fluent.AuthorizationManagementClient roles() {
    return mst.azure().authorization().roleServiceClient();
  }

  private VirtualNetworkPeeringsClient peerings(String id) {
    return mst.azure().network(part(id, "subscriptions")).serviceClient().getVirtualNetworkPeerings();
  }

  /** The segment after {@code name} in a (lower-cased) ARM id. */
  private static String part(String id, String name) {
    String[] s = id.split("/");
    for (int i = 0; i + 1 < s.length; i++) {
      if (s[i].equalsIgnoreCase(name)) {
        return s[i + 1];
      }
    }
    throw new IllegalStateException("not an ARM id with " + name + ": " + id);
  }

  private Optional<String> cloudVpcId() {
    return mst.aiven().listVpcs(mst.project()).stream().filter(v -> mst.cloud().equals(v.cloudName()))
        .filter(v -> !v.state().startsWith("DELET")).map(AivenVpc::projectVpcId).findFirst();
  }

  /** The connection with this id in the cloud's project VPC. */
  private Optional<AivenPeering> connection(String id) {
    return cloudVpcId().flatMap(vpc -> mst.aiven().getVpc(mst.project(), vpc)).flatMap(v -> v.peeringConnections()
        .stream().filter(p -> id.equals(p.peeringConnectionId())).findFirst());
  }
}
