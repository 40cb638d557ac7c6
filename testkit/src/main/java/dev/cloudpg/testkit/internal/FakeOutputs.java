package dev.cloudpg.testkit.internal;

import static dev.cloudpg.testkit.internal.FakeNode.CIDR;
import static dev.cloudpg.testkit.internal.FakeNode.ID;
import static dev.cloudpg.testkit.internal.FakeNode.PEER_CIDR;
import static dev.cloudpg.testkit.internal.FakeNode.PEER_NETWORK_ID;
import static dev.cloudpg.testkit.internal.FakeNode.PORT;
import static dev.cloudpg.testkit.internal.FakeNode.READER_ENDPOINT;
import static dev.cloudpg.testkit.internal.FakeNode.SECRET_REFERENCE;
import static dev.cloudpg.testkit.internal.FakeNode.STATE;
import static dev.cloudpg.testkit.internal.FakeNode.WRITER_ENDPOINT;

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

/** The stack's typed outputs from its fake resources'. */
final class FakeOutputs {
  private FakeOutputs() {}

  static StackOutputs assemble(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    StackOutputs.Builder b = StackOutputs.builder().stack(stack.name());
    for (Network n : stack.networks()) {
      outputs.apply(FakeKeys.network(n.name())).ifPresent(o -> {
        NetworkOutputs.Builder nb = NetworkOutputs.builder().id(o.get(ID)).cidr(o.get(CIDR));
        for (int z = 0; z < n.zones(); z++) {
          outputs.apply(FakeKeys.subnet(n.name(), z)).ifPresent(s -> nb.addSubnetIds(s.get(ID)));
        }
        outputs.apply(FakeKeys.firewall(n.name())).ifPresent(f -> nb.putAttributes("firewallId", f.get(ID)));
        b.putNetworks(n.name(), nb.build());
      });
    }
    for (PostgresCluster d : stack.databases()) {
      outputs.apply(FakeKeys.cluster(d.name())).ifPresent(o -> b.putDatabases(d.name(), DatabaseOutputs.builder()
          .writerEndpoint(o.get(WRITER_ENDPOINT)).readerEndpoint(o.find(READER_ENDPOINT))
          .port(Integer.parseInt(o.get(PORT))).secretReference(o.find(SECRET_REFERENCE))
          .putAttributes("clusterId", o.get(ID)).build()));
    }
    for (Peering p : stack.peerings()) {
      outputs.apply(FakeKeys.peering(p.name())).ifPresent(o -> b.putPeerings(p.name(), PeeringOutputs.builder()
          .id(o.get(ID)).state(o.get(STATE)).putAttributes("peerNetworkId", o.get(PEER_NETWORK_ID))
          .putAttributes("peerCidr", o.get(PEER_CIDR)).build()));
    }
    return b.build();
  }
}
