package dev.cloudpg.mst.internal;

import com.azure.core.credential.TokenCredential;
import com.azure.resourcemanager.network.NetworkManager;
import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.internal.VnetPeeringResource;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Procedure steps 4 and 13-16: the Azure half of the peering, from the user's VNet to MST's, created by the azure
 * module's {@link VnetPeeringResource} while signed in as the peering's application in both tenants (the user's, and
 * MST's through the auxiliary token header), since only that application has a role on both VNets.
 *
 * <p>No long-lived secret is kept anywhere: right before the peering request the application gets a password valid
 * for {@link #PASSWORD_VALIDITY}, the two credentials are made from it, and the password is removed as soon as the
 * request is done, whether it succeeded or not. Each attempt makes its own. Reading and deleting the peering need
 * rights on the user's VNet only, so they run as the Azure side's own credential.
 */
final class VnetPeeringStep extends DelegatedResource {
  static final Duration PASSWORD_VALIDITY = Duration.ofHours(1);

  private final MstContext mst;
  private final Stack stack;
  private final AzureVnet vnet;
  private final String peeringName;
  private final ResourceKey application;
  private final ResourceKey connection;

  VnetPeeringStep(MstContext mst, Stack stack, Peering peering, AzureVnet vnet, ResourceKey application,
      ResourceKey connection, List<ResourceKey> dependencies) {
    this(mst, stack, MstResource.key("vnet-peering", peering.name()), MstResource.tenantWideName(mst, stack, peering),
        vnet, application, connection, dependencies);
  }

  /** Reading and deleting go through the inner resource, as the Azure side's own credential. */
  private VnetPeeringStep(MstContext mst, Stack stack, ResourceKey key, String peeringName, AzureVnet vnet,
      ResourceKey application, ResourceKey connection, List<ResourceKey> dependencies) {
    super(key, dependencies, peering(mst, stack, key, peeringName, vnet, connection, (ctx, subscription) -> {
      throw new IllegalStateException("the VNet peering is created as the peering's application only");
    }));
    this.mst = mst;
    this.stack = stack;
    this.vnet = vnet;
    this.peeringName = peeringName;
    this.application = application;
    this.connection = connection;
  }

  private static VnetPeeringResource peering(MstContext mst, Stack stack, ResourceKey key, String peeringName,
      AzureVnet vnet, ResourceKey connection, BiFunction<StepContext, String, NetworkManager> writer) {
    return new VnetPeeringResource(mst.azure(), stack, key.name(), peeringName, List.of(), ctx -> vnet.id(),
        remoteVnetId(key, connection), writer);
  }

  /** MST's VNet, as the connection reported it; a peering made earlier remembers it when Aiven no longer says. */
  private static Function<StepContext, String> remoteVnetId(ResourceKey key, ResourceKey connection) {
    return ctx -> ctx.outputsOf(connection).find("toNetworkId")
        .or(() -> ctx.findOutputs(key).flatMap(o -> o.find("remoteVnetId")))
        .orElseThrow(() -> new IllegalStateException("MST reported no VNet to peer with for " + connection
            + " (its state is " + ctx.outputsOf(connection).find("state").orElse("unknown") + ")"));
  }

  @Override
  public Outputs create(StepContext ctx) {
    Outputs app = ctx.outputsOf(application);
    String objectId = app.string("objectId");
    String appId = app.string("appId");
    String ourTenant = app.string("tenantId");
    String mstTenant = ctx.outputsOf(connection).find("toTenantId").orElseThrow(() -> new IllegalStateException(
        "MST reported no tenant for " + connection));
    EntraPassword password = mst.directory().addPassword(objectId, "cloudpg-" + stack.name(), PASSWORD_VALIDITY);
    ctx.note("step 4: added a password to application " + appId + ", valid " + PASSWORD_VALIDITY.toMinutes()
        + " minutes, for this step only");
    try {
      TokenCredential inOurs = mst.applicationCredentials().forApplication(ourTenant, appId, password.secret());
      TokenCredential inMst = mst.applicationCredentials().forApplication(mstTenant, appId, password.secret());
      ctx.note("steps 13-15: signing in as application " + appId + " in tenant " + ourTenant + " and in MST's "
          + "tenant " + mstTenant);
      Outputs out = peering(mst, stack, key(), peeringName, vnet, connection,
          (c, subscription) -> mst.azure().networkAs(inOurs, List.of(inMst), subscription)).create(ctx);
      ctx.note("step 16: peered VNet " + vnet.name() + " with MST's VNet " + out.find("remoteVnetId").orElse("")
          + " (" + peeringName + ")");
      return out;
    } finally {
      removePassword(ctx, objectId, password);
    }
  }

  private void removePassword(StepContext ctx, String objectId, EntraPassword password) {
    try {
      mst.directory().removePassword(objectId, password.keyId());
      ctx.note("step 16: removed the application's password again");
    } catch (RuntimeException e) {
      ctx.note("could not remove the application's password " + password.keyId() + " (" + e.getMessage()
          + "); it expires by itself at " + password.expires());
    }
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return create(ctx);
  }
}
