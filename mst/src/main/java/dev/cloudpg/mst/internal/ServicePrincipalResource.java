package dev.cloudpg.mst.internal;

import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Procedure step 3: the service principal of the peering's application, which gets a role on the VNet. */
final class ServicePrincipalResource extends MstResource {
  /** The principal's object id, which role assignments name. */
  static final Output<String> ID = Output.string("id");
  static final Output<String> APP_ID = Output.string("appId");

  private final ResourceKey application;

  ServicePrincipalResource(MstContext mst, Stack stack, Peering peering, ResourceKey application) {
    super(mst, stack, Keys.servicePrincipal(peering.name()), List.of(application));
    this.application = application;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("application", application.name());
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    String appId = ctx.get(application, EntraApplicationResource.APP_ID);
    // The application is the stack's, so its principal is too.
    return mst.directory().findServicePrincipal(appId)
        .map(sp -> Observed.owned(Map.of("application", application.name()), outputs(sp)));
  }

  private static Outputs outputs(EntraServicePrincipal sp) {
    return Outputs.builder().put(ID, sp.objectId()).put(APP_ID, sp.appId()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String appId = ctx.get(application, EntraApplicationResource.APP_ID);
    EntraServicePrincipal sp = mst.directory().ensureServicePrincipal(appId, stackTag());
    ctx.note("step 3: service principal " + sp.objectId() + " of application " + appId);
    return outputs(sp);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    mst.directory().deleteServicePrincipal(current.outputs().get(ID));
  }
}
