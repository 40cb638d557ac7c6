package dev.cloudpg.mst.internal;

import dev.cloudpg.Peering;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Procedure step 2: the multi-tenant Entra ID application that MST signs in as to reach the user's VNet, and that
 * cloudpg signs in as to create the Azure half of the peering. Found by display name and the stack's tag. Usable as
 * soon as Graph has made it.
 */
final class EntraApplicationResource extends MstResource {
  /** The application's object id, which Graph requests name. */
  static final Output<String> OBJECT_ID = Output.string("objectId");
  /** The application (client) id, which sign-ins and service principals name. */
  static final Output<String> APP_ID = Output.string("appId");
  static final Output<String> DISPLAY_NAME = Output.string("displayName");
  /** The user's tenant, which the application is registered in. */
  static final Output<String> TENANT_ID = Output.string("tenantId");

  private final String displayName;

  EntraApplicationResource(MstContext mst, Stack stack, Peering peering) {
    super(mst, stack, Keys.entraApplication(peering.name()), List.of());
    this.displayName = tenantWideName(mst, stack, peering);
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("displayName", displayName, "signInAudience", EntraDirectory.MULTI_TENANT);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    // ensureApplication makes an application of ours multi-tenant again, so the audience is not compared. Of two
    // made for the peering (a create sent twice), the one discovery chose is read, never the first found.
    Optional<EntraApplication> found = ctx.discovered().isPresent()
        ? mst.directory().getApplication(ctx.discovered().get().id())
        : mst.directory().findApplication(displayName, stackTag());
    return found.map(app -> Observed.owned(
        Map.of("displayName", app.displayName()), outputs(app, mst.tenant())));
  }

  private static Outputs outputs(EntraApplication app, String tenant) {
    return Outputs.builder().put(OBJECT_ID, app.objectId()).put(APP_ID, app.appId())
        .put(DISPLAY_NAME, app.displayName()).put(TENANT_ID, tenant).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String tenant = mst.tenant();
    ctx.note("step 1: working in subscription " + mst.azure().subscription() + " of tenant " + tenant);
    EntraApplication app = mst.directory().ensureApplication(displayName, stackTag());
    ctx.note("step 2: multi-tenant application " + displayName + " has app id " + app.appId());
    return outputs(app, tenant);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    mst.directory().deleteApplication(current.outputs().get(OBJECT_ID));
  }
}
