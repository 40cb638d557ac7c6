package dev.cloudpg.mst.internal;

import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Procedure step 17: the peering connection has become {@code ACTIVE} once MST saw the Azure half. It exists when the
 * connection is active; deleting it deletes nothing, since the connection goes with its own step.
 */
final class PeeringActiveResource extends MstResource {
  private final AzureVnet vnet;
  private final ResourceKey connection;
  private final ResourceKey vnetPeering;

  PeeringActiveResource(MstContext mst, Stack stack, Peering peering, AzureVnet vnet, ResourceKey connection,
      ResourceKey vnetPeering) {
    super(mst, stack, key("peering-active", peering.name()), List.of(connection, vnetPeering));
    this.vnet = vnet;
    this.connection = connection;
    this.vnetPeering = vnetPeering;
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return PeeringConnectionResource.PEERING_WAIT;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("state", "ACTIVE");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return find(ctx).filter(p -> "ACTIVE".equals(p.state()))
        .map(p -> Observed.owned(Map.of("state", p.state()), outputs(p, ctx)));
  }

  private Optional<AivenPeering> find(StepContext ctx) {
    return mst.aiven().findAzurePeering(mst.project(), ctx.outputsOf(connection).string("vpcId"),
        vnet.aivenPeer());
  }

  private Outputs outputs(AivenPeering p, StepContext ctx) {
    return Outputs.builder().put("peeringId", p.peeringConnectionId()).put("state", p.state())
        .put("toNetworkId", p.toNetworkId().or(() -> ctx.outputsOf(vnetPeering).find("remoteVnetId")).orElse(null))
        .put("vnetPeeringId", ctx.outputsOf(vnetPeering).find("id").orElse(null)).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    AivenPeering active = ctx.await("peering connection ACTIVE", () -> find(ctx).map(p -> {
      switch (p.state()) {
        case "ACTIVE":
          return Probe.done(p);
        case "INVALID_SPECIFICATION":
        case "REJECTED_BY_PEER":
        case "ERROR":
          return Probe.<AivenPeering>failed("MST gave up on the peering with VNet " + vnet + ": " + p.state() + ": "
              + p.stateMessage().orElse("(no reason given)"));
        case "DELETED_BY_PEER":
        case "DELETED":
          return Probe.<AivenPeering>failed("the peering connection with VNet " + vnet + " was deleted (" + p.state()
              + ") before it became active");
        default:
          return Probe.<AivenPeering>pending(p.state());
      }
    }).orElseGet(() -> Probe.failed("the peering connection with VNet " + vnet + " disappeared")));
    ctx.note("step 17: the peering of MST with VNet " + vnet.name() + " is ACTIVE");
    return outputs(active, ctx);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    // Nothing of its own: the connection is deleted by its own step.
  }
}
