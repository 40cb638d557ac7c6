package dev.cloudpg.mst.internal;

import com.azure.core.credential.TokenCredential;
import com.azure.resourcemanager.network.NetworkManager;
import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Procedure steps 4 and 13-17: the Azure half of the peering, from the user's VNet to MST's, created by the azure
 * module's {@link AzureSession#vnetPeering} while signed in as the peering's application in both tenants (the
 * user's, and MST's through the auxiliary token header), since only that application has a role on both VNets; then
 * the wait until Aiven reports the connection {@code ACTIVE}, which is this step's check rather than a step of its
 * own.
 *
 * <p>No long-lived secret is kept anywhere, and no password outlives the call that made it. Only the PUT of the
 * peering signs in as the application, so only {@link #create} (and an {@link #update} that sends the PUT again)
 * holds a password: right before the request the application gets one valid for {@link #PASSWORD_VALIDITY}, the two
 * credentials are made from it, and it is removed as soon as the request has returned, whether it succeeded or not.
 * An attempt the engine retries makes its own; one that a crash interrupted is found by its display name and removed
 * by the next attempt, and expires within the hour anyway. The check, which the engine repeats, reads the peering and
 * Aiven's connection as the Azure side's own credential and the Aiven token: it never needs the password. Reading and
 * deleting the peering need rights on the user's VNet only, so they run as the Azure side's own credential too.
 */
final class VnetPeeringStep extends DelegatedResource {
  static final Output<String> ID = AzureSession.PEERING_ID;
  /** MST's VNet, which the peering points at. */
  static final Output<String> REMOTE_VNET_ID = AzureSession.PEERING_REMOTE_VNET_ID;
  /** Aiven's state of the connection as this step last saw it: {@code ACTIVE} once the step is done. */
  static final Output<String> CONNECTION_STATE = Output.string("connectionState");
  /** The property that compares Aiven's state of the connection with {@code ACTIVE}. */
  static final String CONNECTION = "connection";
  static final Duration PASSWORD_VALIDITY = Duration.ofHours(1);
  /** The display name of the step's short-lived passwords, by which a leftover one is found. */
  static final String PASSWORD_NAME = "cloudpg vnet-peering step";

  private final MstContext mst;
  private final Stack stack;
  private final AzureVnet vnet;
  private final String peeringName;
  private final ResourceKey application;
  private final ResourceKey connection;
  private final Resource reader;

  VnetPeeringStep(MstContext mst, Stack stack, Peering peering, AzureVnet vnet, ResourceKey application,
      ResourceKey connection) {
    this(mst, stack, Keys.vnetPeering(peering.name()), MstResource.tenantWideName(mst, stack, peering), vnet,
        application, connection);
  }

  /** Reading, checking and deleting go through the inner resource, as the Azure side's own credential. */
  private VnetPeeringStep(MstContext mst, Stack stack, ResourceKey key, String peeringName, AzureVnet vnet,
      ResourceKey application, ResourceKey connection) {
    this(mst, stack, key, peeringName, vnet, application, connection, peering(mst, stack, key, peeringName, vnet,
        connection, (ctx, subscription) -> {
          throw new IllegalStateException("the VNet peering is created as the peering's application only");
        }));
  }

  private VnetPeeringStep(MstContext mst, Stack stack, ResourceKey key, String peeringName, AzureVnet vnet,
      ResourceKey application, ResourceKey connection, Resource reader) {
    super(key, List.of(connection, application), reader);
    this.mst = mst;
    this.stack = stack;
    this.vnet = vnet;
    this.peeringName = peeringName;
    this.application = application;
    this.connection = connection;
    this.reader = reader;
  }

  private static Resource peering(MstContext mst, Stack stack, ResourceKey key, String peeringName,
      AzureVnet vnet, ResourceKey connection, BiFunction<StepContext, String, NetworkManager> writer) {
    return mst.azure().vnetPeering(stack, key.name(), peeringName, ctx -> vnet.id(), remoteVnetId(key, connection),
        writer);
  }

  /** MST's VNet, as the connection reported it; a peering made earlier remembers it when Aiven no longer says. */
  private static Function<StepContext, String> remoteVnetId(ResourceKey key, ResourceKey connection) {
    return ctx -> ctx.outputsOf(connection).find(PeeringConnectionResource.TO_NETWORK_ID)
        .or(() -> ctx.findOutputs(key).flatMap(o -> o.find(REMOTE_VNET_ID)))
        .orElseThrow(() -> new IllegalStateException("MST reported no VNet to peer with for " + connection
            + " (its state is " + ctx.outputsOf(connection).find(PeeringConnectionResource.STATE).orElse("unknown")
            + ")"));
  }

  @Override
  public Map<String, String> desired() {
    Map<String, String> desired = new HashMap<>(super.desired());
    desired.put(CONNECTION, "ACTIVE");
    return Map.copyOf(desired);
  }

  @Override
  public Set<String> updatable() {
    Set<String> updatable = new HashSet<>(super.updatable());
    updatable.add(CONNECTION);
    return Set.copyOf(updatable);
  }

  /** The peering, with Aiven's state of the connection, so that a plan finds a peering MST has not seen yet. */
  @Override
  public Optional<Observed> read(StepContext ctx) {
    return super.read(ctx).map(seen -> {
      if (!seen.owned()) {
        return seen;
      }
      String state = aivenConnection(ctx).map(AivenPeering::state).orElse("absent");
      Map<String, String> properties = new HashMap<>(seen.properties());
      properties.put(CONNECTION, state);
      return Observed.owned(properties, seen.outputs().toBuilder().put(CONNECTION_STATE, state).build());
    });
  }

  private Optional<AivenPeering> aivenConnection(StepContext ctx) {
    return mst.aiven().findAzurePeering(mst.project(), ctx.get(connection, PeeringConnectionResource.VPC_ID),
        vnet.aivenPeer());
  }

  @Override
  public Outputs create(StepContext ctx) {
    return peerAsApplication(ctx);
  }

  /** Sends the PUT again, unless only MST's side is behind: then the check waits for it. */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    if (changes.keySet().equals(Set.of(CONNECTION))) {
      return current.outputs();
    }
    return peerAsApplication(ctx);
  }

  /** Steps 4 and 13-15: the PUT, signed in as the application with a password that this call adds and removes. */
  private Outputs peerAsApplication(StepContext ctx) {
    Outputs app = ctx.outputsOf(application);
    String objectId = app.get(EntraApplicationResource.OBJECT_ID);
    String appId = app.get(EntraApplicationResource.APP_ID);
    String ourTenant = app.get(EntraApplicationResource.TENANT_ID);
    String mstTenant = ctx.outputsOf(connection).find(PeeringConnectionResource.TO_TENANT_ID)
        .orElseThrow(() -> new IllegalStateException("MST reported no tenant for " + connection));
    removeLeftovers(ctx, objectId);
    EntraPassword password = mst.directory().addPassword(objectId, PASSWORD_NAME, ctx.time().now(),
        PASSWORD_VALIDITY);
    ctx.note("step 4: added a password to application " + appId + ", valid " + PASSWORD_VALIDITY.toMinutes()
        + " minutes, for this request only");
    try {
      TokenCredential inOurs = mst.applicationCredentials().forApplication(ourTenant, appId, password.secret());
      TokenCredential inMst = mst.applicationCredentials().forApplication(mstTenant, appId, password.secret());
      ctx.note("steps 13-15: signing in as application " + appId + " in tenant " + ourTenant + " and in MST's "
          + "tenant " + Text.quote(mstTenant) + " to peer VNet " + Text.quote(vnet.name()) + " with MST's VNet ("
          + peeringName + ")");
      return peering(mst, stack, key(), peeringName, vnet, connection,
          (c, subscription) -> mst.azure().networkAs(inOurs, List.of(inMst), subscription)).create(ctx);
    } finally {
      removePassword(ctx, objectId, password.keyId(), "removed the application's password again");
    }
  }

  /** Passwords of this step that an interrupted attempt left behind. */
  private void removeLeftovers(StepContext ctx, String objectId) {
    for (UUID keyId : mst.directory().passwordKeyIds(objectId, PASSWORD_NAME)) {
      removePassword(ctx, objectId, keyId, "removed a password an interrupted attempt had left");
    }
  }

  private void removePassword(StepContext ctx, String objectId, UUID keyId, String done) {
    try {
      mst.directory().removePassword(objectId, keyId);
      ctx.note("step 16: " + done);
    } catch (RuntimeException e) {
      ctx.note("could not remove the application's password " + keyId + " (" + Text.escape(String.valueOf(
          e.getMessage())) + "); it expires by itself within " + PASSWORD_VALIDITY.toMinutes() + " minutes, and the "
          + "next attempt removes it");
    }
  }

  /**
   * Done once ARM has made the peering and Aiven reports the connection {@code ACTIVE} (step 17); failed when Aiven
   * gives up on it.
   */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Probe<Outputs> peered = reader.checkReady(ctx, started);
    if (!peered.isDone()) {
      return peered;
    }
    Outputs out = peered.value().orElse(started);
    Optional<AivenPeering> found = aivenConnection(ctx);
    if (found.isEmpty()) {
      return Probe.failed("the peering connection with VNet " + vnet + " disappeared from the project VPC before it"
          + " became active; apply again to ask MST anew");
    }
    AivenPeering p = found.get();
    switch (p.state()) {
      case "ACTIVE":
        ctx.note("step 16: peered VNet " + Text.quote(vnet.name()) + " with MST's VNet "
            + Text.quote(out.find(REMOTE_VNET_ID).orElse("")) + " (" + peeringName + ")");
        ctx.note("step 17: the peering of MST with VNet " + Text.quote(vnet.name()) + " is ACTIVE");
        return Probe.done(out.toBuilder().put(CONNECTION_STATE, p.state()).build());
      case "INVALID_SPECIFICATION":
      case "REJECTED_BY_PEER":
      case "ERROR":
        return Probe.failed("MST gave up on the peering with VNet " + vnet + ": " + Text.quote(p.state()) + ": "
            + p.stateMessage().map(Text::quote).orElse("(no reason given)") + "; check the VNet peering "
            + peeringName + " and the roles on the VNet, then apply again");
      case "DELETED_BY_PEER":
      case "DELETED":
      case "DELETING":
        return Probe.failed("the peering connection with VNet " + vnet + " was deleted (" + p.state() + ") before "
            + "it became active; apply again to ask MST anew");
      default:
        return Probe.pending("MST has not seen the VNet peering yet (" + Text.escape(p.state()) + ")");
    }
  }
}
