package dev.cloudpg.testkit.internal;

import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.Network;
import dev.cloudpg.NetworkOutputs;
import dev.cloudpg.Peering;
import dev.cloudpg.PeeringOutputs;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Violations;
import dev.cloudpg.testkit.FakeResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Expands a stack into the fake cloud's resources, shaped like AWS's: a network with a subnet per zone and a firewall;
 * per database a subnet group, a cluster and its instances; per peering the connection, a route on each side and a
 * firewall rule for the port.
 */
public final class FakeProvider implements Provider {
  static final String NAME = "fake";
  /** Where networks without a CIDR get theirs: the first free /16. */
  private static final Cidr POOL_START = Cidr.parse("10.0.0.0/16");

  private final FakeModel model;
  private final int zonesInRegion;

  public FakeProvider(FakeModel model, int zonesInRegion) {
    this.model = model;
    this.zonesInRegion = zonesInRegion;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void validate(Stack stack, Violations v) {
    for (Network n : stack.networks()) {
      if (n.zones() > zonesInRegion) {
        v.add(n.path() + ".zones", n.zones(), "exceeds the " + zonesInRegion + " zones of the fake region");
      }
    }
    for (PostgresCluster d : stack.databases()) {
      int zones = stack.network(d.network()).zones();
      if (zones < 2) {
        v.add(stack.network(d.network()).path() + ".zones", zones,
            "must be at least 2: database " + d.name() + " needs a subnet group over two zones");
      }
    }
  }

  static ResourceKey key(String type, String name) {
    return ResourceKey.of(NAME, type, name);
  }

  static String zone(int index) {
    return String.valueOf((char) ('a' + index));
  }

  @Override
  public List<Resource> expand(Stack stack) {
    List<Resource> out = new ArrayList<>();
    String prefix = stack.name() + "-";
    for (Network n : stack.networks()) {
      ResourceKey net = key("network", n.name());
      out.add(new FakeNode(model, net, List.of(), prefix + n.name(),
          n.cidr().map(c -> Map.of("cidr", c, "zones", String.valueOf(n.zones()))).orElse(Map.of("zones",
              String.valueOf(n.zones()))),
          Set.of(), ctx -> null, ctx -> Map.of("cidr", n.cidr().orElseGet(() -> allocate(ctx)))));
      for (int z = 0; z < n.zones(); z++) {
        int index = z;
        String zone = zone(z);
        Map<String, String> desired = n.cidr()
            .map(c -> Map.of("zone", zone, "cidr", Cidr.parse(c).split(n.zones(), 28).get(index).toString()))
            .orElse(Map.of("zone", zone));
        out.add(new FakeNode(model, key("subnet", n.name() + "-" + zone), List.of(net), prefix + n.name() + "-" + zone,
            desired, Set.of(), ctx -> ctx.get(net, FakeNode.ID),
            ctx -> Map.of("cidr", Cidr.parse(ctx.get(net, FakeNode.CIDR)).split(n.zones(), 28).get(index)
                .toString())));
      }
      out.add(new FakeNode(model, key("firewall", n.name()), List.of(net), prefix + n.name(), Map.of(), Set.of(),
          ctx -> ctx.get(net, FakeNode.ID), ctx -> Map.of()));
    }
    for (PostgresCluster d : stack.databases()) {
      Network n = stack.network(d.network());
      List<ResourceKey> subnets = new ArrayList<>();
      for (int z = 0; z < n.zones(); z++) {
        subnets.add(key("subnet", n.name() + "-" + zone(z)));
      }
      ResourceKey group = key("subnet-group", d.name());
      out.add(new FakeNode(model, group, subnets, prefix + d.name(), Map.of(), Set.of(), ctx -> null,
          ctx -> Map.of("uses", String.join(",", subnets.stream().map(s -> ctx.get(s, FakeNode.ID)).toList()))));
      ResourceKey firewall = key("firewall", n.name());
      ResourceKey cluster = key("database-cluster", d.name());
      out.add(new FakeNode(model, cluster, List.of(group, firewall), prefix + d.name(),
          Map.of("version", d.version(), "port", String.valueOf(d.port()), "databaseName", d.databaseName(),
              "backupRetentionDays", String.valueOf(d.backupRetentionDays()),
              "deletionProtection", String.valueOf(d.deletionProtection())),
          Set.of("backupRetentionDays", "deletionProtection"), ctx -> ctx.get(group, FakeNode.ID),
          ctx -> clusterAttributes(ctx, d, firewall)));
      for (int i = 1; i <= d.instances(); i++) {
        String zone = zone((i - 1) % n.zones());
        out.add(new FakeNode(model, key("database-instance", d.name() + "-" + i), List.of(cluster),
            prefix + d.name() + "-" + i, Map.of("size", d.size().name(), "zone", zone,
                "role", i == 1 ? "writer" : "reader"), Set.of("size"), ctx -> ctx.get(cluster, FakeNode.ID),
            ctx -> Map.of()));
      }
    }
    for (Peering p : stack.peerings()) {
      ResourceKey net = key("network", p.network());
      ResourceKey peering = key("peering", p.name());
      out.add(new FakeNode(model, peering, List.of(net), prefix + p.name(), Map.of("peer", p.peer().reference()),
          Set.of(), ctx -> ctx.get(net, FakeNode.ID), ctx -> peerAttributes(p)));
      out.add(new FakeNode(model, key("route", p.name() + "-local"), List.of(peering), prefix + p.name() + "-local",
          Map.of(), Set.of(), ctx -> ctx.get(net, FakeNode.ID),
          ctx -> Map.of("destination", ctx.get(peering, FakeNode.PEER_CIDR),
              "via", ctx.get(peering, FakeNode.ID))));
      out.add(new FakeNode(model, key("route", p.name() + "-peer"), List.of(peering), prefix + p.name() + "-peer",
          Map.of(), Set.of(), ctx -> ctx.get(peering, FakeNode.PEER_NETWORK_ID),
          ctx -> Map.of("destination", ctx.get(net, FakeNode.CIDR),
              "via", ctx.get(peering, FakeNode.ID))));
      ResourceKey firewall = key("firewall", p.network());
      out.add(new FakeNode(model, key("firewall-rule", p.name()), List.of(peering, firewall),
          prefix + p.name(), Map.of("port", String.valueOf(p.allowPort())), Set.of(),
          ctx -> ctx.get(firewall, FakeNode.ID),
          ctx -> Map.of("sources", p.peer().cidrs().isEmpty() ? ctx.get(peering, FakeNode.PEER_CIDR)
              : String.join(",", p.peer().cidrs()))));
    }
    return out;
  }

  private static Map<String, String> clusterAttributes(StepContext ctx, PostgresCluster d, ResourceKey firewall) {
    String suffix = ctx.get(firewall, FakeNode.ID).replaceAll("^[a-z]+-", "");
    String host = ctx.stack().name() + "-" + d.name() + ".cluster-" + suffix + ".fake.cloudpg.test";
    return Map.of("uses", ctx.get(firewall, FakeNode.ID), "writerEndpoint", host,
        "readerEndpoint", host.replace(".cluster-", ".cluster-ro-"),
        "secretReference", d.masterPassword().isPresent() ? "given by the caller"
            : "fake-secrets://" + ctx.stack().name() + "/" + d.name() + "/master");
  }

  private Map<String, String> peerAttributes(Peering p) {
    FakeResource peer = model.describe("network", p.peer().reference()).orElseThrow(() -> new ProviderException(NAME,
        "NotFound", "peer network " + p.peer().reference() + " does not exist in the fake cloud; add it with "
            + "FakeCloud.addPeerNetwork", null, 404, false, null));
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
    throw new ProviderException(NAME, "AddressSpaceExhausted", "no free /16 for an allocated network", null, 400,
        false, null);
  }

  @Override
  public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    StackOutputs.Builder b = StackOutputs.builder().stack(stack.name());
    for (Network n : stack.networks()) {
      outputs.apply(key("network", n.name())).ifPresent(o -> {
        NetworkOutputs.Builder nb = NetworkOutputs.builder().id(o.get(FakeNode.ID)).cidr(o.get(FakeNode.CIDR));
        for (int z = 0; z < n.zones(); z++) {
          outputs.apply(key("subnet", n.name() + "-" + zone(z))).ifPresent(s -> nb.addSubnetIds(s.get(FakeNode.ID)));
        }
        outputs.apply(key("firewall", n.name())).ifPresent(f -> nb.putAttributes("firewallId", f.get(FakeNode.ID)));
        b.putNetworks(n.name(), nb.build());
      });
    }
    for (PostgresCluster d : stack.databases()) {
      outputs.apply(key("database-cluster", d.name())).ifPresent(o -> b.putDatabases(d.name(), DatabaseOutputs
          .builder().writerEndpoint(o.get(FakeNode.WRITER_ENDPOINT)).readerEndpoint(o.find(FakeNode.READER_ENDPOINT))
          .port(Integer.parseInt(o.get(FakeNode.PORT))).secretReference(o.find(FakeNode.SECRET_REFERENCE))
          .putAttributes("clusterId", o.get(FakeNode.ID)).build()));
    }
    for (Peering p : stack.peerings()) {
      outputs.apply(key("peering", p.name())).ifPresent(o -> b.putPeerings(p.name(), PeeringOutputs.builder()
          .id(o.get(FakeNode.ID)).state(o.get(FakeNode.STATE))
          .putAttributes("peerNetworkId", o.get(FakeNode.PEER_NETWORK_ID))
          .putAttributes("peerCidr", o.get(FakeNode.PEER_CIDR)).build()));
    }
    return b.build();
  }
}
