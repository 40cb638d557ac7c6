package dev.cloudpg.aws.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.aws.AwsPeeringOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * The routes of one side of a peering through the peering connection. {@code TO_PEER}: in the network VPC's main
 * route table, to each CIDR of the application VPC. {@code FROM_PEER}: in the application VPC's main route table (or
 * the tables chosen by {@link AwsPeeringOptions}), to the network's CIDR. Routes carry no tags: they are the stack's
 * when they go through the stack's peering connection; a route to the same destination through anything else is
 * someone else's, and the plan refuses rather than replace it. {@code create} sends the missing routes; the check
 * reads the tables again and is done when every route is there (sending again any that is still missing, as a
 * create whose answer was lost and that the engine adopted may have left some out).
 */
final class PeeringRoutesResource extends AwsResource {
  static final Output<String> VPC_ID = Output.string("vpcId");
  static final Output<String> REGION = Output.string("region");
  static final Output<List<String>> ROUTE_TABLE_IDS = Output.list("routeTableIds");
  static final Output<List<String>> DESTINATIONS = Output.list("destinations");
  static final Output<String> THROUGH = Output.string("through");

  /** Which side's route tables. */
  enum Side {
    TO_PEER("to-peer"),
    FROM_PEER("from-peer");

    private final String suffix;

    Side(String suffix) {
      this.suffix = suffix;
    }

    /** The end of the key's name: {@code to-peer}, {@code from-peer}. */
    String suffix() {
      return suffix;
    }
  }

  /**
   * The id discovery gives the routes of one side of a peering: {@code pcx-0abc/to-peer/eu-west-1}, the connection
   * they go through, the side and the region of its route tables.
   */
  static String routesId(String peeringId, Side side, String region) {
    return peeringId + "/" + side.suffix() + "/" + region;
  }

  private final Peering peering;
  private final Side side;
  private final ResourceKey connection;
  private final ResourceKey vpc;

  PeeringRoutesResource(AwsContext aws, Stack stack, Peering peering, Side side, ResourceKey connection,
      ResourceKey vpc) {
    super(aws, stack, Keys.routes(peering.name(), side), List.of(connection, vpc));
    this.peering = peering;
    this.side = side;
    this.connection = connection;
    this.vpc = vpc;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("routes", "complete");
  }

  @Override
  public Set<String> updatable() {
    return Set.of("routes");
  }

  /** Where the routes go: the client of the side's region, its VPC, its route tables as read, the destinations. */
  private record Target(Ec2Client ec2, String vpcId, List<RouteTable> tables, List<String> destinations) {
    List<String> tableIds() {
      return tables.stream().map(RouteTable::routeTableId).toList();
    }
  }

  private Optional<Target> target(StepContext ctx) {
    Optional<Outputs> pcx = ctx.findOutputs(connection).filter(o -> o.find(PeeringResource.PEERING_ID).isPresent());
    Optional<Outputs> net = ctx.findOutputs(vpc).filter(o -> o.find(VpcResource.VPC_ID).isPresent());
    if (pcx.isEmpty() || net.isEmpty()) {
      return Optional.empty();
    }
    if (side == Side.TO_PEER) {
      String mainTable = net.get().get(VpcResource.MAIN_ROUTE_TABLE_ID);
      return Optional.of(new Target(aws.ec2(), net.get().get(VpcResource.VPC_ID),
          aws.ec2().describeRouteTables(b -> b.routeTableIds(mainTable)).routeTables(),
          pcx.get().get(PeeringResource.PEER_CIDRS)));
    }
    Ec2Client ec2 = aws.ec2(pcx.get().get(PeeringResource.PEER_REGION));
    String peerVpc = pcx.get().get(PeeringResource.PEER_VPC_ID);
    return Optional.of(new Target(ec2, peerVpc, applicationTables(ec2, peerVpc),
        List.of(net.get().get(VpcResource.CIDR))));
  }

  private List<RouteTable> applicationTables(Ec2Client ec2, String peerVpc) {
    List<RouteTable> chosen = applicationTables(ec2, peerVpc, peering);
    if (chosen.isEmpty()) {
      throw new CloudpgException(tablesPath(peering) + ": " + Text.quote(tablesChoice(peering)) + " "
          + noTables(peering, peerVpc));
    }
    return chosen;
  }

  /**
   * The route tables of the application VPC that get the routes to the network: those {@link AwsPeeringOptions}
   * select by tag, else its main route table; empty when none matches.
   */
  static List<RouteTable> applicationTables(Ec2Client ec2, String peerVpc, Peering peering) {
    AwsPeeringOptions options = peering.option(AwsPeeringOptions.class).orElse(AwsPeeringOptions.mainRouteTable());
    List<RouteTable> tables = ec2.describeRouteTables(b -> b.filters(Tags.filter("vpc-id", peerVpc))).routeTables();
    if (options.routeTableTagKey().isPresent()) {
      Pattern pattern = glob(options.routeTableTagValue().orElse("*"));
      String tagKey = options.routeTableTagKey().get();
      return tables.stream().filter(t -> {
        String value = Tags.ec2(t.tags()).get(tagKey);
        return value != null && pattern.matcher(value).matches();
      }).toList();
    }
    return tables.stream().filter(t -> t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main())))
        .toList();
  }

  /** Where in the spec the choice of application route tables is made: the options, or the peer itself. */
  static String tablesPath(Peering peering) {
    return peering.path() + (byTag(peering) ? ".options" : ".peer");
  }

  /** The value that chose no application route table, for messages. */
  static String tablesChoice(Peering peering) {
    AwsPeeringOptions options = peering.option(AwsPeeringOptions.class).orElse(AwsPeeringOptions.mainRouteTable());
    return byTag(peering) ? options.routeTableTagKey().get() + "=" + options.routeTableTagValue().orElse("*")
        : peering.peer().reference();
  }

  /** Why no application route table was chosen, worded to follow {@link #tablesChoice}. */
  static String noTables(Peering peering, String peerVpc) {
    return byTag(peering) ? "tags no route table of " + Text.quote(peerVpc)
        : "names " + Text.quote(peerVpc) + ", which has no main route table";
  }

  private static boolean byTag(Peering peering) {
    return peering.option(AwsPeeringOptions.class).flatMap(AwsPeeringOptions::routeTableTagKey).isPresent();
  }

  /** A tag value pattern where {@code *} matches any text. */
  private static Pattern glob(String pattern) {
    return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
        .collect(Collectors.joining(".*")));
  }

  /**
   * What the route tables hold for each wanted destination: missing, through the connection, through the stack's
   * previous connection of this peering (to be switched over), or through something else.
   */
  private record Survey(List<String[]> missing, List<String[]> switched, List<String> foreign, int present) {}

  private static Survey survey(Target t, String peeringId) {
    return survey(t, peeringId, null);
  }

  private static Survey survey(Target t, String peeringId, String previous) {
    List<String[]> missing = new ArrayList<>();
    List<String[]> switched = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    int present = 0;
    for (RouteTable table : t.tables()) {
      for (String destination : t.destinations()) {
        Optional<Route> route = table.routes().stream()
            .filter(r -> destination.equals(r.destinationCidrBlock())).findFirst();
        if (route.isEmpty()) {
          missing.add(new String[] {table.routeTableId(), destination});
        } else if (peeringId.equals(route.get().vpcPeeringConnectionId())) {
          present++;
        } else if (previous != null && previous.equals(route.get().vpcPeeringConnectionId())) {
          switched.add(new String[] {table.routeTableId(), destination});
        } else {
          foreign.add(Text.quote(table.routeTableId()) + " already routes " + destination + " through "
              + Text.quote(targetOf(route.get())));
        }
      }
    }
    return new Survey(missing, switched, foreign, present);
  }

  private static String targetOf(Route r) {
    for (String target : new String[] {r.vpcPeeringConnectionId(), r.gatewayId(), r.natGatewayId(),
        r.transitGatewayId(), r.networkInterfaceId(), r.instanceId()}) {
      if (target != null) {
        return target;
      }
    }
    return "another target";
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    Optional<Target> target;
    try {
      target = target(ctx);
    } catch (CloudpgException e) {
      return Optional.empty(); // no table to route from (the application VPC is gone?); creating says why
    }
    if (target.isEmpty()) {
      return Optional.empty();
    }
    String peeringId = ctx.get(connection, PeeringResource.PEERING_ID);
    Survey s = survey(target.get(), peeringId);
    if (!s.foreign().isEmpty()) {
      return Optional.of(Observed.foreign(String.join("; ", s.foreign())));
    }
    if (s.present() == 0) {
      return Optional.empty();
    }
    return Optional.of(Observed.owned(Map.of("routes", s.missing().isEmpty() ? "complete" : s.missing().size()
        + " missing"), outputs(target.get(), peeringId)));
  }

  private static Outputs outputs(Target t, String peeringId) {
    return Outputs.builder().put(VPC_ID, t.vpcId()).put(REGION, t.ec2().serviceClientConfiguration().region().id())
        .put(ROUTE_TABLE_IDS, t.tableIds()).put(DESTINATIONS, t.destinations()).put(THROUGH, peeringId).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    Target t = target(ctx).orElseThrow(() -> new IllegalStateException(key() + " needs the peering and the VPC"));
    Survey s = survey(t, ctx.get(connection, PeeringResource.PEERING_ID));
    if (!s.foreign().isEmpty()) {
      throw new CloudpgException(key() + ": " + String.join("; ", s.foreign()));
    }
    send(t, s.missing(), ctx.get(connection, PeeringResource.PEERING_ID));
    return outputs(t, ctx.get(connection, PeeringResource.PEERING_ID));
  }

  /** Done when every route is there; sends again any route still missing. */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Target t = target(ctx).orElseThrow(() -> new IllegalStateException(key() + " needs the peering and the VPC"));
    String peeringId = ctx.get(connection, PeeringResource.PEERING_ID);
    Survey s = survey(t, peeringId);
    if (!s.foreign().isEmpty()) {
      return Probe.failed(String.join("; ", s.foreign()) + "; remove that route or choose other route tables"
          + " (AwsPeeringOptions), then apply again");
    }
    if (s.missing().isEmpty()) {
      return Probe.done(outputs(t, peeringId));
    }
    send(t, s.missing(), peeringId);
    return Probe.pending(s.missing().size() + " of " + (s.missing().size() + s.present()) + " routes not yet seen");
  }

  private static void send(Target t, List<String[]> routes, String peeringId) {
    for (String[] route : routes) {
      try {
        t.ec2().createRoute(b -> b.routeTableId(route[0]).destinationCidrBlock(route[1])
            .vpcPeeringConnectionId(peeringId));
      } catch (Ec2Exception e) {
        // the route a repeated request made, or one not yet visible; any other route to there is seen by the check
        if (!AwsErrors.code(e).equals("RouteAlreadyExists")) {
          throw e;
        }
      }
    }
  }

  /**
   * Sends the missing routes; after the peering was replaced, first switches the routes to the same destinations
   * over to the new connection ({@code ReplaceRoute}), then removes every other route through the old one, where
   * it was (the old application VPC's tables, say): nothing stale is left.
   */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    String peeringId = ctx.get(connection, PeeringResource.PEERING_ID);
    Optional<String> previous = current.outputs().find(THROUGH).filter(p -> !p.equals(peeringId));
    if (previous.isEmpty()) {
      return create(ctx);
    }
    Target t = target(ctx).orElseThrow(() -> new IllegalStateException(key() + " needs the peering and the VPC"));
    Survey s = survey(t, peeringId, previous.get());
    if (!s.foreign().isEmpty()) {
      throw new CloudpgException(key() + ": " + String.join("; ", s.foreign()));
    }
    send(t, s.missing(), peeringId);
    for (String[] route : s.switched()) {
      t.ec2().replaceRoute(b -> b.routeTableId(route[0]).destinationCidrBlock(route[1])
          .vpcPeeringConnectionId(peeringId));
    }
    removeRoutes(aws.ec2(current.outputs().get(REGION)), current.outputs().get(VPC_ID), previous.get());
    return outputs(t, peeringId);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    removeRoutes(aws.ec2(current.outputs().get(REGION)), current.outputs().get(VPC_ID),
        ctx.get(connection, PeeringResource.PEERING_ID));
  }

  /** Every route of the VPC through the connection, also in tables chosen by an earlier version of the spec. */
  private static void removeRoutes(Ec2Client ec2, String vpcId, String peeringId) {
    for (RouteTable table : tablesOf(ec2, vpcId)) {
      for (Route r : table.routes()) {
        if (peeringId.equals(r.vpcPeeringConnectionId()) && r.destinationCidrBlock() != null) {
          try {
            ec2.deleteRoute(b -> b.routeTableId(table.routeTableId()).destinationCidrBlock(r.destinationCidrBlock()));
          } catch (Ec2Exception e) {
            if (!AwsErrors.code(e).equals("InvalidRoute.NotFound")) {
              throw e;
            }
          }
        }
      }
    }
  }

  /** Done when no route of the VPC goes through the connection any more. */
  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    String peeringId = ctx.get(connection, PeeringResource.PEERING_ID);
    long left = tablesOf(aws.ec2(current.outputs().get(REGION)), current.outputs().get(VPC_ID)).stream()
        .flatMap(t -> t.routes().stream()).filter(r -> peeringId.equals(r.vpcPeeringConnectionId())).count();
    return left == 0 ? Probe.done() : Probe.pending(left + " routes through " + Text.quote(peeringId) + " left");
  }

  private static List<RouteTable> tablesOf(Ec2Client ec2, String vpcId) {
    return ec2.describeRouteTables(b -> b.filters(Tags.filter("vpc-id", vpcId))).routeTables();
  }
}
