package dev.cloudpg.aws.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;

/**
 * The explicit association of a subnet with its VPC's main route table, as procedure A makes it (so that routes to
 * peers added to the main table apply to the subnet whatever the main table becomes). Owned with its subnet.
 */
final class RouteTableAssociationResource extends AwsResource {
  private final ResourceKey subnet;
  private final ResourceKey vpc;

  RouteTableAssociationResource(AwsContext aws, Stack stack, String name, ResourceKey subnet, ResourceKey vpc) {
    super(aws, stack, key("route-table-association", name), List.of(subnet, vpc));
    this.subnet = subnet;
    this.vpc = vpc;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("routeTable", "main");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    Optional<String> subnetId = dependencyOutput(ctx, subnet, "subnetId");
    Optional<String> main = dependencyOutput(ctx, vpc, "mainRouteTableId");
    if (subnetId.isEmpty() || main.isEmpty()) {
      return Optional.empty();
    }
    return find(subnetId.get()).map(a -> Observed.owned(
        Map.of("routeTable", a.routeTableId().equals(main.get()) ? "main" : a.routeTableId()),
        Outputs.of("associationId", a.routeTableAssociationId(), "routeTableId", a.routeTableId())));
  }

  private Optional<RouteTableAssociation> find(String subnetId) {
    List<RouteTable> tables = aws.ec2().describeRouteTables(b -> b.filters(
        Tags.filter("association.subnet-id", subnetId))).routeTables();
    return tables.stream().flatMap(t -> t.associations().stream())
        .filter(a -> subnetId.equals(a.subnetId()) && !Boolean.TRUE.equals(a.main())).findFirst();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String subnetId = ctx.outputsOf(subnet).string("subnetId");
    String main = ctx.outputsOf(vpc).string("mainRouteTableId");
    try {
      String id = aws.ec2().associateRouteTable(b -> b.routeTableId(main).subnetId(subnetId)).associationId();
      return Outputs.of("associationId", id, "routeTableId", main);
    } catch (Ec2Exception e) {
      if (AwsErrors.code(e).equals("Resource.AlreadyAssociated")) {
        Optional<RouteTableAssociation> existing = find(subnetId).filter(a -> a.routeTableId().equals(main));
        if (existing.isPresent()) {
          return Outputs.of("associationId", existing.get().routeTableAssociationId(), "routeTableId", main);
        }
      }
      throw e;
    }
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    try {
      aws.ec2().disassociateRouteTable(b -> b.associationId(current.outputs().string("associationId")));
    } catch (Ec2Exception e) {
      if (!AwsErrors.code(e).equals("InvalidAssociationID.NotFound")) {
        throw e;
      }
    }
  }
}
