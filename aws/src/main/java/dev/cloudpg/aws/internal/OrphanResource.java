package dev.cloudpg.aws.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSubnetGroup;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/**
 * Something the stack owns that its spec no longer names, or an extra duplicate: read by the id discovery found
 * ({@link StepContext#discovered()}), and deleted. Its dependencies are what it hangs off, so that the engine deletes
 * it before them: a subnet its VPC, routes and ingress rules their peering connection, an instance its cluster and
 * the instance numbered one below it (so that readers go highest-numbered first).
 *
 * <p>An instance that is its cluster's writer while the cluster stays is never deleted as it is: its delete asks RDS
 * to fail over to the cluster's first instance, and its check deletes it once another instance writes.
 */
final class OrphanResource extends AwsResource {
  static final Output<String> ID = Output.string("id");
  static final Output<String> REGION = Output.string("region");
  /** What to delete, one item each: a route {@code rtb-1 10.0.0.0/16}, a rule {@code tcp 5432 5432 10.0.0.0/16}. */
  static final Output<List<String>> ITEMS = Output.list("items");

  private final Discovered found;

  OrphanResource(AwsContext aws, Stack stack, Discovered found) {
    super(aws, stack, found.key(), dependencies(found.key()));
    this.found = found;
  }

  private static List<ResourceKey> dependencies(ResourceKey key) {
    List<ResourceKey> deps = new ArrayList<>();
    if (key.type().equals("aurora-instance")) {
      int dash = key.name().lastIndexOf('-');
      try {
        int n = Integer.parseInt(key.name().substring(dash + 1));
        if (n > 1) {
          deps.add(Keys.auroraInstance(key.name().substring(0, dash), n - 1));
        }
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        // not a name cloudpg gives; nothing to order it after
      }
    } else if (key.type().equals("ingress")) {
      deps.add(Keys.peering(key.name()));
    }
    return deps;
  }

  private String type() {
    return key().type();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of();
  }

  private String id(StepContext ctx) {
    return ctx.discovered().map(Discovered::id).orElse(found.id());
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    String id = id(ctx);
    switch (type()) {
      case "vpc":
        return describeVpc(id).map(v -> ec2Owned("VPC " + id, Tags.ec2(v.tags()), id));
      case "subnet":
        return describeSubnet(id).map(s -> ec2Owned("subnet " + id, Tags.ec2(s.tags()), id));
      case "security-group":
        return describeGroup(id).map(g -> ec2Owned("security group " + id, Tags.ec2(g.tags()), id));
      case "route-table-association":
        return aws.ec2().describeRouteTables(b -> b.filters(Tags.filter("association.route-table-association-id",
            id))).routeTables().stream().flatMap(t -> t.associations().stream())
            .filter(a -> id.equals(a.routeTableAssociationId())).findFirst()
            .map(a -> Observed.owned(Map.of(), outputs(id, aws.region(), List.of())));
      case "db-subnet-group":
        return describeSubnetGroup(id).map(g -> rdsOwned("DB subnet group " + id, Tags.rds(aws.rds()
            .listTagsForResource(b -> b.resourceName(g.dbSubnetGroupArn())).tagList()), id, false));
      case "aurora-cluster":
        return AuroraClusterResource.find(aws, id).map(c -> rdsOwned("DB cluster " + id, Tags.rds(c.tagList()), id,
            Boolean.TRUE.equals(c.deletionProtection())));
      case "aurora-instance":
        return describeInstance(id).map(i -> rdsOwned("DB instance " + id, Tags.rds(i.tagList()), id, false));
      case "vpc-peering":
        return PeeringResource.describe(aws.ec2(), id).filter(c -> !PeeringResource.DEAD.contains(
            PeeringResource.status(c))).map(c -> Observed.owned(Map.of(), outputs(id, requesterRegion(c),
                List.of())));
      case "route":
        return routes(id).map(items -> Observed.owned(Map.of(), outputs(id, routesRegion(id), items)));
      case "ingress":
        return rules(id).map(items -> Observed.owned(Map.of(), outputs(id, aws.region(), items)));
      default:
        throw new IllegalStateException(key() + ": cloudpg makes no AWS resource of type " + type());
    }
  }

  private static Outputs outputs(String id, String region, List<String> items) {
    return Outputs.builder().put(ID, id).put(REGION, region).put(ITEMS, items).build();
  }

  private Observed ec2Owned(String what, Map<String, String> tags, String id) {
    return Ownership.ownedBy(tags, stack.name()) ? Observed.owned(Map.of(), outputs(id, aws.region(), List.of()))
        : Observed.foreign(what + " is " + Ownership.owner(tags));
  }

  private Observed rdsOwned(String what, Map<String, String> tags, String id, boolean deletionProtected) {
    return Ownership.ownedBy(tags, stack.name())
        ? Observed.owned(Map.of(), outputs(id, aws.region(), List.of())).withDeletionProtection(deletionProtected)
        : Observed.foreign(what + " is " + Ownership.owner(tags));
  }

  private String requesterRegion(VpcPeeringConnection c) {
    return c.requesterVpcInfo() == null || c.requesterVpcInfo().region() == null ? aws.region()
        : c.requesterVpcInfo().region();
  }

  // ---- reads by id ----

  private Optional<Vpc> describeVpc(String id) {
    try {
      return aws.ec2().describeVpcs(b -> b.vpcIds(id)).vpcs().stream().findFirst();
    } catch (Ec2Exception e) {
      return empty(e, "InvalidVpcID.NotFound");
    }
  }

  private Optional<Subnet> describeSubnet(String id) {
    try {
      return aws.ec2().describeSubnets(b -> b.subnetIds(id)).subnets().stream().findFirst();
    } catch (Ec2Exception e) {
      return empty(e, "InvalidSubnetID.NotFound");
    }
  }

  private Optional<SecurityGroup> describeGroup(String id) {
    try {
      return aws.ec2().describeSecurityGroups(b -> b.groupIds(id)).securityGroups().stream().findFirst();
    } catch (Ec2Exception e) {
      return empty(e, "InvalidGroup.NotFound");
    }
  }

  private static <T> Optional<T> empty(Ec2Exception e, String notFound) {
    if (AwsErrors.code(e).equals(notFound)) {
      return Optional.empty();
    }
    throw e;
  }

  private Optional<DBSubnetGroup> describeSubnetGroup(String name) {
    try {
      return aws.rds().describeDBSubnetGroups(b -> b.dbSubnetGroupName(name)).dbSubnetGroups().stream().findFirst();
    } catch (DbSubnetGroupNotFoundException e) {
      return Optional.empty();
    }
  }

  private Optional<DBInstance> describeInstance(String id) {
    try {
      return aws.rds().describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().stream().findFirst();
    } catch (DbInstanceNotFoundException e) {
      return Optional.empty();
    }
  }

  /** The parts of a routes id: {@code pcx-0abc/to-peer/eu-west-1}. */
  private static String[] routesParts(String id) {
    return id.split("/", 3);
  }

  private String routesRegion(String id) {
    String[] parts = routesParts(id);
    return parts.length == 3 ? parts[2] : aws.region();
  }

  /** The routes through the peering connection in the route tables discovery found them in. */
  private Optional<List<String>> routes(String id) {
    String peeringId = routesParts(id)[0];
    List<String> tables = found.references().stream().filter(r -> r.startsWith("rtb-")).sorted().toList();
    if (tables.isEmpty()) {
      return Optional.empty();
    }
    List<String> items = new ArrayList<>();
    for (RouteTable t : aws.ec2(routesRegion(id)).describeRouteTables(b -> b.filters(Tags.filter("route-table-id",
        tables.toArray(String[]::new)))).routeTables()) {
      if (!tables.contains(t.routeTableId())) {
        continue;
      }
      for (Route r : t.routes()) {
        if (peeringId.equals(r.vpcPeeringConnectionId()) && r.destinationCidrBlock() != null) {
          items.add(t.routeTableId() + " " + r.destinationCidrBlock());
        }
      }
    }
    return items.isEmpty() ? Optional.empty() : Optional.of(items);
  }

  /** The security group of a rules id, {@code sg-0abc/ingress/app}, and its rules that the peering made. */
  private Optional<List<String>> rules(String id) {
    String groupId = id.substring(0, id.indexOf('/'));
    String description = PeeringIngressResource.DESCRIPTION_PREFIX + stack.name() + "/" + key().name();
    List<String> items = new ArrayList<>();
    describeGroup(groupId).ifPresent(g -> {
      for (IpPermission p : g.ipPermissions()) {
        for (IpRange r : p.ipRanges()) {
          if (description.equals(r.description())) {
            items.add(p.ipProtocol() + " " + p.fromPort() + " " + p.toPort() + " " + r.cidrIp());
          }
        }
      }
    });
    return items.isEmpty() ? Optional.empty() : Optional.of(items);
  }

  @Override
  public Outputs create(StepContext ctx) {
    throw new IllegalStateException(key() + " is only ever deleted");
  }

  // ---- deletes ----

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = current.outputs().get(ID);
    switch (type()) {
      case "vpc":
        ignore(() -> aws.ec2().deleteVpc(b -> b.vpcId(id)), "InvalidVpcID.NotFound");
        break;
      case "subnet":
        ignore(() -> aws.ec2().deleteSubnet(b -> b.subnetId(id)), "InvalidSubnetID.NotFound");
        break;
      case "security-group":
        ignore(() -> aws.ec2().deleteSecurityGroup(b -> b.groupId(id)), "InvalidGroup.NotFound");
        break;
      case "route-table-association":
        ignore(() -> aws.ec2().disassociateRouteTable(b -> b.associationId(id)), "InvalidAssociationID.NotFound");
        break;
      case "db-subnet-group":
        try {
          aws.rds().deleteDBSubnetGroup(b -> b.dbSubnetGroupName(id));
        } catch (DbSubnetGroupNotFoundException e) {
          // already gone
        }
        break;
      case "aurora-cluster":
        AuroraClusterResource.startDelete(aws, ctx, id, current.deletionProtected());
        break;
      case "aurora-instance":
        deleteInstance(ctx, id);
        break;
      case "vpc-peering":
        ignore(() -> aws.ec2(current.outputs().get(REGION)).deleteVpcPeeringConnection(b -> b
            .vpcPeeringConnectionId(id)), "InvalidVpcPeeringConnectionID.NotFound");
        break;
      case "route":
        deleteRoutes(current);
        break;
      case "ingress":
        revokeRules(current);
        break;
      default:
        throw new IllegalStateException(key() + ": cloudpg makes no AWS resource of type " + type());
    }
  }

  private static void ignore(Runnable call, String notFound) {
    try {
      call.run();
    } catch (Ec2Exception e) {
      if (!AwsErrors.code(e).equals(notFound)) {
        throw e;
      }
    }
  }

  private void deleteRoutes(Observed current) {
    Ec2Client ec2 = aws.ec2(current.outputs().get(REGION));
    for (String item : current.outputs().get(ITEMS)) {
      String[] route = item.split(" ", 2);
      ignore(() -> ec2.deleteRoute(b -> b.routeTableId(route[0]).destinationCidrBlock(route[1])),
          "InvalidRoute.NotFound");
    }
  }

  private void revokeRules(Observed current) {
    String groupId = current.outputs().get(ID).substring(0, current.outputs().get(ID).indexOf('/'));
    String description = PeeringIngressResource.DESCRIPTION_PREFIX + stack.name() + "/" + key().name();
    for (String item : current.outputs().get(ITEMS)) {
      String[] rule = item.split(" ", 4);
      IpPermission permission = IpPermission.builder().ipProtocol(rule[0])
          .fromPort("null".equals(rule[1]) ? null : Integer.valueOf(rule[1]))
          .toPort("null".equals(rule[2]) ? null : Integer.valueOf(rule[2]))
          .ipRanges(IpRange.builder().cidrIp(rule[3]).description(description).build()).build();
      ignore(() -> aws.ec2().revokeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(permission)),
          "InvalidPermission.NotFound");
    }
  }

  /**
   * The instance of the spec's database that takes over as writer when this one goes, while the database stays: its
   * first instance. Empty when the database itself goes.
   */
  private Optional<String> successor(StepContext ctx, DBInstance instance) {
    String clusterId = instance.dbClusterIdentifier();
    return ctx.stack().databases().stream().filter(db -> Names.cluster(db).equals(clusterId)).findFirst()
        .map(db -> Names.instance(clusterId, 1)).filter(s -> !s.equals(instance.dbInstanceIdentifier()));
  }

  private boolean isWriter(DBInstance instance) {
    if (instance.dbClusterIdentifier() == null) {
      return false;
    }
    Optional<DBCluster> cluster = AuroraClusterResource.find(aws, instance.dbClusterIdentifier());
    return cluster.map(c -> c.dbClusterMembers().stream().anyMatch(m -> instance.dbInstanceIdentifier()
        .equals(m.dbInstanceIdentifier()) && Boolean.TRUE.equals(m.isClusterWriter()))).orElse(false);
  }

  /** Fails over first when the instance writes for a cluster that stays; otherwise deletes it. */
  private void deleteInstance(StepContext ctx, String id) {
    Optional<DBInstance> instance = describeInstance(id);
    if (instance.isEmpty() || AuroraStatus.DELETING.equals(instance.get().dbInstanceStatus())) {
      return;
    }
    Optional<String> successor = successor(ctx, instance.get());
    if (successor.isPresent() && isWriter(instance.get())) {
      aws.rds().failoverDBCluster(b -> b.dbClusterIdentifier(instance.get().dbClusterIdentifier())
          .targetDBInstanceIdentifier(successor.get()));
      ctx.note("DB instance " + Text.quote(id) + " is the writer: failing over to " + Text.quote(successor.get())
          + " before deleting it");
      return;
    }
    try {
      aws.rds().deleteDBInstance(b -> b.dbInstanceIdentifier(id));
    } catch (DbInstanceNotFoundException e) {
      // already gone
    } catch (InvalidDbInstanceStateException e) {
      // a repeated delete finds the instance already going
      if (!describeInstance(id).map(i -> AuroraStatus.DELETING.equals(i.dbInstanceStatus())).orElse(true)) {
        throw e;
      }
    }
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    String id = current.outputs().get(ID);
    switch (type()) {
      case "aurora-cluster":
        return AuroraClusterResource.find(aws, id).<Probe<Void>>map(c -> Probe.pending(String.valueOf(c.status())))
            .orElse(Probe.done());
      case "aurora-instance": {
        Optional<DBInstance> instance = describeInstance(id);
        if (instance.isEmpty()) {
          return Probe.done();
        }
        if (!AuroraStatus.DELETING.equals(instance.get().dbInstanceStatus())) {
          // the failover the delete asked for is done once another instance writes: delete it now
          if (isWriter(instance.get())) {
            return Probe.pending("writer, failing over");
          }
          deleteInstance(ctx, id);
        }
        return Probe.pending(String.valueOf(instance.get().dbInstanceStatus()));
      }
      case "vpc-peering":
        return PeeringResource.describe(aws.ec2(current.outputs().get(REGION)), id)
            .map(PeeringResource::status).filter(s -> !s.equals("deleted")).<Probe<Void>>map(Probe::pending)
            .orElse(Probe.done());
      case "route":
        return routes(id).<Probe<Void>>map(left -> Probe.pending(left.size() + " routes left")).orElse(Probe.done());
      case "ingress":
        return rules(id).<Probe<Void>>map(left -> Probe.pending(left.size() + " rules left")).orElse(Probe.done());
      default:
        return Probe.done();
    }
  }
}
