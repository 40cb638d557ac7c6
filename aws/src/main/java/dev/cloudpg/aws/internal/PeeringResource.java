package dev.cloudpg.aws.internal;

import dev.cloudpg.ConflictException;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;

/**
 * The VPC peering connection between the application's VPC (requester, in its own region) and the network's VPC
 * (accepter, in the stack's region), as procedure A makes it, in one resource: {@code create} sends
 * {@code CreateVpcPeeringConnection} in the requester's region; the check reads the connection in the accepter's
 * region, accepts it there once it is {@code pending-acceptance}, and is done when it is {@code active}. An existing
 * live connection between the two VPCs is found by comparing VPC ids on the client side (moto ignores the filters of
 * DescribeVpcPeeringConnections), so a second apply never makes a second connection.
 */
final class PeeringResource extends AwsResource {
  static final Output<String> PEERING_ID = Output.string("peeringId");
  static final Output<String> STATUS = Output.string("status");
  static final Output<String> PEER_VPC_ID = Output.string("peerVpcId");
  static final Output<String> PEER_REGION = Output.string("peerRegion");
  static final Output<List<String>> PEER_CIDRS = Output.list("peerCidrs");
  /** Statuses of a connection that is gone or will never carry traffic. */
  static final Set<String> DEAD = Set.of("deleted", "deleting", "rejected", "failed", "expired");

  private final Peering peering;
  private final ResourceKey vpc;
  private final String name;

  PeeringResource(AwsContext aws, Stack stack, Peering peering, ResourceKey vpc) {
    super(aws, stack, Keys.peering(peering.name()), List.of(vpc));
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

  /** A connection to another application VPC is a new connection; the old one goes once the new one carries. */
  @Override
  public Set<String> replaceable() {
    return Set.of("peer");
  }

  private String describePeer() {
    String reference = peering.peer().tagKey().map(k -> k + "=").orElse("") + peering.peer().reference();
    return peering.peer().kind().name().toLowerCase() + " " + reference + " in " + peerRegion();
  }

  private String peerRegion() {
    return peering.peer().region().orElse(aws.region());
  }

  /**
   * Finds the connection by its tags among the live ones of the peer's region that end at the network's VPC, so that
   * it is found (and can be destroyed) even when the application VPC can no longer be looked up: a node replaced,
   * a tag changed; by the id discovery chose when there is one, and never one of several silently. Only when the
   * stack has none does it resolve the peer, to report a connection someone else made between the same two VPCs.
   */
  @Override
  public Optional<Observed> read(StepContext ctx) {
    Optional<String> vpcId = dependencyOutput(ctx, vpc, VpcResource.VPC_ID);
    if (vpcId.isEmpty()) {
      return Optional.empty();
    }
    List<VpcPeeringConnection> live = new ArrayList<>();
    if (ctx.discovered().isPresent()) {
      describe(aws.ec2(peerRegion()), ctx.discovered().get().id()).ifPresent(live::add);
    } else {
      // moto ignores the filter; the test below keeps what ends at the network's VPC
      aws.ec2(peerRegion()).describeVpcPeeringConnectionsPaginator(b -> b.filters(Tags.filter(
          "accepter-vpc-info.vpc-id", vpcId.get()))).vpcPeeringConnections().forEach(live::add);
    }
    live.removeIf(c -> c.requesterVpcInfo() == null || c.accepterVpcInfo() == null
        || !vpcId.get().equals(c.accepterVpcInfo().vpcId()) || DEAD.contains(status(c)));
    List<VpcPeeringConnection> mine = live.stream().filter(this::ours).toList();
    if (mine.size() > 1) {
      throw new ConflictException(key() + ": " + mine.size() + " live peering connections of stack "
          + Text.quote(stack.name()) + " carry this key: " + mine.stream()
              .map(VpcPeeringConnection::vpcPeeringConnectionId).toList() + "; delete all but one");
    }
    Optional<VpcPeeringConnection> owned = mine.stream().findFirst();
    if (owned.isPresent()) {
      VpcPeeringConnection c = owned.get();
      String region = c.requesterVpcInfo().region() != null ? c.requesterVpcInfo().region() : peerRegion();
      PeerVpc peer = new PeerVpc(c.requesterVpcInfo().vpcId(), region, requesterCidrs(c));
      return Optional.of(Observed.owned(Map.of("peer", observedPeer(peer), "status", status(c)),
          outputs(c.vpcPeeringConnectionId(), status(c), peer)));
    }
    PeerVpc peer;
    try {
      peer = aws.findPeer(peering.peer(), peering.path() + ".peer");
    } catch (AwsContext.NoPeerException e) {
      return Optional.empty(); // nothing of ours; the plan's check of references says that the peer is unknown
    }
    return live.stream().filter(c -> peer.vpcId().equals(c.requesterVpcInfo().vpcId())).findFirst()
        .map(c -> Observed.foreign("peering connection " + Text.quote(c.vpcPeeringConnectionId()) + " between "
            + Text.quote(peer.vpcId()) + " and " + Text.quote(vpcId.get()) + " is "
            + Ownership.owner(Tags.ec2(c.tags()))));
  }

  /** Whether a connection carries the stack's tag and this peering's key. */
  private boolean ours(VpcPeeringConnection c) {
    Map<String, String> tags = Tags.ec2(c.tags());
    return Ownership.ownedBy(tags, stack.name()) && key().toString().equals(tags.get(Ownership.KEY));
  }

  /**
   * The connection from the spec's peer that an attempt of this run made while replacing {@code old}, and whose
   * answer was lost: EC2 takes no idempotency token for it, so it is found among the live connections between the two
   * VPCs by the stack's and the key's tags.
   */
  @Override
  public Optional<Observed> readReplacement(StepContext ctx, Observed old) {
    String vpcId = ctx.get(vpc, VpcResource.VPC_ID);
    PeerVpc peer;
    try {
      peer = aws.findPeer(peering.peer(), peering.path() + ".peer");
    } catch (AwsContext.NoPeerException e) {
      return Optional.empty();
    }
    String oldId = old.outputs().find(PEERING_ID).orElse("");
    return aws.ec2(peer.region()).describeVpcPeeringConnectionsPaginator(b -> b.filters(
        Tags.filter("requester-vpc-info.vpc-id", peer.vpcId()), Tags.filter("accepter-vpc-info.vpc-id", vpcId)))
        .vpcPeeringConnections().stream()
        .filter(c -> c.requesterVpcInfo() != null && peer.vpcId().equals(c.requesterVpcInfo().vpcId())
            && c.accepterVpcInfo() != null && vpcId.equals(c.accepterVpcInfo().vpcId())
            && !DEAD.contains(status(c)) && !oldId.equals(c.vpcPeeringConnectionId()) && ours(c))
        .findFirst().map(c -> Observed.owned(Map.of("peer", describePeer(), "status", status(c)),
            outputs(c.vpcPeeringConnectionId(), status(c), new PeerVpc(peer.vpcId(), peer.region(),
                requesterCidrs(c)))));
  }

  /**
   * The peer the connection goes to, as the plan compares it with the spec's: the spec's own words when the spec's
   * peer is that VPC, else the VPC's id and region.
   */
  private String observedPeer(PeerVpc connected) {
    boolean same;
    if (!connected.region().equals(peerRegion())) {
      same = false;
    } else if (peering.peer().kind() == PeerNetwork.Kind.AWS_VPC) {
      same = peering.peer().reference().equals(connected.vpcId());
    } else {
      try {
        same = aws.findPeer(peering.peer(), peering.path() + ".peer").vpcId().equals(connected.vpcId());
      } catch (AwsContext.NoPeerException e) {
        same = false; // the spec's peer is gone (planning a destroy): the connection goes where it went
      }
    }
    return same ? describePeer() : PeerNetwork.Kind.AWS_VPC.name().toLowerCase() + " " + connected.vpcId() + " in "
        + connected.region();
  }

  private static List<String> requesterCidrs(VpcPeeringConnection c) {
    List<String> cidrs = new ArrayList<>();
    c.requesterVpcInfo().cidrBlockSet().forEach(b -> cidrs.add(b.cidrBlock()));
    if (cidrs.isEmpty() && c.requesterVpcInfo().cidrBlock() != null) {
      cidrs.add(c.requesterVpcInfo().cidrBlock());
    }
    return cidrs;
  }

  static String status(VpcPeeringConnection c) {
    return c.status() == null ? "unknown" : c.status().codeAsString();
  }

  private static Outputs outputs(String id, String status, PeerVpc peer) {
    return Outputs.builder().put(PEERING_ID, id).put(STATUS, status).put(PEER_VPC_ID, peer.vpcId())
        .put(PEER_REGION, peer.region()).put(PEER_CIDRS, peer.cidrs()).build();
  }

  private static PeerVpc peerOf(Outputs outputs) {
    return new PeerVpc(outputs.get(PEER_VPC_ID), outputs.get(PEER_REGION), outputs.get(PEER_CIDRS));
  }

  /** Sends the request from the application's VPC; the check accepts it. */
  @Override
  public Outputs create(StepContext ctx) {
    String vpcId = ctx.get(vpc, VpcResource.VPC_ID);
    PeerVpc peer = aws.findPeer(peering.peer(), peering.path() + ".peer");
    Map<String, String> tags = tags(ctx, name, peering.tags());
    VpcPeeringConnection created = aws.ec2(peer.region()).createVpcPeeringConnection(b -> b.vpcId(peer.vpcId())
        .peerVpcId(vpcId).peerRegion(aws.region())
        .tagSpecifications(Tags.spec(ResourceType.VPC_PEERING_CONNECTION, tags))).vpcPeeringConnection();
    ctx.note("requested peering " + Text.quote(created.vpcPeeringConnectionId()) + " from " + Text.quote(peer.vpcId())
        + " (" + peer.region() + ") to " + Text.quote(vpcId));
    return outputs(created.vpcPeeringConnectionId(), status(created), peer);
  }

  /** A connection left pending acceptance (a run that stopped halfway) is accepted by the check. */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return current.outputs();
  }

  /**
   * Reads the connection in the accepter's region, where it appears some time after the request: accepts it once it
   * is {@code pending-acceptance}; done when it is {@code active}; failed when it will never be.
   */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    String id = started.get(PEERING_ID);
    Optional<VpcPeeringConnection> found = describe(aws.ec2(), id);
    if (found.isEmpty()) {
      return Probe.pending("not yet visible in " + aws.region());
    }
    String status = status(found.get());
    switch (status) {
      case "active":
        return Probe.done(outputs(id, status, peerOf(started)));
      case "pending-acceptance":
        aws.ec2().acceptVpcPeeringConnection(b -> b.vpcPeeringConnectionId(id));
        return Probe.pending("pending-acceptance, accepted in " + aws.region());
      default:
        return DEAD.contains(status) ? Probe.failed(deadReason(id, status, found.get().status().message()))
            : Probe.pending(status);
    }
  }

  private String deadReason(String id, String status, String message) {
    String what = "peering connection " + Text.quote(id) + " is " + Text.quote(status)
        + (message == null ? "" : " (" + Text.quote(message) + ")") + ": ";
    switch (status) {
      case "failed":
        return what + "check that the CIDRs of the two VPCs do not overlap and that " + peering.path()
            + ".peer names the application VPC and its region";
      case "rejected":
        return what + "someone rejected it in " + aws.region() + "; check who did, then apply again to request a "
            + "new one";
      case "expired":
        return what + "it was not accepted in time; apply again to request a new one";
      default:
        return what + "it was deleted while being set up; apply again to request a new one";
    }
  }

  /** The connection as {@code ec2} sees it; empty when that region does not (yet) know it. */
  static Optional<VpcPeeringConnection> describe(Ec2Client ec2, String id) {
    try {
      return ec2.describeVpcPeeringConnections(b -> b.vpcPeeringConnectionIds(id)).vpcPeeringConnections().stream()
          .findFirst();
    } catch (Ec2Exception e) {
      if (AwsErrors.code(e).startsWith("InvalidVpcPeeringConnectionID")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = current.outputs().get(PEERING_ID);
    try {
      aws.ec2(regionOf(current)).deleteVpcPeeringConnection(b -> b.vpcPeeringConnectionId(id));
    } catch (Ec2Exception e) {
      if (!AwsErrors.code(e).startsWith("InvalidVpcPeeringConnectionID")) {
        throw e;
      }
    }
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    Optional<String> status = describe(aws.ec2(regionOf(current)), current.outputs().get(PEERING_ID))
        .map(PeeringResource::status);
    return status.isEmpty() || status.get().equals("deleted") ? Probe.done() : Probe.pending(status.get());
  }

  private String regionOf(Observed current) {
    return current.outputs().find(PEER_REGION).orElse(aws.region());
  }
}
