package dev.cloudpg.mst.internal;

import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.Network;
import dev.cloudpg.NetworkOutputs;
import dev.cloudpg.Peering;
import dev.cloudpg.PeeringOutputs;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.Outputs;
import java.util.Optional;
import java.util.function.Function;

/** A stack's typed outputs from its mst resources' outputs, found by the keys {@link Keys} builds. */
final class MstOutputs {
  private final MstContext mst;

  MstOutputs(MstContext mst) {
    this.mst = mst;
  }

  StackOutputs assemble(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    StackOutputs.Builder result = StackOutputs.builder().stack(stack.name());
    for (Network n : stack.networks()) {
      outputs.apply(Keys.projectVpc(n.name())).filter(o -> o.find(ProjectVpcResource.VPC_ID).isPresent())
          .ifPresent(vpc -> result.putNetworks(n.name(), NetworkOutputs.builder()
              .id(vpc.get(ProjectVpcResource.VPC_ID)).cidr(vpc.get(ProjectVpcResource.CIDR))
              .putAttributes("cloud", vpc.get(ProjectVpcResource.CLOUD)).putAttributes("project", mst.project())
              .build()));
    }
    for (PostgresCluster db : stack.databases()) {
      outputs.apply(Keys.service(db.name())).filter(o -> o.find(ServiceResource.HOST).isPresent())
          .ifPresent(s -> result.putDatabases(db.name(), database(s)));
    }
    for (Peering p : stack.peerings()) {
      Optional<Outputs> connection = outputs.apply(Keys.peeringConnection(p.name()));
      Optional<Outputs> vnetPeering = outputs.apply(Keys.vnetPeering(p.name()));
      connection.filter(o -> o.find(PeeringConnectionResource.PEERING_ID).isPresent())
          .ifPresent(c -> result.putPeerings(p.name(), peering(c, vnetPeering)));
    }
    return result.build();
  }

  private static DatabaseOutputs database(Outputs s) {
    DatabaseOutputs.Builder out = DatabaseOutputs.builder().writerEndpoint(s.get(ServiceResource.HOST))
        .port(Integer.parseInt(s.get(ServiceResource.PORT)));
    s.find(ServiceResource.CONNECTION_URI).ifPresent(out::connectionUri);
    s.find(ServiceResource.SERVICE_NAME).ifPresent(v -> out.putAttributes("serviceName", v));
    s.find(ServiceResource.PLAN).ifPresent(v -> out.putAttributes("plan", v));
    s.find(ServiceResource.CLOUD).ifPresent(v -> out.putAttributes("cloud", v));
    return out.build();
  }

  /**
   * The connection's id, and its state as the VNet peering step last saw it (ACTIVE once that step is done), else
   * as the connection step did.
   */
  private static PeeringOutputs peering(Outputs connection, Optional<Outputs> vnetPeering) {
    String state = vnetPeering.flatMap(v -> v.find(VnetPeeringStep.CONNECTION_STATE))
        .orElseGet(() -> connection.get(PeeringConnectionResource.STATE));
    PeeringOutputs.Builder out = PeeringOutputs.builder().id(connection.get(PeeringConnectionResource.PEERING_ID))
        .state(state);
    connection.find(PeeringConnectionResource.TO_NETWORK_ID)
        .or(() -> vnetPeering.flatMap(v -> v.find(VnetPeeringStep.REMOTE_VNET_ID)))
        .ifPresent(v -> out.putAttributes("toNetworkId", v));
    connection.find(PeeringConnectionResource.TO_TENANT_ID).ifPresent(v -> out.putAttributes("toTenantId", v));
    vnetPeering.flatMap(v -> v.find(VnetPeeringStep.ID)).ifPresent(v -> out.putAttributes("vnetPeeringId", v));
    return out.build();
  }
}
