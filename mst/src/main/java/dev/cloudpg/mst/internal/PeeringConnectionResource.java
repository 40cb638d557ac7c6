package dev.cloudpg.mst.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.Peering;
import dev.cloudpg.ProviderException;
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

/**
 * Procedure steps 10-12: Aiven's peering connection from the project VPC to the user's VNet, awaited until Aiven has
 * made its side and waits for ours ({@code PENDING_PEER}, with MST's tenant and VNet in its state information).
 *
 * <p>Aiven accepts lower-case names only, so every value sent is lower-cased, with a note when that changed one. A
 * connection Aiven refused ({@code INVALID_SPECIFICATION}, {@code REJECTED_BY_PEER}) is observed as {@code failed}:
 * the create fails with Aiven's reason, and once the cause is fixed the next apply deletes the refused connection and
 * asks again. One the Azure side deleted ({@code DELETED_BY_PEER}) is never recreated on its own.
 */
final class PeeringConnectionResource extends MstResource {
  /** MST approves a peering in about a minute. */
  static final WaitPolicy PEERING_WAIT = WaitPolicy.of(Duration.ofSeconds(5), Duration.ofSeconds(20),
      Duration.ofMinutes(30));
  static final String USABLE = "usable";
  static final String FAILED = "failed";
  static final String DELETED_BY_PEER = "deleted-by-peer";

  private final Peering peering;
  private final AzureVnet vnet;
  private final ResourceKey vpc;
  private final ResourceKey application;

  PeeringConnectionResource(MstContext mst, Stack stack, Peering peering, AzureVnet vnet, ResourceKey vpc,
      ResourceKey application, List<ResourceKey> after) {
    super(mst, stack, key("peering-connection", peering.name()), dependencies(vpc, application, after));
    this.peering = peering;
    this.vnet = vnet;
    this.vpc = vpc;
    this.application = application;
  }

  private static List<ResourceKey> dependencies(ResourceKey vpc, ResourceKey application, List<ResourceKey> after) {
    List<ResourceKey> all = new ArrayList<>(List.of(vpc, application));
    all.addAll(after);
    return all;
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return PEERING_WAIT;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("state", USABLE);
  }

  @Override
  public Set<String> updatable() {
    return Set.of("state");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return find(ctx).map(p -> Observed.owned(Map.of("state", condition(p.state())), outputs(p, ctx)));
  }

  /** The live connection with the VNet, if any. */
  private Optional<AivenPeering> find(StepContext ctx) {
    String vpcId = ctx.outputsOf(vpc).string("vpcId");
    return mst.aiven().findAzurePeering(mst.project(), vpcId, vnet.aivenPeer())
        .filter(p -> !"DELETED".equals(p.state()) && !"DELETING".equals(p.state()));
  }

  private static String condition(String state) {
    switch (state) {
      case "INVALID_SPECIFICATION":
      case "REJECTED_BY_PEER":
      case "ERROR":
        return FAILED;
      case "DELETED_BY_PEER":
        return DELETED_BY_PEER;
      default:
        return USABLE;
    }
  }

  private Outputs outputs(AivenPeering p, StepContext ctx) {
    return Outputs.builder().put("peeringId", p.peeringConnectionId()).put("state", p.state())
        .put("vpcId", ctx.outputsOf(vpc).string("vpcId"))
        .put("toTenantId", p.toTenantId().orElse(null)).put("toNetworkId", p.toNetworkId().orElse(null)).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String vpcId = ctx.outputsOf(vpc).string("vpcId");
    AzurePeeringRequest request = request(ctx);
    try {
      mst.aiven().createAzurePeering(mst.project(), vpcId, request);
    } catch (ProviderException e) {
      // A retried create that reached Aiven the first time: await the connection it made.
      if (e.httpStatus() != 409 || find(ctx).isEmpty()) {
        throw e;
      }
    }
    ctx.note("steps 10-11: asked MST to peer project VPC " + vpcId + " with VNet " + request.peer().vnetName()
        + " (resource group " + request.peer().resourceGroup() + ", subscription " + request.peer().subscriptionId()
        + "), application " + request.azureAppId() + " of tenant " + request.azureTenantId());
    AivenPeering ready = ctx.await("peering connection PENDING_PEER", () -> probe(ctx));
    ctx.note("step 12: MST made its side; its VNet is " + ready.toNetworkId().orElse("(not reported)")
        + " in tenant " + ready.toTenantId().orElse("(not reported)"));
    return outputs(ready, ctx);
  }

  /** What Aiven needs, lower-cased, with a note when that changed anything. */
  private AzurePeeringRequest request(StepContext ctx) {
    Outputs app = ctx.outputsOf(application);
    String appId = app.string("appId");
    String tenant = app.string("tenantId");
    AzurePeer peer = vnet.aivenPeer();
    List<String> cidrs = peering.peer().cidrs().stream().map(AzureVnet::lower).toList();
    List<String> changed = new ArrayList<>();
    changedCase(changed, "subscription", vnet.subscription());
    changedCase(changed, "resource group", vnet.resourceGroup());
    changedCase(changed, "VNet", vnet.name());
    changedCase(changed, "application id", appId);
    changedCase(changed, "tenant id", tenant);
    if (!changed.isEmpty()) {
      ctx.note("step 11: Aiven accepts lower-case names only, so these are sent lower-cased: "
          + String.join(", ", changed));
    }
    return new AzurePeeringRequest(peer, AzureVnet.lower(appId), AzureVnet.lower(tenant), cidrs);
  }

  private static void changedCase(List<String> changed, String what, String value) {
    if (!value.equals(AzureVnet.lower(value))) {
      changed.add(what + " " + value + " as " + AzureVnet.lower(value));
    }
  }

  private Probe<AivenPeering> probe(StepContext ctx) {
    Optional<AivenPeering> found = find(ctx);
    if (found.isEmpty()) {
      return Probe.failed("the peering connection with VNet " + vnet + " disappeared while MST was approving it");
    }
    AivenPeering p = found.get();
    switch (p.state()) {
      case "PENDING_PEER":
        // Aiven has been seen to report PENDING_PEER before the ids; wait for them.
        return p.toNetworkId().isPresent() && p.toTenantId().isPresent() ? Probe.done(p)
            : Probe.pending("PENDING_PEER without MST's VNet yet");
      case "ACTIVE":
        return Probe.done(p);
      case "INVALID_SPECIFICATION":
      case "REJECTED_BY_PEER":
      case "ERROR":
        return Probe.failed(refusal(p, ctx));
      case "DELETED_BY_PEER":
        return Probe.failed(deletedByPeer());
      default:
        return Probe.pending(p.state());
    }
  }

  private String refusal(AivenPeering p, StepContext ctx) {
    return "MST refused the peering with VNet " + vnet + ": " + p.state() + ": "
        + p.stateMessage().orElse("(no reason given)") + ". Check the subscription, resource group and VNet names, "
        + "that the VNet's address ranges " + peering.peer().cidrs() + " do not overlap the project VPC's "
        + ctx.outputsOf(vpc).find("cidr").orElse("") + ", and that the application "
        + ctx.outputsOf(application).string("appId") + " of tenant " + ctx.outputsOf(application).string("tenantId")
        + " exists with Network Contributor on the VNet. Apply again once fixed: the refused connection is then "
        + "replaced";
  }

  private String deletedByPeer() {
    return "the Azure side deleted its peering with MST for VNet " + vnet + " (DELETED_BY_PEER); cloudpg does not "
        + "recreate it on its own: destroy the stack (or remove the peering from it and apply), then apply it again";
  }

  /** Replaces a connection Aiven refused; refuses to touch one the Azure side deleted. */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    String state = current.property("state").orElse("");
    if (DELETED_BY_PEER.equals(state)) {
      throw new CloudpgException(deletedByPeer());
    }
    ctx.note("steps 10-11: MST had refused the earlier peering connection (" + current.outputs().find("state")
        .orElse(state) + "); deleting it and asking again");
    deleteAndAwait(ctx, ctx.outputsOf(vpc).string("vpcId"));
    return create(ctx);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    deleteAndAwait(ctx, current.outputs().string("vpcId"));
  }

  private void deleteAndAwait(StepContext ctx, String vpcId) {
    mst.aiven().deleteAzurePeering(mst.project(), vpcId, vnet.aivenPeer());
    ctx.await("peering connection deleted", () -> mst.aiven().findAzurePeering(mst.project(), vpcId,
        vnet.aivenPeer()).filter(p -> !"DELETED".equals(p.state()))
        .map(p -> Probe.<Boolean>pending(p.state())).orElseGet(() -> Probe.done(Boolean.TRUE)));
  }
}
