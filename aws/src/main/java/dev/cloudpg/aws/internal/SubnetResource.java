package dev.cloudpg.aws.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.ConflictException;
import dev.cloudpg.Network;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * The subnet of a network in its {@code index}-th availability zone (zones as {@code DescribeAvailabilityZones}
 * lists them, by name). Subnets are carved from the VPC block in fixed slots (eighths of the block when that leaves
 * at least a /28), so that adding a zone later never moves an existing subnet. Ready once {@code available}.
 */
final class SubnetResource extends AwsResource {
  /** Subnets a block is divided into when it is large enough: more than the 6 zones a network may have. */
  static final int SLOTS = 8;
  /** The smallest subnet AWS allows. */
  static final int MIN_SUBNET_PREFIX = 28;
  static final Output<String> SUBNET_ID = Output.string("subnetId");
  static final Output<String> ZONE = Output.string("zone");
  static final Output<String> CIDR = Output.string("cidr");

  private final Network network;
  private final int index;
  private final ResourceKey vpc;
  private final String name;

  SubnetResource(AwsContext aws, Stack stack, Network network, int index, ResourceKey vpc) {
    super(aws, stack, Keys.subnet(network.name(), index), List.of(vpc));
    this.network = network;
    this.index = index;
    this.vpc = vpc;
    this.name = Names.subnet(stack.name(), network.name(), index);
  }

  /** The subnet blocks of a network's block: {@link #SLOTS} of them when they can be /28 or larger. */
  static List<Cidr> slots(Cidr block, int zones) {
    return block.prefix() + 3 <= MIN_SUBNET_PREFIX ? block.split(SLOTS, MIN_SUBNET_PREFIX)
        : block.split(zones, MIN_SUBNET_PREFIX);
  }

  @Override
  public Map<String, String> desired() {
    Map<String, String> desired = new LinkedHashMap<>();
    network.cidr().ifPresent(c -> desired.put("cidr", slots(Cidr.parse(c), network.zones()).get(index).toString()));
    return desired;
  }

  /**
   * The subnet discovery chose for the key when there is one (by id); otherwise the one of the stack named
   * {@code <stack>-<network>-<zone letter>} in the VPC, refusing several.
   */
  @Override
  public Optional<Observed> read(StepContext ctx) {
    Optional<String> vpcId = dependencyOutput(ctx, vpc, VpcResource.VPC_ID);
    if (vpcId.isEmpty()) {
      return Optional.empty();
    }
    List<Subnet> named = ctx.discovered().isPresent()
        ? describe(ctx.discovered().get().id()).stream().filter(s -> vpcId.get().equals(s.vpcId())).toList()
        : aws.ec2().describeSubnets(b -> b.filters(Tags.filter("vpc-id", vpcId.get()),
            Tags.filter("tag:" + Tags.NAME, name))).subnets();
    List<Subnet> owned = named.stream().filter(s -> Ownership.ownedBy(Tags.ec2(s.tags()), stack.name())).toList();
    if (owned.size() > 1) {
      throw new ConflictException(key() + ": " + owned.size() + " subnets named " + Text.quote(name) + " in "
          + Text.quote(vpcId.get()) + " are owned by stack " + Text.quote(stack.name()) + ": "
          + owned.stream().map(Subnet::subnetId).toList() + "; keep one");
    }
    if (owned.size() == 1) {
      return Optional.of(Observed.owned(Map.of("cidr", owned.get(0).cidrBlock(), "zone",
          owned.get(0).availabilityZone()), outputs(owned.get(0))));
    }
    return named.stream().findFirst().map(s -> Observed.foreign("subnet " + Text.quote(s.subnetId()) + " named "
        + Text.quote(name) + " is " + Ownership.owner(Tags.ec2(s.tags()))));
  }

  private List<Subnet> describe(String id) {
    try {
      return aws.ec2().describeSubnets(b -> b.subnetIds(id)).subnets();
    } catch (Ec2Exception e) {
      if (AwsErrors.code(e).equals("InvalidSubnetID.NotFound")) {
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public Outputs create(StepContext ctx) {
    List<String> zones = aws.zones(aws.region());
    if (index >= zones.size()) {
      throw new CloudpgException(network.path() + ".zones: " + network.zones() + " zones asked for, but region "
          + aws.region() + " has only " + zones.size() + " available: " + zones);
    }
    String cidr = slots(Cidr.parse(ctx.get(vpc, VpcResource.CIDR)), network.zones()).get(index).toString();
    Map<String, String> tags = tags(ctx, name, network.tags());
    return outputs(aws.ec2().createSubnet(b -> b.vpcId(ctx.get(vpc, VpcResource.VPC_ID)).cidrBlock(cidr)
        .availabilityZone(zones.get(index)).tagSpecifications(Tags.spec(ResourceType.SUBNET, tags))).subnet());
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    List<Subnet> found = aws.ec2().describeSubnets(b -> b.subnetIds(started.get(SUBNET_ID))).subnets();
    if (found.isEmpty()) {
      return Probe.pending("not yet visible");
    }
    return "available".equals(found.get(0).stateAsString()) ? Probe.done(outputs(found.get(0)))
        : Probe.pending(String.valueOf(found.get(0).stateAsString()));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    try {
      aws.ec2().deleteSubnet(b -> b.subnetId(current.outputs().get(SUBNET_ID)));
    } catch (Ec2Exception e) {
      if (!AwsErrors.code(e).equals("InvalidSubnetID.NotFound")) {
        throw e;
      }
    }
  }

  private static Outputs outputs(Subnet s) {
    return Outputs.builder().put(SUBNET_ID, s.subnetId()).put(ZONE, s.availabilityZone())
        .put(CIDR, s.cidrBlock()).build();
  }
}
