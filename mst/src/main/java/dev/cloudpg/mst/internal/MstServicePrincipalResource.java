package dev.cloudpg.mst.internal;

import com.azure.core.util.Context;
import dev.cloudpg.Peering;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Procedure step 7: a service principal of MST's own multi-tenant application in the user's tenant, so that MST may
 * be given a role on the VNet. A tenant holds at most one per application, and it may well exist before the stack
 * (another stack or a person made it): it is then used but never deleted. One that cloudpg creates carries the
 * stack's tag and goes with the stack.
 */
final class MstServicePrincipalResource extends MstResource {
  /** The principal's object id, which role assignments name. */
  static final Output<String> ID = Output.string("id");
  static final Output<String> APP_ID = Output.string("appId");
  /** {@code true} when the stack made the principal, so that destroy may delete it. */
  static final Output<String> MADE_BY_STACK = Output.string("madeByStack");

  private final String mstAppId;

  MstServicePrincipalResource(MstContext mst, Stack stack, Peering peering, String mstAppId) {
    super(mst, stack, Keys.mstServicePrincipal(peering.name()), List.of());
    this.mstAppId = mstAppId;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("appId", mstAppId);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return mst.directory().findServicePrincipal(mstAppId)
        .map(sp -> Observed.owned(Map.of("appId", sp.appId()), outputs(sp)));
  }

  private Outputs outputs(EntraServicePrincipal sp) {
    return Outputs.builder().put(ID, sp.objectId()).put(APP_ID, sp.appId())
        .put(MADE_BY_STACK, String.valueOf(sp.hasTag(stackTag()))).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    EntraServicePrincipal sp = mst.directory().ensureServicePrincipal(mstAppId, stackTag());
    ctx.note("step 7: service principal " + sp.objectId() + " of MST's application " + mstAppId + " in tenant "
        + mst.tenant() + (sp.hasTag(stackTag()) ? "" : " (it existed already and will be left in place)"));
    return outputs(sp);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = current.outputs().get(ID);
    if (!"true".equals(current.outputs().find(MADE_BY_STACK).orElse("false"))) {
      ctx.note("left the service principal " + id + " of MST's application in place: it existed before the stack");
      return;
    }
    deleteUnlessUsed(mst, ctx, id);
  }

  /**
   * Deletes MST's principal that the stack made, unless role assignments still name it: other stacks peering with MST
   * in this tenant may rely on it since, and their assignments on their VNets name it. The stack's own assignment is
   * gone by then (it depends on this).
   */
  static void deleteUnlessUsed(MstContext mst, StepContext ctx, String id) {
    List<String> others = assignmentScopes(mst, id);
    if (!others.isEmpty()) {
      ctx.note("left the service principal " + id + " of MST's application in place: other role assignments use it "
          + "(" + String.join(", ", others) + ")");
      return;
    }
    mst.directory().deleteServicePrincipal(id);
  }

  /** The scopes of the role assignments of this principal in the Azure side's subscription, quoted. */
  static List<String> assignmentScopes(MstContext mst, String id) {
    String subscription = "/subscriptions/" + mst.azure().subscription();
    List<String> scopes = new ArrayList<>();
    mst.azure().authorization().roleServiceClient().getRoleAssignments()
        .listForScope(subscription, filter("principalId eq '" + id + "'"), null, null, Context.NONE)
        .forEach(a -> scopes.add(Text.quote(a.scope())));
    return scopes;
  }

  /** The SDK sends {@code $filter} as given, so it must arrive encoded. */
  private static String filter(String expression) {
    return URLEncoder.encode(expression, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
