package dev.cloudpg.testkit.internal;

import static dev.cloudpg.testkit.internal.FakeNode.CIDR;
import static dev.cloudpg.testkit.internal.FakeNode.ID;
import static dev.cloudpg.testkit.internal.FakeNode.PEER_CIDR;
import static dev.cloudpg.testkit.internal.FakeNode.PEER_NETWORK_ID;

import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.testkit.FakeResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Expands a stack into the fake cloud's resources, shaped like AWS's: a network with a subnet per zone and a firewall;
 * per database a subnet group, a cluster and its instances; per peering the connection, a route on each side and a
 * firewall rule for the port.
 */
final class FakeGraph {
  /** Where networks without a CIDR get theirs: the first free /16. */
  private static final Cidr POOL_START = Cidr.parse("10.0.0.0/16");

  private final FakeModel model;

  FakeGraph(FakeModel model) {
    this.model = model;
  }

  List<Resource> expand(Stack stack) {
    List<Resource> out = new ArrayList<>();
    String prefix = stack.name() + "-";
    for (Network n : stack.networks()) {
      ResourceKey net = FakeKeys.network(n.name());
      out.add(node(n.tags(), net, List.of(), prefix + n.name(),
          n.cidr().map(c -> Map.of("cidr", c, "zones", String.valueOf(n.zones())))
              .orElse(Map.of("zones", String.valueOf(n.zones()))),
          Set.of(), ctx -> null, ctx -> Map.of("cidr", n.cidr().orElseGet(() -> allocate(ctx)))));
      for (int z = 0; z < n.zones(); z++) {
        int index = z;
        String zone = FakeKeys.zone(z);
        Map<String, String> desired = n.cidr()
            .map(c -> Map.of("zone", zone, "cidr", Cidr.parse(c).split(n.zones(), 28).get(index).toString()))
            .orElse(Map.of("zone", zone));
        out.add(node(n.tags(), FakeKeys.subnet(n.name(), z), List.of(net), prefix + n.name() + "-" + zone, desired,
            Set.of(),
            ctx -> ctx.get(net, ID),
            ctx -> Map.of("cidr", Cidr.parse(ctx.get(net, CIDR)).split(n.zones(), 28).get(index).toString())));
      }
      out.add(node(n.tags(), FakeKeys.firewall(n.name()), List.of(net), prefix + n.name(), Map.of(), Set.of(),
          ctx -> ctx.get(net, ID), ctx -> Map.of()));
    }
    for (PostgresCluster d : stack.databases()) {
      Network n = stack.network(d.network());
      List<ResourceKey> subnets = new ArrayList<>();
      for (int z = 0; z < n.zones(); z++) {
        subnets.add(FakeKeys.subnet(n.name(), z));
      }
      ResourceKey group = FakeKeys.subnetGroup(d.name());
      // as on AWS, the subnet group carries its network's tags
      out.add(node(n.tags(), group, subnets, prefix + d.name(), Map.of(), Set.of(), ctx -> null,
          ctx -> Map.of("uses", String.join(",", subnets.stream().map(s -> ctx.get(s, ID)).toList()))));
      ResourceKey firewall = FakeKeys.firewall(n.name());
      ResourceKey cluster = FakeKeys.cluster(d.name());
      out.add(node(d.tags(), cluster, List.of(group, firewall), prefix + d.name(),
          Map.of("version", d.version(), "port", String.valueOf(d.port()), "databaseName", d.databaseName(),
              "backupRetentionDays", String.valueOf(d.backupRetentionDays()),
              "deletionProtection", String.valueOf(d.deletionProtection())),
          Set.of("backupRetentionDays", "deletionProtection", "version"), ctx -> ctx.get(group, ID),
          ctx -> clusterAttributes(ctx, d, firewall)));
      for (int i = 1; i <= d.instances(); i++) {
        String zone = FakeKeys.zone((i - 1) % n.zones());
        out.add(node(d.tags(), FakeKeys.instance(d.name(), i), List.of(cluster), prefix + d.name() + "-" + i,
            Map.of("size", d.size().name(), "zone", zone, "role", i == 1 ? "writer" : "reader"), Set.of("size"),
            ctx -> ctx.get(cluster, ID), ctx -> Map.of()));
      }
    }
    for (Peering p : stack.peerings()) {
      ResourceKey net = FakeKeys.network(p.network());
      ResourceKey peering = FakeKeys.peering(p.name());
      out.add(new FakeNode(model, peering, List.of(net), prefix + p.name(), p.tags(),
          Map.of("peer", p.peer().reference()), Set.of(), Set.of("peer"), false, ctx -> ctx.get(net, ID),
          ctx -> peerAttributes(p)));
      out.add(follower(p.tags(), FakeKeys.localRoute(p.name()), List.of(peering), prefix + p.name() + "-local",
          Map.of(), Set.of(), ctx -> ctx.get(net, ID),
          ctx -> Map.of("destination", ctx.get(peering, PEER_CIDR), "via", ctx.get(peering, ID))));
      out.add(follower(p.tags(), FakeKeys.peerRoute(p.name()), List.of(peering), prefix + p.name() + "-peer",
          Map.of(), Set.of(), ctx -> ctx.get(peering, PEER_NETWORK_ID),
          ctx -> Map.of("destination", ctx.get(net, CIDR), "via", ctx.get(peering, ID))));
      ResourceKey firewall = FakeKeys.firewall(p.network());
      out.add(follower(p.tags(), FakeKeys.firewallRule(p.name()), List.of(peering, firewall), prefix + p.name(),
          Map.of("port", String.valueOf(p.allowPort())), Set.of(), ctx -> ctx.get(firewall, ID),
          ctx -> Map.of("sources", p.peer().cidrs().isEmpty() ? ctx.get(peering, PEER_CIDR)
              : String.join(",", p.peer().cidrs()))));
    }
    return out;
  }

  /** @param tags the spec's tags for what it is made for (a network's, a database's), beside the ownership tags */
  private FakeNode node(Map<String, String> tags, ResourceKey key, List<ResourceKey> dependencies, String name,
      Map<String, String> desired, Set<String> updatable, java.util.function.Function<StepContext, String> parent,
      java.util.function.Function<StepContext, Map<String, String>> attributes) {
    return new FakeNode(model, key, dependencies, name, tags, desired, updatable, Set.of(), false, parent,
        attributes);
  }

  /** A resource of a peering, which follows it when it is replaced: its attributes and parent are computed again. */
  private FakeNode follower(Map<String, String> tags, ResourceKey key, List<ResourceKey> dependencies, String name,
      Map<String, String> desired, Set<String> updatable, java.util.function.Function<StepContext, String> parent,
      java.util.function.Function<StepContext, Map<String, String>> attributes) {
    return new FakeNode(model, key, dependencies, name, tags, desired, updatable, Set.of(), true, parent, attributes);
  }

  private static Map<String, String> clusterAttributes(StepContext ctx, PostgresCluster d, ResourceKey firewall) {
    String suffix = ctx.get(firewall, ID).replaceAll("^[a-z]+-", "");
    String host = ctx.stack().name() + "-" + d.name() + ".cluster-" + suffix + ".fake.cloudpg.test";
    return Map.of("uses", ctx.get(firewall, ID), "writerEndpoint", host,
        "readerEndpoint", host.replace(".cluster-", ".cluster-ro-"),
        "secretReference", d.masterPassword().isPresent() ? "given by the caller"
            : "fake-secrets://" + ctx.stack().name() + "/" + d.name() + "/master");
  }

  private Map<String, String> peerAttributes(Peering p) {
    FakeResource peer = model.describe("network", p.peer().reference()).orElseThrow(() -> new ProviderException(
        FakeKeys.PROVIDER, "NotFound", "peer network " + Text.quote(p.peer().reference())
            + " does not exist in the fake cloud; add it with FakeCloud.addPeerNetwork", null, 404, false, null));
    return Map.of("peerNetworkId", peer.id(), "peerCidr", peer.attributes().get("cidr"));
  }

  /** The first /16 from 10.0.0.0 that overlaps no network of the fake cloud and no CIDR declared on a peer. */
  private String allocate(StepContext ctx) {
    List<Cidr> taken = new ArrayList<>();
    model.list("network").forEach(r -> Optional.ofNullable(r.attributes().get("cidr")).map(Cidr::parse)
        .ifPresent(taken::add));
    ctx.stack().peerings().forEach(p -> p.peer().cidrs().forEach(c -> taken.add(Cidr.parse(c))));
    ctx.stack().networks().forEach(n -> n.cidr().ifPresent(c -> taken.add(Cidr.parse(c))));
    for (Optional<Cidr> c = Optional.of(POOL_START); c.isPresent(); c = c.get().next()) {
      Cidr candidate = c.get();
      if (taken.stream().noneMatch(candidate::overlaps)) {
        return candidate.toString();
      }
    }
    throw new ProviderException(FakeKeys.PROVIDER, "AddressSpaceExhausted", "no free /16 for an allocated network",
        null, 400, false, null);
  }
}
