package dev.cloudpg.mst.internal;

import dev.cloudpg.Network;
import dev.cloudpg.ProviderException;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network as an Aiven project VPC in the stack's cloud. A project VPC carries no tags and a project has at most one
 * per cloud, so the VPC of the cloud with the network's CIDR is taken as the stack's; one with another CIDR belongs to
 * someone else.
 */
final class ProjectVpcResource extends MstResource {
  /** MST builds a project VPC in about three minutes. */
  static final WaitPolicy VPC_WAIT = WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofMinutes(30));

  private final String cidr;

  ProjectVpcResource(MstContext mst, Stack stack, Network network) {
    super(mst, stack, key("project-vpc", network.name()), List.of());
    this.cidr = network.cidr().orElseThrow();
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return VPC_WAIT;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("cloud", mst.cloud(), "cidr", cidr);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return live().map(vpc -> cidr.equals(vpc.networkCidr())
        ? Observed.owned(Map.of("cloud", vpc.cloudName(), "cidr", vpc.networkCidr()), outputs(vpc))
        : Observed.foreign("project VPC " + vpc.projectVpcId() + " with " + vpc.networkCidr() + " in "
            + vpc.cloudName() + ": a project has one VPC per cloud; give the network that CIDR to use it"));
  }

  /** The project's VPC in the cloud that is not being deleted. */
  private Optional<AivenVpc> live() {
    return mst.aiven().listVpcs(mst.project()).stream()
        .filter(v -> mst.cloud().equals(v.cloudName()))
        .filter(v -> !"DELETING".equals(v.state()) && !"DELETED".equals(v.state()))
        .findFirst();
  }

  static Outputs outputs(AivenVpc vpc) {
    return Outputs.of("vpcId", vpc.projectVpcId(), "cidr", vpc.networkCidr(), "cloud", vpc.cloudName(),
        "state", vpc.state());
  }

  @Override
  public Outputs create(StepContext ctx) {
    AivenVpc vpc;
    try {
      vpc = mst.aiven().createVpc(mst.project(), mst.cloud(), cidr);
    } catch (ProviderException e) {
      // A retried create that reached Aiven the first time: adopt the VPC it made.
      vpc = e.httpStatus() == 409 ? live().filter(v -> cidr.equals(v.networkCidr())).orElseThrow(() -> e) : null;
      if (vpc == null) {
        throw e;
      }
    }
    String id = vpc.projectVpcId();
    AivenVpc active = ctx.await("project VPC ACTIVE", () -> mst.aiven().getVpc(mst.project(), id)
        .map(v -> "ACTIVE".equals(v.state()) ? Probe.done(v) : Probe.<AivenVpc>pending(v.state()))
        .orElseGet(() -> Probe.failed("project VPC " + id + " disappeared while it was being built")));
    return outputs(active);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = current.outputs().string("vpcId");
    // A VPC carries no tags: one that still holds peerings after the stack's own are gone serves someone else too.
    List<String> others = mst.aiven().getVpc(mst.project(), id).map(v -> v.peeringConnections().stream()
        .filter(p -> !"DELETED".equals(p.state()) && !"DELETING".equals(p.state()))
        .map(p -> p.peerVpc() + " (" + p.state() + ")").toList()).orElse(List.of());
    if (!others.isEmpty()) {
      ctx.note("kept the project VPC " + id + ": it still peers with " + String.join(", ", others));
      return;
    }
    mst.aiven().deleteVpc(mst.project(), id);
    ctx.await("project VPC deleted", () -> mst.aiven().getVpc(mst.project(), id)
        .filter(v -> !"DELETED".equals(v.state()))
        .map(v -> Probe.<Boolean>pending(v.state())).orElseGet(() -> Probe.done(Boolean.TRUE)));
  }
}
