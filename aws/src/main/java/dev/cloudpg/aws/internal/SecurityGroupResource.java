package dev.cloudpg.aws.internal;

import dev.cloudpg.Network;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * The security group of a network's databases, named {@code <stack>-<network>}. It starts with no ingress rule at
 * all: peerings add the database port from their peer's CIDRs only. Usable as soon as it is created.
 */
final class SecurityGroupResource extends AwsResource {
  static final Output<String> SECURITY_GROUP_ID = Output.string("securityGroupId");

  private final Network network;
  private final ResourceKey vpc;
  private final String name;

  SecurityGroupResource(AwsContext aws, Stack stack, Network network, ResourceKey vpc) {
    super(aws, stack, Keys.securityGroup(network.name()), List.of(vpc));
    this.network = network;
    this.vpc = vpc;
    this.name = Names.network(stack.name(), network.name());
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    Optional<String> vpcId = dependencyOutput(ctx, vpc, VpcResource.VPC_ID);
    Optional<SecurityGroup> group = ctx.discovered().isPresent()
        ? vpcId.flatMap(v -> byId(ctx.discovered().get().id()).filter(g -> v.equals(g.vpcId())))
        : vpcId.flatMap(this::find);
    return group.map(g -> {
      Map<String, String> tags = Tags.ec2(g.tags());
      return Ownership.ownedBy(tags, stack.name()) ? Observed.owned(Map.of("name", g.groupName()), outputs(g.groupId()))
          : Observed.foreign("security group " + Text.quote(g.groupId()) + " named " + Text.quote(name) + " is "
              + Ownership.owner(tags));
    });
  }

  private Optional<SecurityGroup> byId(String groupId) {
    try {
      return aws.ec2().describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().stream().findFirst();
    } catch (Ec2Exception e) {
      if (AwsErrors.code(e).equals("InvalidGroup.NotFound")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The group named {@code <stack>-<network>} in the VPC: EC2 keeps group names unique within a VPC. */
  private Optional<SecurityGroup> find(String vpcId) {
    return aws.ec2().describeSecurityGroups(b -> b.filters(Tags.filter("vpc-id", vpcId),
        Tags.filter("group-name", name))).securityGroups().stream().findFirst();
  }

  private static Outputs outputs(String groupId) {
    return Outputs.builder().put(SECURITY_GROUP_ID, groupId).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String vpcId = ctx.get(vpc, VpcResource.VPC_ID);
    Map<String, String> tags = tags(ctx, name, network.tags());
    try {
      return outputs(aws.ec2().createSecurityGroup(b -> b.groupName(name).vpcId(vpcId)
          .description("cloudpg: PostgreSQL access for " + stack.name() + "/" + network.name())
          .tagSpecifications(Tags.spec(ResourceType.SECURITY_GROUP, tags))).groupId());
    } catch (Ec2Exception e) {
      if (AwsErrors.code(e).equals("InvalidGroup.Duplicate")) {
        Optional<SecurityGroup> existing = find(vpcId).filter(g -> Ownership.ownedBy(Tags.ec2(g.tags()),
            stack.name()));
        if (existing.isPresent()) {
          return outputs(existing.get().groupId());
        }
      }
      throw e;
    }
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    try {
      aws.ec2().deleteSecurityGroup(b -> b.groupId(current.outputs().get(SECURITY_GROUP_ID)));
    } catch (Ec2Exception e) {
      if (!AwsErrors.code(e).equals("InvalidGroup.NotFound")) {
        throw e;
      }
    }
  }
}
