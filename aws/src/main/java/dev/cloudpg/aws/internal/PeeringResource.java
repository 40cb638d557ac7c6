package dev.cloudpg.aws.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;

/**
 * The VPC peering connection between the application's VPC (requester, in its own region) and the network's VPC
 * (accepter, in the stack's region), as procedure A makes it: created in the requester's region, awaited until the
 * accepter's region sees it, accepted there, awaited until active. An existing live connection between the two VPCs
 * is found by comparing VPC ids on the client side (moto ignores the filters of DescribeVpcPeeringConnections), so a
 * second apply never makes a second connection.
 */
final class PeeringResource extends AwsResource {
  /** Statuses of a connection that is gone or will never carry traffic. */
  private static final Set<String> DEAD = Set.of("deleted", "deleting", "rejected", "failed", "expired");

  private final Peering peering;
  private final ResourceKey vpc;
  private final String name;

  PeeringResource(AwsContext aws, Stack stack, Peering peering, ResourceKey vpc) {
    super(aws, stack, key("vpc-peering", peering.name()), List.of(vpc));
    this.peering = peering;
    this.vpc = vpc;
    this.name = Names.peering(stack.name(), peering.name());
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return WaitPolicy.of(Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofMinutes(10));
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("peer", describePeer(), "status", "active");
  }

  @Override
  public Set<String> updatable() {
    return Set.of("status");
  }

  private String describePeer() {
    String reference = peering.peer().tagKey().map(k -> k + "=").orElse("") + peering.peer().reference();
    return peering.peer().kind().name().toLowerCase() + " " + reference + " in "
        + peering.peer().region().orElse(aws.region());
  }

  /**
   * Finds the connection by its tags among the live ones of the peer's region that end at the network's VPC, so that
   * it is found (and can be destroyed) even when the application VPC can no longer be looked up: a node replaced,
   * a tag changed. Only when the stack has none does it resolve the peer, to report a connection someone else made
   * between the same two VPCs.
   */
  @Override
  public Optional<Observed> read(StepContext ctx) {
    Optional<String> vpcId = dependencyOutput(ctx, vpc, "vpcId");
    if (vpcId.isEmpty()) {
      return Optional.empty();
    }
    String peerRegion = peering.peer().region().orElse(aws.region());
    List<VpcPeeringConnection> live = new ArrayList<>();
    aws.ec2(peerRegion).describeVpcPeeringConnectionsPaginator().vpcPeeringConnections().forEach(c -> {
      if (c.requesterVpcInfo() != null && c.accepterVpcInfo() != null
          && vpcId.get().equals(c.accepterVpcInfo().vpcId()) && !DEAD.contains(status(c))) {
        live.add(c);
      }
    });
    Optional<VpcPeeringConnection> owned = live.stream().filter(c -> {
      Map<String, String> tags = Tags.ec2(c.tags());
      return Tags.ownedBy(tags, stack.name()) && key().toString().equals(tags.get(Tags.KEY));
    }).findFirst();
    if (owned.isPresent()) {
      VpcPeeringConnection c = owned.get();
      PeerVpc peer = new PeerVpc(c.requesterVpcInfo().vpcId(), peerRegion, requesterCidrs(c));
      return Optional.of(Observed.owned(Map.of("peer", describePeer(), "status", status(c)),
          outputs(c.vpcPeeringConnectionId(), status(c), peer)));
    }
    PeerVpc peer;
    try {
      peer = aws.findPeer(peering.peer(), peering.path() + ".peer");
    } catch (CloudpgException e) {
      return Optional.empty(); // nothing of ours; creating will say that the peer cannot be found
    }
    return live.stream().filter(c -> peer.vpcId().equals(c.requesterVpcInfo().vpcId())).findFirst()
        .map(c -> Observed.foreign("peering connection " + c.vpcPeeringConnectionId() + " between " + peer.vpcId()
            + " and " + vpcId.get() + " is " + Tags.owner(Tags.ec2(c.tags()))));
  }

  private static List<String> requesterCidrs(VpcPeeringConnection c) {
    List<String> cidrs = new ArrayList<>();
    c.requesterVpcInfo().cidrBlockSet().forEach(b -> cidrs.add(b.cidrBlock()));
    if (cidrs.isEmpty() && c.requesterVpcInfo().cidrBlock() != null) {
      cidrs.add(c.requesterVpcInfo().cidrBlock());
    }
    return cidrs;
  }

  private static String status(VpcPeeringConnection c) {
    return c.status() == null ? "unknown" : c.status().codeAsString();
  }

  private static Outputs outputs(String id, String status, PeerVpc peer) {
    return Outputs.builder().put("peeringId", id).put("status", status).put("peerVpcId", peer.vpcId())
        .put("peerRegion", peer.region()).put("peerCidrs", peer.cidrs()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    Optional<Observed> earlier = earlierAttempt(ctx);
    if (earlier.isPresent()) {
      return activate(ctx, earlier.get().outputs().string("peeringId"), peerOf(earlier.get().outputs()));
    }
    String vpcId = ctx.outputsOf(vpc).string("vpcId");
    PeerVpc peer = aws.findPeer(peering.peer(), peering.path() + ".peer");
    Map<String, String> tags = tags(ctx, name, peering.tags());
    String id = aws.ec2(peer.region()).createVpcPeeringConnection(b -> b.vpcId(peer.vpcId()).peerVpcId(vpcId)
        .peerRegion(aws.region()).tagSpecifications(Tags.spec(ResourceType.VPC_PEERING_CONNECTION, tags)))
        .vpcPeeringConnection().vpcPeeringConnectionId();
    ctx.note("requested peering " + id + " from " + peer.vpcId() + " (" + peer.region() + ") to " + vpcId);
    return activate(ctx, id, peer);
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return activate(ctx, current.outputs().string("peeringId"), peerOf(current.outputs()));
  }

  private static PeerVpc peerOf(Outputs outputs) {
    return new PeerVpc(outputs.string("peerVpcId"), outputs.string("peerRegion"), outputs.list("peerCidrs"));
  }

  /** Waits until the accepter's region sees the connection, accepts it there, and waits until it is active. */
  private Outputs activate(StepContext ctx, String id, PeerVpc peer) {
    String seen = ctx.await("visible in " + aws.region(), () -> probe(id, Set.of("pending-acceptance", "active")));
    if ("pending-acceptance".equals(seen)) {
      aws.ec2().acceptVpcPeeringConnection(b -> b.vpcPeeringConnectionId(id));
    }
    String status = ctx.await("active", () -> probe(id, Set.of("active")));
    return outputs(id, status, peer);
  }

  private Probe<String> probe(String id, Set<String> done) {
    try {
      List<VpcPeeringConnection> found = aws.ec2().describeVpcPeeringConnections(b -> b.vpcPeeringConnectionIds(id))
          .vpcPeeringConnections();
      if (found.isEmpty()) {
        return Probe.pending("not yet visible");
      }
      String status = status(found.get(0));
      if (done.contains(status)) {
        return Probe.done(status);
      }
      if (DEAD.contains(status)) {
        String message = found.get(0).status().message();
        return Probe.failed("peering connection " + id + " is " + status + (message == null ? "" : ": " + message)
            + " (overlapping CIDRs make AWS fail a peering)");
      }
      return Probe.pending(status);
    } catch (Ec2Exception e) {
      if (AwsErrors.code(e).startsWith("InvalidVpcPeeringConnectionID")) {
        return Probe.pending("not yet visible");
      }
      throw e;
    }
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = current.outputs().string("peeringId");
    String region = current.outputs().find("peerRegion").orElse(aws.region());
    try {
      aws.ec2(region).deleteVpcPeeringConnection(b -> b.vpcPeeringConnectionId(id));
    } catch (Ec2Exception e) {
      if (AwsErrors.code(e).startsWith("InvalidVpcPeeringConnectionID")) {
        return;
      }
      throw e;
    }
    ctx.await("deleted", () -> {
      try {
        List<VpcPeeringConnection> found = aws.ec2(region)
            .describeVpcPeeringConnections(b -> b.vpcPeeringConnectionIds(id)).vpcPeeringConnections();
        return found.isEmpty() || "deleted".equals(status(found.get(0))) ? Probe.done(true)
            : Probe.pending(status(found.get(0)));
      } catch (Ec2Exception e) {
        if (AwsErrors.code(e).startsWith("InvalidVpcPeeringConnectionID")) {
          return Probe.done(true);
        }
        throw e;
      }
    });
  }
}
