package dev.cloudpg.mst.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.Peering;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
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

/**
 * Procedure steps 10-12: Aiven's peering connection from the project VPC to the user's VNet. The create asks for it;
 * the check waits until Aiven has made its side and waits for ours ({@code PENDING_PEER} with MST's tenant and VNet
 * in its state information, which Aiven may send only after the state, or not at all while {@code state_info} is
 * null).
 *
 * <p>Aiven accepts lower-case names only, so every value sent is lower-cased, with a note when that changed one. A
 * connection Aiven refused ({@code INVALID_SPECIFICATION}, {@code REJECTED_BY_PEER}) fails the check with Aiven's
 * reason, and is observed as {@code failed}: once the cause is fixed, the next apply's update deletes the refused
 * connection, and its check asks again once that one is gone. One the Azure side deleted ({@code DELETED_BY_PEER}) is
 * never recreated on its own.
 */
final class PeeringConnectionResource extends MstResource {
  static final Output<String> PEERING_ID = Output.string("peeringId");
  /** Aiven's state of the connection, such as {@code PENDING_PEER} or {@code ACTIVE}. */
  static final Output<String> STATE = Output.string("state");
  static final Output<String> VPC_ID = Output.string("vpcId");
  /** MST's tenant, reported in {@code PENDING_PEER}. */
  static final Output<String> TO_TENANT_ID = Output.string("toTenantId");
  /** MST's VNet, reported in {@code PENDING_PEER}: the remote network of the Azure half. */
  static final Output<String> TO_NETWORK_ID = Output.string("toNetworkId");
  /** Set by an update: the refused connection it deleted, which the check waits to see gone before asking again. */
  static final Output<String> REPLACES = Output.string("replaces");

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

  /** @param after the role assignments MST needs before it can make its side */
  PeeringConnectionResource(MstContext mst, Stack stack, Peering peering, AzureVnet vnet, ResourceKey vpc,
      ResourceKey application, List<ResourceKey> after) {
    super(mst, stack, Keys.peeringConnection(peering.name()), dependencies(vpc, application, after));
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
    return connection(ctx).filter(p -> !gone(p))
        .map(p -> Observed.owned(Map.of("state", condition(p.state())), outputs(p, ctx)));
  }

  /** The connection with the VNet; a live one wins over one being deleted, which wins over a deleted one. */
  private Optional<AivenPeering> connection(StepContext ctx) {
    return mst.aiven().findAzurePeering(mst.project(), ctx.get(vpc, ProjectVpcResource.VPC_ID), vnet.aivenPeer());
  }

  private static boolean gone(AivenPeering p) {
    return "DELETED".equals(p.state()) || "DELETING".equals(p.state());
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
    return Outputs.builder().put(PEERING_ID, p.peeringConnectionId()).put(STATE, p.state())
        .put(VPC_ID, ctx.get(vpc, ProjectVpcResource.VPC_ID))
        .put(TO_TENANT_ID, p.toTenantId()).put(TO_NETWORK_ID, p.toNetworkId()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    return outputs(ask(ctx), ctx);
  }

  /** Steps 10-11: asks Aiven for the connection. */
  private AivenPeering ask(StepContext ctx) {
    String vpcId = ctx.get(vpc, ProjectVpcResource.VPC_ID);
    AzurePeeringRequest request = request(ctx);
    AivenPeering created = mst.aiven().createAzurePeering(mst.project(), vpcId, request);
    ctx.note("steps 10-11: asked MST to peer project VPC " + vpcId + " with VNet "
        + Text.quote(request.peer().vnetName()) + " (resource group " + Text.quote(request.peer().resourceGroup())
        + ", subscription " + Text.quote(request.peer().subscriptionId()) + "), application " + request.azureAppId()
        + " of tenant " + request.azureTenantId());
    return created;
  }

  /** What Aiven needs, lower-cased, with a note when that changed anything. */
  private AzurePeeringRequest request(StepContext ctx) {
    String appId = ctx.get(application, EntraApplicationResource.APP_ID);
    String tenant = ctx.get(application, EntraApplicationResource.TENANT_ID);
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

  /**
   * Done once Aiven waits for the Azure half with MST's tenant and VNet known. While an update replaces a refused
   * connection, it first waits for that one to go, then asks again; it decides each time from the connection it reads.
   */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Optional<AivenPeering> seen = connection(ctx);
    Optional<String> replaced = started.find(REPLACES);
    if (seen.isPresent() && replaced.equals(Optional.ofNullable(seen.get().peeringConnectionId()))
        && !"DELETED".equals(seen.get().state())) {
      return Probe.pending("deleting the refused connection (" + seen.get().state() + ")");
    }
    if (seen.isPresent() && "DELETING".equals(seen.get().state())) {
      return Probe.pending("an earlier connection is being deleted");
    }
    if (seen.isEmpty() || "DELETED".equals(seen.get().state())) {
      return askAgain(ctx);
    }
    AivenPeering p = seen.get();
    switch (p.state()) {
      case "PENDING_PEER":
        if (p.toNetworkId().isEmpty() || p.toTenantId().isEmpty()) {
          // Aiven has been seen to report PENDING_PEER before the ids, with a null state_info: wait for them.
          return Probe.pending("PENDING_PEER without MST's VNet yet");
        }
        ctx.note("step 12: MST made its side; its VNet is " + Text.quote(p.toNetworkId().get()) + " in tenant "
            + Text.quote(p.toTenantId().get()));
        return Probe.done(outputs(p, ctx));
      case "ACTIVE":
        return Probe.done(outputs(p, ctx));
      case "INVALID_SPECIFICATION":
      case "REJECTED_BY_PEER":
      case "ERROR":
        return Probe.failed(refusal(p, ctx));
      case "DELETED_BY_PEER":
        return Probe.failed(deletedByPeer());
      default:
        return Probe.pending(Text.escape(p.state()));
    }
  }

  /** No live connection: ask for one; one that Aiven already holds (a conflict) is read at the next check. */
  private Probe<Outputs> askAgain(StepContext ctx) {
    try {
      return Probe.pending(ask(ctx).state());
    } catch (ProviderException e) {
      if (e.httpStatus() == 409) {
        return Probe.pending("asked for the connection; Aiven reports it exists");
      }
      throw e;
    }
  }

  private String refusal(AivenPeering p, StepContext ctx) {
    return "MST refused the peering with VNet " + vnet + ": " + Text.quote(p.state()) + ": "
        + p.stateMessage().map(Text::quote).orElse("(no reason given)") + ". Check the subscription, resource group"
        + " and VNet names, that the VNet's address ranges " + peering.peer().cidrs() + " do not overlap the project"
        + " VPC's " + ctx.outputsOf(vpc).find(ProjectVpcResource.CIDR).orElse("") + ", and that the application "
        + ctx.get(application, EntraApplicationResource.APP_ID) + " of tenant "
        + ctx.get(application, EntraApplicationResource.TENANT_ID) + " exists with Network Contributor on the VNet."
        + " Apply again once fixed: the refused connection is then replaced";
  }

  private String deletedByPeer() {
    return "the Azure side deleted its peering with MST for VNet " + vnet + " (DELETED_BY_PEER); cloudpg does not "
        + "recreate it on its own: destroy the stack (or remove the peering from it and apply), then apply it again";
  }

  /** Starts replacing a connection Aiven refused; refuses to touch one the Azure side deleted. */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    String state = current.property("state").orElse("");
    if (DELETED_BY_PEER.equals(state)) {
      throw new CloudpgException(deletedByPeer());
    }
    ctx.note("steps 10-11: MST had refused the earlier peering connection (" + current.outputs().find(STATE)
        .orElse(state) + "); deleting it and asking again");
    mst.aiven().deleteAzurePeering(mst.project(), ctx.get(vpc, ProjectVpcResource.VPC_ID), vnet.aivenPeer());
    return current.outputs().toBuilder().put(REPLACES, current.outputs().find(PEERING_ID)).build();
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    mst.aiven().deleteAzurePeering(mst.project(), current.outputs().get(VPC_ID), vnet.aivenPeer());
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return mst.aiven().findAzurePeering(mst.project(), current.outputs().get(VPC_ID), vnet.aivenPeer())
        .filter(p -> !"DELETED".equals(p.state())).map(p -> Probe.<Void>pending(p.state()))
        .orElseGet(Probe::done);
  }
}
