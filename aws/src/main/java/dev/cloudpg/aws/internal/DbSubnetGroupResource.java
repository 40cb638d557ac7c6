package dev.cloudpg.aws.internal;

import dev.cloudpg.ConflictException;
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
import java.util.Set;
import software.amazon.awssdk.services.rds.model.DBSubnetGroup;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;

/**
 * The DB subnet group over a network's subnets, named {@code <stack>-<network>}; made when a database uses it, and
 * usable as soon as it is made.
 */
final class DbSubnetGroupResource extends AwsResource {
  static final Output<String> NAME = Output.string("name");
  static final Output<String> ARN = Output.string("arn");

  private final Network network;
  private final List<ResourceKey> subnets;
  private final String name;

  DbSubnetGroupResource(AwsContext aws, Stack stack, Network network, List<ResourceKey> subnets) {
    super(aws, stack, Keys.dbSubnetGroup(network.name()), subnets);
    this.network = network;
    this.subnets = List.copyOf(subnets);
    this.name = Names.network(stack.name(), network.name());
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name, "subnets", String.valueOf(subnets.size()));
  }

  @Override
  public Set<String> updatable() {
    return Set.of("subnets");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return find().map(g -> {
      Map<String, String> tags = Tags.rds(aws.rds().listTagsForResource(b -> b.resourceName(g.dbSubnetGroupArn()))
          .tagList());
      return Ownership.ownedBy(tags, stack.name())
          ? Observed.owned(Map.of("name", g.dbSubnetGroupName(), "subnets", String.valueOf(g.subnets().size())),
              outputs(g))
          : Observed.foreign("DB subnet group " + Text.quote(name) + " is " + Ownership.owner(tags));
    });
  }

  private Optional<DBSubnetGroup> find() {
    try {
      return aws.rds().describeDBSubnetGroups(b -> b.dbSubnetGroupName(name)).dbSubnetGroups().stream().findFirst();
    } catch (DbSubnetGroupNotFoundException e) {
      return Optional.empty();
    }
  }

  private List<String> subnetIds(StepContext ctx) {
    return subnets.stream().map(s -> ctx.get(s, SubnetResource.SUBNET_ID)).toList();
  }

  @Override
  public Outputs create(StepContext ctx) {
    try {
      return outputs(aws.rds().createDBSubnetGroup(b -> b.dbSubnetGroupName(name).subnetIds(subnetIds(ctx))
          .dbSubnetGroupDescription("cloudpg: subnets of " + stack.name() + "/" + network.name())
          .tags(Tags.toRds(tags(ctx, null, network.tags())))).dbSubnetGroup());
    } catch (DbSubnetGroupAlreadyExistsException e) {
      Optional<Observed> existing = read(ctx);
      if (existing.isPresent() && existing.get().owned()) {
        return existing.get().outputs();
      }
      throw new ConflictException(key() + ": DB subnet group " + Text.quote(name) + " exists and is not owned by "
          + "stack " + Text.quote(stack.name()));
    }
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return outputs(aws.rds().modifyDBSubnetGroup(b -> b.dbSubnetGroupName(name).subnetIds(subnetIds(ctx)))
        .dbSubnetGroup());
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    try {
      aws.rds().deleteDBSubnetGroup(b -> b.dbSubnetGroupName(name));
    } catch (DbSubnetGroupNotFoundException e) {
      // already gone
    }
  }

  private static Outputs outputs(DBSubnetGroup g) {
    return Outputs.builder().put(NAME, g.dbSubnetGroupName()).put(ARN, g.dbSubnetGroupArn()).build();
  }
}
