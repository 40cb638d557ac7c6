package dev.cloudpg.aws.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Ownership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSubnetGroup;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Filter;

/**
 * Finds everything a stack owns in the region, in a number of calls that grows with the stack, not with the region:
 *
 * <ul>
 *   <li>one paginated {@code GetResources} of the Resource Groups Tagging API with the tag filter
 *       {@code cloudpg:stack=<stack>} and the resource types cloudpg makes (VPCs, subnets, security groups, peering
 *       connections, DB clusters, DB instances, DB subnet groups), so that the Aurora snapshots that copied the
 *       cluster's tags are left out: they are kept on purpose and never deleted by cloudpg;
 *   <li>typed describes of what was found, filtered by tag or id, for what the resources hang off: subnets and
 *       security groups (with their ingress rules), the route tables of the stack's VPCs and of the peers' VPCs (with
 *       the subnets' route-table associations and the routes through the stack's peering connections), the peering
 *       connections ending at the stack's VPCs (with their status: a deleted, rejected, failed or expired one counts
 *       for nothing), the DB clusters and their instances;
 *   <li>the DB subnet group of each of the stack's networks by name, with its tags, where the Tagging API does not
 *       list subnet groups (moto does not).
 * </ul>
 *
 * <p>What cannot be tagged is recognised by what it points to: a route-table association by its subnet (keyed like
 * the subnet), the routes of one side of a peering by the peering connection they go through, an ingress rule by
 * its description {@code cloudpg <stack>/<peering>} in the stack's security group. Each found resource has its key
 * from its {@code cloudpg:key} tag; one tagged with the stack but without a key is not cloudpg's and is left out.
 * Thread-safe; holds nothing between calls.
 */
final class AwsDiscovery {
  /** The resource types cloudpg makes, as the Tagging API names them. */
  static final List<String> TYPES = List.of("ec2:vpc", "ec2:subnet", "ec2:security-group",
      "ec2:vpc-peering-connection", "rds:cluster", "rds:db", "rds:subgrp");

  /** A found resource, with what {@link AwsProvider#stacks()} shows of a peering: the application VPC. */
  record Found(Discovered discovered, Optional<String> peerVpc) {}

  private final AwsContext aws;
  private final String stack;

  AwsDiscovery(AwsContext aws, String stack) {
    this.aws = aws;
    this.stack = stack;
  }

  /** The names of the stacks that own something in the region: one Tagging API call (paginated). */
  static Set<String> stackNames(AwsContext aws) {
    Set<String> names = new java.util.TreeSet<>();
    aws.tagging(aws.region()).getResources(Ownership.STACK, List.of(), TYPES)
        .forEach(t -> Optional.ofNullable(t.tags().get(Ownership.STACK)).ifPresent(names::add));
    return names;
  }

  /**
   * Everything the stack owns in the region.
   *
   * @param networks the names of the spec's networks, whose DB subnet groups are looked up by name besides those
   *     of the networks found
   */
  List<Found> discover(Collection<String> networks) {
    Map<String, Map<String, TaggingClient.Tagged>> tagged = new LinkedHashMap<>();
    for (TaggingClient.Tagged t : aws.tagging(aws.region()).getResources(Ownership.STACK, List.of(stack), TYPES)) {
      String resource = t.resource();
      int cut = t.service().equals("ec2") ? resource.indexOf('/') : resource.indexOf(':');
      if (cut > 0) {
        tagged.computeIfAbsent(t.service() + ":" + resource.substring(0, cut), k -> new LinkedHashMap<>())
            .put(resource.substring(cut + 1), t);
      }
    }
    List<Found> found = new ArrayList<>();
    Ec2Client ec2 = aws.ec2();

    Map<String, ResourceKey> vpcs = new LinkedHashMap<>();
    tagged.getOrDefault("ec2:vpc", Map.of()).forEach((id, t) -> key(t.tags()).ifPresent(k -> {
      vpcs.put(id, k);
      found.add(new Found(Discovered.of(k, id, "VPC " + id + name(t.tags()), Set.of()), Optional.empty()));
    }));

    Map<String, ResourceKey> subnets = new LinkedHashMap<>();
    if (tagged.containsKey("ec2:subnet")) {
      for (Subnet s : ec2.describeSubnets(b -> b.filters(Tags.filter("tag:" + Ownership.STACK, stack))).subnets()) {
        Map<String, String> tags = Tags.ec2(s.tags());
        key(tags).filter(k -> Ownership.ownedBy(tags, stack)).ifPresent(k -> {
          subnets.put(s.subnetId(), k);
          found.add(new Found(Discovered.of(k, s.subnetId(), "subnet " + s.subnetId() + " " + s.cidrBlock() + " in "
              + s.availabilityZone() + " of " + s.vpcId(), Set.of(s.vpcId())), Optional.empty()));
        });
      }
    }

    List<SecurityGroup> groups = new ArrayList<>();
    if (tagged.containsKey("ec2:security-group")) {
      for (SecurityGroup g : ec2.describeSecurityGroups(b -> b.filters(Tags.filter("tag:" + Ownership.STACK,
          stack))).securityGroups()) {
        Map<String, String> tags = Tags.ec2(g.tags());
        key(tags).filter(k -> Ownership.ownedBy(tags, stack)).ifPresent(k -> {
          groups.add(g);
          found.add(new Found(Discovered.of(k, g.groupId(), "security group " + g.groupId() + " (" + g.groupName()
              + ") of " + g.vpcId(), Set.of(g.vpcId())), Optional.empty()));
        });
      }
    }
    found.addAll(ingressRules(groups));

    Map<String, PeeringFound> peerings = peerings(ec2, vpcs.keySet(),
        tagged.getOrDefault("ec2:vpc-peering-connection", Map.of()).keySet());
    peerings.values().forEach(p -> found.add(new Found(Discovered.of(p.key, p.id, "peering connection " + p.id
        + " (" + p.status + ") from " + p.requesterVpc + " in " + p.requesterRegion + " to " + p.accepterVpc,
        Set.of(p.accepterVpc)), Optional.of(p.requesterVpc))));
    found.addAll(routeTables(vpcs.keySet(), subnets, peerings));

    found.addAll(databases(tagged, vpcs.values(), networks));
    return found;
  }

  private static Optional<ResourceKey> key(Map<String, String> tags) {
    String key = tags.get(Ownership.KEY);
    if (key == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ResourceKey.parse(key)).filter(k -> k.provider().equals(Keys.PROVIDER));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String name(Map<String, String> tags) {
    return tags.containsKey(Tags.NAME) ? " (" + tags.get(Tags.NAME) + ")" : "";
  }

  /** The rules of the stack's groups whose description marks them as a peering's: {@code cloudpg <stack>/<p>}. */
  private List<Found> ingressRules(List<SecurityGroup> groups) {
    String prefix = PeeringIngressResource.DESCRIPTION_PREFIX + stack + "/";
    List<Found> found = new ArrayList<>();
    for (SecurityGroup g : groups) {
      Map<String, List<String>> byPeering = new LinkedHashMap<>();
      for (IpPermission p : g.ipPermissions()) {
        for (IpRange r : p.ipRanges()) {
          if (r.description() != null && r.description().startsWith(prefix)) {
            byPeering.computeIfAbsent(r.description().substring(prefix.length()), k -> new ArrayList<>())
                .add(r.cidrIp());
          }
        }
      }
      byPeering.forEach((peering, cidrs) -> found.add(new Found(Discovered.of(Keys.ingress(peering),
          PeeringIngressResource.ruleId(g.groupId(), peering), "ingress from " + cidrs + " in security group "
              + g.groupId(), Set.of(g.groupId())), Optional.empty())));
    }
    return found;
  }

  /** A live peering connection of the stack. */
  private record PeeringFound(ResourceKey key, String id, String status, String accepterVpc, String requesterVpc,
      String requesterRegion) {}

  /**
   * The stack's live peering connections: those ending at its VPCs, and those the Tagging API listed. A connection
   * requested from another region carries its tags there: it is read there when this region shows none.
   */
  private Map<String, PeeringFound> peerings(Ec2Client ec2, Set<String> vpcIds, Set<String> taggedIds) {
    Map<String, VpcPeeringConnection> candidates = new LinkedHashMap<>();
    if (!vpcIds.isEmpty()) {
      // moto ignores the filter: the client-side test keeps what ends at the stack's VPCs
      ec2.describeVpcPeeringConnectionsPaginator(b -> b.filters(Tags.filter("accepter-vpc-info.vpc-id",
          vpcIds.toArray(String[]::new)))).vpcPeeringConnections().forEach(c -> {
            if (c.accepterVpcInfo() != null && vpcIds.contains(c.accepterVpcInfo().vpcId())) {
              candidates.put(c.vpcPeeringConnectionId(), c);
            }
          });
    }
    List<String> missing = taggedIds.stream().filter(id -> !candidates.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      ec2.describeVpcPeeringConnectionsPaginator(b -> b.filters(Tags.filter("vpc-peering-connection-id",
          missing.toArray(String[]::new)))).vpcPeeringConnections().forEach(c -> {
            if (missing.contains(c.vpcPeeringConnectionId())) {
              candidates.put(c.vpcPeeringConnectionId(), c);
            }
          });
    }
    Map<String, PeeringFound> live = new LinkedHashMap<>();
    for (VpcPeeringConnection c : candidates.values()) {
      String status = PeeringResource.status(c);
      if (PeeringResource.DEAD.contains(status) || c.requesterVpcInfo() == null || c.accepterVpcInfo() == null) {
        continue;
      }
      String requesterRegion = Optional.ofNullable(c.requesterVpcInfo().region()).orElse(aws.region());
      Map<String, String> tags = Tags.ec2(c.tags());
      if (!Ownership.ownedBy(tags, stack) && !requesterRegion.equals(aws.region())) {
        tags = PeeringResource.describe(aws.ec2(requesterRegion), c.vpcPeeringConnectionId())
            .map(r -> Tags.ec2(r.tags())).orElse(Map.of());
      }
      Map<String, String> owned = tags;
      if (Ownership.ownedBy(owned, stack)) {
        key(owned).ifPresent(k -> live.put(c.vpcPeeringConnectionId(), new PeeringFound(k,
            c.vpcPeeringConnectionId(), status, c.accepterVpcInfo().vpcId(), c.requesterVpcInfo().vpcId(),
            requesterRegion)));
      }
    }
    return live;
  }

  /**
   * The subnets' associations with route tables of the stack's VPCs, and the routes through the stack's peering
   * connections on both sides: one {@code DescribeRouteTables} per region holding such a VPC.
   */
  private List<Found> routeTables(Set<String> vpcIds, Map<String, ResourceKey> subnets,
      Map<String, PeeringFound> peerings) {
    Map<String, Set<String>> vpcsByRegion = new LinkedHashMap<>();
    if (!vpcIds.isEmpty()) {
      vpcsByRegion.computeIfAbsent(aws.region(), r -> new LinkedHashSet<>()).addAll(vpcIds);
    }
    peerings.values().forEach(p -> vpcsByRegion.computeIfAbsent(p.requesterRegion, r -> new LinkedHashSet<>())
        .add(p.requesterVpc));
    List<Found> found = new ArrayList<>();
    vpcsByRegion.forEach((region, vpcs) -> {
      List<RouteTable> tables = new ArrayList<>();
      aws.ec2(region).describeRouteTablesPaginator(b -> b.filters(Tags.filter("vpc-id", vpcs.toArray(String[]::new))))
          .routeTables().forEach(tables::add);
      if (region.equals(aws.region())) {
        for (RouteTable t : tables) {
          for (RouteTableAssociation a : t.associations()) {
            ResourceKey subnet = a.subnetId() == null ? null : subnets.get(a.subnetId());
            if (subnet != null && !Boolean.TRUE.equals(a.main())) {
              found.add(new Found(Discovered.of(Keys.routeTableAssociation(subnet.name()),
                  a.routeTableAssociationId(), "association of subnet " + a.subnetId() + " with route table "
                      + t.routeTableId(), Set.of(a.subnetId(), t.routeTableId())), Optional.empty()));
            }
          }
        }
      }
      for (PeeringFound p : peerings.values()) {
        for (PeeringRoutesResource.Side side : PeeringRoutesResource.Side.values()) {
          String sideRegion = side == PeeringRoutesResource.Side.TO_PEER ? aws.region() : p.requesterRegion;
          String sideVpc = side == PeeringRoutesResource.Side.TO_PEER ? p.accepterVpc : p.requesterVpc;
          if (!sideRegion.equals(region)) {
            continue;
          }
          Set<String> references = new LinkedHashSet<>();
          List<String> destinations = new ArrayList<>();
          for (RouteTable t : tables) {
            if (!sideVpc.equals(t.vpcId())) {
              continue;
            }
            for (Route r : t.routes()) {
              if (p.id.equals(r.vpcPeeringConnectionId()) && r.destinationCidrBlock() != null) {
                references.add(t.routeTableId());
                destinations.add(r.destinationCidrBlock());
              }
            }
          }
          if (!references.isEmpty()) {
            references.add(p.id);
            found.add(new Found(Discovered.of(Keys.routes(p.key.name(), side),
                PeeringRoutesResource.routesId(p.id, side, region), "routes to " + destinations + " through "
                    + p.id + " in " + sideVpc + " (" + region + ")", references), Optional.empty()));
          }
        }
      }
    });
    return found;
  }

  /** The DB clusters, their instances and the DB subnet groups of the stack. */
  private List<Found> databases(Map<String, Map<String, TaggingClient.Tagged>> tagged, Collection<ResourceKey> vpcKeys,
      Collection<String> networks) {
    List<Found> found = new ArrayList<>();
    Set<String> subnetGroupNames = new LinkedHashSet<>(tagged.getOrDefault("rds:subgrp", Map.of()).keySet());
    vpcKeys.forEach(k -> subnetGroupNames.add(Names.network(stack, k.name())));
    networks.forEach(n -> subnetGroupNames.add(Names.network(stack, n)));

    Set<String> clusterIds = tagged.getOrDefault("rds:cluster", Map.of()).keySet();
    if (!clusterIds.isEmpty()) {
      for (DBCluster c : aws.rds().describeDBClustersPaginator(b -> b.filters(rdsFilter("db-cluster-id",
          clusterIds))).dbClusters()) {
        Map<String, String> tags = Tags.rds(c.tagList());
        key(tags).filter(k -> Ownership.ownedBy(tags, stack)).ifPresent(k -> found.add(new Found(new Discovered(k,
            c.dbClusterIdentifier(), "DB cluster " + c.dbClusterIdentifier() + " (" + c.status() + ")",
            Optional.ofNullable(c.clusterCreateTime()), c.dbSubnetGroup() == null ? Set.of()
                : Set.of(c.dbSubnetGroup())), Optional.empty())));
        Optional.ofNullable(c.dbSubnetGroup()).ifPresent(subnetGroupNames::add);
      }
    }
    Map<String, DBInstance> instances = new LinkedHashMap<>();
    if (!clusterIds.isEmpty()) {
      aws.rds().describeDBInstancesPaginator(b -> b.filters(rdsFilter("db-cluster-id", clusterIds))).dbInstances()
          .forEach(i -> instances.put(i.dbInstanceIdentifier(), i));
    }
    List<String> otherInstances = tagged.getOrDefault("rds:db", Map.of()).keySet().stream()
        .filter(id -> !instances.containsKey(id)).toList();
    if (!otherInstances.isEmpty()) {
      aws.rds().describeDBInstancesPaginator(b -> b.filters(rdsFilter("db-instance-id", otherInstances)))
          .dbInstances().forEach(i -> instances.put(i.dbInstanceIdentifier(), i));
    }
    for (DBInstance i : instances.values()) {
      Map<String, String> tags = Tags.rds(i.tagList());
      key(tags).filter(k -> Ownership.ownedBy(tags, stack)).ifPresent(k -> found.add(new Found(new Discovered(k,
          i.dbInstanceIdentifier(), "DB instance " + i.dbInstanceIdentifier() + " (" + i.dbInstanceStatus() + ")",
          Optional.ofNullable(i.instanceCreateTime()), i.dbClusterIdentifier() == null ? Set.of()
              : Set.of(i.dbClusterIdentifier())), Optional.empty())));
    }
    Map<String, TaggingClient.Tagged> taggedGroups = tagged.getOrDefault("rds:subgrp", Map.of());
    for (String name : subnetGroupNames) {
      Optional<DBSubnetGroup> group;
      try {
        group = aws.rds().describeDBSubnetGroups(b -> b.dbSubnetGroupName(name)).dbSubnetGroups().stream()
            .findFirst();
      } catch (DbSubnetGroupNotFoundException e) {
        group = Optional.empty();
      }
      if (group.isEmpty()) {
        continue;
      }
      DBSubnetGroup g = group.get();
      Map<String, String> tags = taggedGroups.containsKey(name) ? taggedGroups.get(name).tags()
          : Tags.rds(aws.rds().listTagsForResource(b -> b.resourceName(g.dbSubnetGroupArn())).tagList());
      Set<String> references = new LinkedHashSet<>();
      g.subnets().forEach(s -> references.add(s.subnetIdentifier()));
      key(tags).filter(k -> Ownership.ownedBy(tags, stack)).ifPresent(k -> found.add(new Found(Discovered.of(k,
          g.dbSubnetGroupName(), "DB subnet group " + g.dbSubnetGroupName() + " over " + references, references),
          Optional.empty())));
    }
    return found;
  }

  private static Filter rdsFilter(String name, Collection<String> values) {
    return Filter.builder().name(name).values(values).build();
  }
}
