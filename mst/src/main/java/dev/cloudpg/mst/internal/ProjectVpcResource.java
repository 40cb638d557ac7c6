package dev.cloudpg.mst.internal;

import dev.cloudpg.Network;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network as an Aiven project VPC in the stack's cloud. A project VPC carries no tags and a project has at most one
 * per cloud, so the VPC of the cloud with the network's CIDR is the one the stack uses; one with another CIDR belongs to
 * someone else. It is the stack's alone only while it holds no service and no peering but the stack's: a destroy,
 * which deletes the stack's services and peerings first, deletes it only when nothing else is left in it, and keeps it
 * with a note naming what is otherwise. The create asks for the VPC; the check waits until it is {@code ACTIVE}.
 */
final class ProjectVpcResource extends MstResource {
  static final Output<String> VPC_ID = Output.string("vpcId");
  static final Output<String> CIDR = Output.string("cidr");
  static final Output<String> CLOUD = Output.string("cloud");
  static final Output<String> STATE = Output.string("state");

  /** MST builds a project VPC in about three minutes. */
  static final WaitPolicy VPC_WAIT = WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofMinutes(30));

  private final String cidr;

  ProjectVpcResource(MstContext mst, Stack stack, Network network) {
    this(mst, stack, Keys.projectVpc(network.name()), network.cidr().orElseThrow());
  }

  /** The VPC with this CIDR under another key: one that discovery found and the spec no longer names. */
  ProjectVpcResource(MstContext mst, Stack stack, dev.cloudpg.ResourceKey key, String cidr) {
    super(mst, stack, key, List.of());
    this.cidr = cidr;
  }

  /** Whether the VPC still holds a service or a live peering connection (of others, once the stack's are gone). */
  static boolean holdsAnything(MstContext mst, String vpcId) {
    return mst.aiven().getVpc(mst.project(), vpcId).map(v -> v.peeringConnections().stream()
        .anyMatch(p -> !p.state().startsWith("DELET"))
        || mst.aiven().listServices(mst.project()).stream()
            .anyMatch(sv -> sv.projectVpcId().filter(vpcId::equals).isPresent())).orElse(false);
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
        : Observed.foreign("project VPC " + Text.quote(vpc.projectVpcId()) + " with " + Text.quote(vpc.networkCidr())
            + " in " + Text.quote(vpc.cloudName()) + ": a project has one VPC per cloud; give the network that CIDR"
            + " to use it"));
  }

  /** The project's VPC in the cloud that is not being deleted. */
  private Optional<AivenVpc> live() {
    return mst.aiven().listVpcs(mst.project()).stream()
        .filter(v -> mst.cloud().equals(v.cloudName()))
        .filter(v -> !"DELETING".equals(v.state()) && !"DELETED".equals(v.state()))
        .findFirst();
  }

  static Outputs outputs(AivenVpc vpc) {
    return Outputs.builder().put(VPC_ID, vpc.projectVpcId()).put(CIDR, vpc.networkCidr())
        .put(CLOUD, vpc.cloudName()).put(STATE, vpc.state()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    return outputs(mst.aiven().createVpc(mst.project(), mst.cloud(), cidr));
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    String id = started.get(VPC_ID);
    return mst.aiven().getVpc(mst.project(), id)
        .map(v -> "ACTIVE".equals(v.state()) ? Probe.done(outputs(v)) : Probe.<Outputs>pending(v.state()))
        .orElseGet(() -> Probe.failed("project VPC " + Text.quote(id) + " disappeared while it was being built; "
            + "check the project's VPCs in the Aiven console and apply again"));
  }

  /** The live peerings of the VPC with others than the stack: a VPC carries no tags, so it may serve them too. */
  private List<String> otherPeerings(AivenVpc vpc) {
    return vpc.peeringConnections().stream()
        .filter(p -> !"DELETED".equals(p.state()) && !"DELETING".equals(p.state()))
        .map(p -> Text.quote(p.peerVpc()) + " (" + p.state() + ")").toList();
  }

  /**
   * The services in the VPC other than the stack's own, told by their tags (a destroy deletes the stack's before the
   * VPC, and they are still listed while Aiven powers them off).
   */
  private List<String> otherServices(String vpcId) {
    return mst.aiven().listServices(mst.project()).stream()
        .filter(sv -> sv.projectVpcId().filter(vpcId::equals).isPresent())
        .filter(sv -> !Ownership.ownedBy(sv.tags(), stack.name()))
        .map(sv -> "service " + Text.quote(sv.serviceName())).toList();
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = current.outputs().get(VPC_ID);
    Optional<AivenVpc> vpc = mst.aiven().getVpc(mst.project(), id);
    if (vpc.isEmpty() || "DELETING".equals(vpc.get().state())) {
      return;
    }
    List<String> others = new java.util.ArrayList<>(otherServices(id));
    others.addAll(otherPeerings(vpc.get()));
    if (!others.isEmpty()) {
      ctx.note("kept the project VPC " + id + ": other stacks or users still use it: " + String.join(", ", others));
      return;
    }
    mst.aiven().deleteVpc(mst.project(), id);
  }

  /** Done once the VPC is gone, or when it was kept because another's service or peering still uses it. */
  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    String id = current.outputs().get(VPC_ID);
    return mst.aiven().getVpc(mst.project(), id).filter(v -> !"DELETED".equals(v.state()))
        .map(v -> "DELETING".equals(v.state()) || otherPeerings(v).isEmpty() && otherServices(id).isEmpty()
            ? Probe.<Void>pending(v.state()) : Probe.<Void>done())
        .orElseGet(Probe::done);
  }
}
