package dev.cloudpg.aws.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.ConflictException;
import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * A network's VPC, found by its Name tag {@code <stack>-<network>}. Without a CIDR in the spec, it takes the first
 * block of the address pool that overlaps no VPC of its region or of a peer's region, no CIDR declared on a peer and
 * no other network of the stack. Carries {@code AuroraCluster=<cluster>} when it holds a database, as procedure A's
 * scripts expect. Ready once it is {@code available} and has its main route table.
 */
final class VpcResource extends AwsResource {
  static final Output<String> VPC_ID = Output.string("vpcId");
  static final Output<String> CIDR = Output.string("cidr");
  /** Known once the VPC is ready. */
  static final Output<String> MAIN_ROUTE_TABLE_ID = Output.string("mainRouteTableId");

  private final Network network;
  private final String auroraCluster;
  private final List<Peering> peerings;
  private final String name;

  VpcResource(AwsContext aws, Stack stack, Network network, String auroraCluster, List<Peering> peerings) {
    super(aws, stack, Keys.vpc(network.name()), List.of());
    this.network = network;
    this.auroraCluster = auroraCluster;
    this.peerings = List.copyOf(peerings);
    this.name = Names.network(stack.name(), network.name());
  }

  @Override
  public Map<String, String> desired() {
    Map<String, String> desired = new LinkedHashMap<>();
    network.cidr().ifPresent(c -> desired.put("cidr", c));
    desired.put("name", name);
    return desired;
  }

  /**
   * The VPC discovery chose for the key when there is one (by id); otherwise the VPCs named {@code <stack>-<network>}:
   * the stack's, when exactly one of them is; several of the stack's are refused, naming them, rather than one taken
   * at random.
   */
  @Override
  public Optional<Observed> read(StepContext ctx) {
    if (ctx.discovered().isPresent()) {
      String id = ctx.discovered().get().id();
      try {
        return aws.ec2().describeVpcs(b -> b.vpcIds(id)).vpcs().stream().findFirst().map(this::observe);
      } catch (Ec2Exception e) {
        if (AwsErrors.code(e).equals("InvalidVpcID.NotFound")) {
          return Optional.empty();
        }
        throw e;
      }
    }
    List<Vpc> named = aws.ec2().describeVpcs(b -> b.filters(Tags.filter("tag:" + Tags.NAME, name))).vpcs();
    List<Vpc> owned = named.stream().filter(v -> Ownership.ownedBy(Tags.ec2(v.tags()), stack.name())).toList();
    if (owned.size() > 1) {
      throw new ConflictException(key() + ": " + owned.size() + " VPCs named " + Text.quote(name) + " are owned by "
          + "stack " + Text.quote(stack.name()) + ": " + owned.stream().map(Vpc::vpcId).toList() + "; keep one "
          + "(delete the others, or give them back their cloudpg:key tag so that a plan can tell them apart)");
    }
    if (owned.size() == 1) {
      return Optional.of(observe(owned.get(0)));
    }
    return named.stream().findFirst().map(v -> Observed.foreign("VPC " + Text.quote(v.vpcId()) + " named "
        + Text.quote(name) + " is " + Ownership.owner(Tags.ec2(v.tags()))));
  }

  private Observed observe(Vpc v) {
    if (!Ownership.ownedBy(Tags.ec2(v.tags()), stack.name())) {
      return Observed.foreign("VPC " + Text.quote(v.vpcId()) + " is " + Ownership.owner(Tags.ec2(v.tags())));
    }
    return Observed.owned(Map.of("cidr", v.cidrBlock(), "name", name), outputs(v, mainRouteTable(v.vpcId())));
  }

  @Override
  public Outputs create(StepContext ctx) {
    Map<String, String> extra = new LinkedHashMap<>(network.tags());
    if (auroraCluster != null) {
      extra.put(Tags.AURORA_CLUSTER, auroraCluster);
    }
    Map<String, String> tags = tags(ctx, name, extra);
    Vpc created;
    aws.allocationLock().lock();
    try {
      String cidr = network.cidr().orElseGet(() -> allocate(ctx));
      created = aws.ec2().createVpc(b -> b.cidrBlock(cidr).tagSpecifications(Tags.spec(ResourceType.VPC, tags)))
          .vpc();
    } finally {
      aws.allocationLock().unlock();
    }
    return outputs(created, null);
  }

  /** Done when the VPC is available and its main route table can be read. */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    String vpcId = started.get(VPC_ID);
    List<Vpc> found = aws.ec2().describeVpcs(b -> b.vpcIds(vpcId)).vpcs();
    if (found.isEmpty()) {
      return Probe.pending("not yet visible");
    }
    Vpc vpc = found.get(0);
    if (!"available".equals(vpc.stateAsString())) {
      return Probe.pending(String.valueOf(vpc.stateAsString()));
    }
    String mainRouteTable = mainRouteTable(vpcId);
    return mainRouteTable == null ? Probe.pending("available, without a main route table yet")
        : Probe.done(outputs(vpc, mainRouteTable));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    try {
      aws.ec2().deleteVpc(b -> b.vpcId(current.outputs().get(VPC_ID)));
    } catch (Ec2Exception e) {
      if (!AwsErrors.code(e).equals("InvalidVpcID.NotFound")) {
        throw e;
      }
    }
  }

  private String mainRouteTable(String vpcId) {
    List<RouteTable> tables = aws.ec2().describeRouteTables(b -> b.filters(Tags.filter("vpc-id", vpcId),
        Tags.filter("association.main", "true"))).routeTables();
    return tables.stream().filter(t -> t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main())))
        .map(RouteTable::routeTableId).findFirst().orElse(null);
  }

  private static Outputs outputs(Vpc vpc, String mainRouteTable) {
    return Outputs.builder().put(VPC_ID, vpc.vpcId()).put(CIDR, vpc.cidrBlock())
        .put(MAIN_ROUTE_TABLE_ID, mainRouteTable).build();
  }

  /** The first block of the pool that overlaps nothing in use; called under the allocation lock. */
  private String allocate(StepContext ctx) {
    Set<String> regions = new LinkedHashSet<>();
    regions.add(aws.region());
    peerings.forEach(p -> p.peer().region().ifPresent(regions::add));
    List<Cidr> taken = new ArrayList<>();
    for (String region : regions) {
      aws.ec2(region).describeVpcsPaginator().vpcs()
          .forEach(v -> AwsContext.cidrsOf(v).forEach(c -> Cidr.tryParse(c).ifPresent(taken::add)));
    }
    for (Peering p : stack.peerings()) {
      p.peer().cidrs().forEach(c -> Cidr.tryParse(c).ifPresent(taken::add));
    }
    for (Network other : stack.networks()) {
      other.cidr().flatMap(Cidr::tryParse).ifPresent(taken::add);
    }
    Cidr pool = aws.addressPool();
    String base = pool.toString().substring(0, pool.toString().indexOf('/'));
    for (Optional<Cidr> c = Optional.of(Cidr.parse(base + "/" + aws.networkPrefix()));
        c.isPresent() && pool.contains(c.get()); c = c.get().next()) {
      Cidr candidate = c.get();
      if (taken.stream().noneMatch(candidate::overlaps)) {
        ctx.note("allocated " + candidate + " from the address pool " + pool + ": it overlaps no VPC in " + regions
            + " and no CIDR declared in the stack");
        return candidate.toString();
      }
    }
    throw new CloudpgException(network.path() + ".cidr: the address pool " + pool + " has no free /"
        + aws.networkPrefix() + " left (every block overlaps a VPC in " + regions
        + " or a declared CIDR); give the network a cidr or the cloud another address pool");
  }
}
