package dev.cloudpg.aws.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
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
 * peers added to the main table apply to the subnet whatever the main table becomes). Owned with its subnet; in effect
 * as soon as it is made.
 */
final class RouteTableAssociationResource extends AwsResource {
  static final Output<String> ASSOCIATION_ID = Output.string("associationId");
  static final Output<String> ROUTE_TABLE_ID = Output.string("routeTableId");

  private final ResourceKey subnet;
  private final ResourceKey vpc;

  RouteTableAssociationResource(AwsContext aws, Stack stack, ResourceKey key, ResourceKey subnet, ResourceKey vpc) {
    super(aws, stack, key, List.of(subnet, vpc));
    this.subnet = subnet;
    this.vpc = vpc;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("routeTable", "main");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    Optional<String> subnetId = dependencyOutput(ctx, subnet, SubnetResource.SUBNET_ID);
    Optional<String> main = dependencyOutput(ctx, vpc, VpcResource.MAIN_ROUTE_TABLE_ID);
    if (subnetId.isEmpty() || main.isEmpty()) {
      return Optional.empty();
    }
    return find(subnetId.get()).map(a -> Observed.owned(
        Map.of("routeTable", a.routeTableId().equals(main.get()) ? "main" : a.routeTableId()),
        outputs(a.routeTableAssociationId(), a.routeTableId())));
  }

  private Optional<RouteTableAssociation> find(String subnetId) {
    List<RouteTable> tables = aws.ec2().describeRouteTables(b -> b.filters(
        Tags.filter("association.subnet-id", subnetId))).routeTables();
    return tables.stream().flatMap(t -> t.associations().stream())
        .filter(a -> subnetId.equals(a.subnetId()) && !Boolean.TRUE.equals(a.main())).findFirst();
  }

  private static Outputs outputs(String associationId, String routeTableId) {
    return Outputs.builder().put(ASSOCIATION_ID, associationId).put(ROUTE_TABLE_ID, routeTableId).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String subnetId = ctx.get(subnet, SubnetResource.SUBNET_ID);
    String main = ctx.get(vpc, VpcResource.MAIN_ROUTE_TABLE_ID);
    try {
      return outputs(aws.ec2().associateRouteTable(b -> b.routeTableId(main).subnetId(subnetId)).associationId(),
          main);
    } catch (Ec2Exception e) {
      if (AwsErrors.code(e).equals("Resource.AlreadyAssociated")) {
        Optional<RouteTableAssociation> existing = find(subnetId).filter(a -> a.routeTableId().equals(main));
        if (existing.isPresent()) {
          return outputs(existing.get().routeTableAssociationId(), main);
        }
      }
      throw e;
    }
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    try {
      aws.ec2().disassociateRouteTable(b -> b.associationId(current.outputs().get(ASSOCIATION_ID)));
    } catch (Ec2Exception e) {
      if (!AwsErrors.code(e).equals("InvalidAssociationID.NotFound")) {
        throw e;
      }
    }
  }
}
