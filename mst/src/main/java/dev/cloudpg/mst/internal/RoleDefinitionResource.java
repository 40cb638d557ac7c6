package dev.cloudpg.mst.internal;

import com.azure.resourcemanager.authorization.fluent.RoleDefinitionsClient;
import com.azure.resourcemanager.authorization.fluent.models.PermissionInner;
import com.azure.resourcemanager.authorization.fluent.models.RoleDefinitionInner;
import dev.cloudpg.Peering;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Procedure step 8: a custom role that allows only {@value #PEER_ACTION}, assignable in the VNet's subscription, for
 * MST's service principal. Its name is a GUID derived from the stack and peering, so every run finds it; role
 * definitions carry no tags, so its description marks it as the stack's.
 */
final class RoleDefinitionResource extends MstResource {
  /** The role's full id, as role assignments name it. */
  static final Output<String> ID = Output.string("id");
  /** The role's name, a GUID. */
  static final Output<String> NAME = Output.string("name");
  static final Output<String> ROLE_NAME = Output.string("roleName");
  static final String PEER_ACTION = "Microsoft.Network/virtualNetworks/peer/action";

  private final AzureVnet vnet;
  private final String roleName;
  private final String guid;

  RoleDefinitionResource(MstContext mst, Stack stack, Peering peering, AzureVnet vnet) {
    super(mst, stack, Keys.roleDefinition(peering.name()), List.of());
    this.vnet = vnet;
    this.roleName = roleName(mst, stack, peering);
    this.guid = guid(mst, stack, peering, vnet);
  }

  /** The role's display name, which must be unique in the tenant. */
  static String roleName(MstContext mst, Stack stack, Peering peering) {
    return tenantWideName(mst, stack, peering) + "-vnet-peer";
  }

  /** The role's name, a GUID. */
  static String guid(MstContext mst, Stack stack, Peering peering, AzureVnet vnet) {
    return guid(mst, stack, peering.name(), vnet);
  }

  /** The role's name for the peering of this name. */
  static String guid(MstContext mst, Stack stack, String peering, AzureVnet vnet) {
    return AzureSession.derivedGuid(vnet.subscription(), mst.project(), stack.name(), "role-definition", peering);
  }

  /** The role's full id, as role assignments name it. */
  static String id(MstContext mst, Stack stack, Peering peering, AzureVnet vnet) {
    return id(mst, stack, peering.name(), vnet);
  }

  /** The role's full id for the peering of this name. */
  static String id(MstContext mst, Stack stack, String peering, AzureVnet vnet) {
    return vnet.subscriptionScope() + "/providers/Microsoft.Authorization/roleDefinitions/"
        + guid(mst, stack, peering, vnet);
  }

  private RoleDefinitionsClient client() {
    return mst.azure().authorization().roleServiceClient().getRoleDefinitions();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("roleName", roleName, "actions", PEER_ACTION, "assignableScopes", vnet.subscriptionScope());
  }

  @Override
  public Set<String> updatable() {
    return Set.of("actions", "assignableScopes");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return AzureSession.ifFound(() -> client().get(vnet.subscriptionScope(), guid)).map(r -> {
      if (!stackTag().equals(r.description())) {
        return Observed.foreign("role definition " + Text.quote(r.roleName()) + " (" + r.name() + "), not made by "
            + "this stack: its description is " + Text.quote(r.description()));
      }
      List<String> actions = r.permissions() == null ? List.of() : r.permissions().stream()
          .flatMap(p -> p.actions() == null ? Stream.<String>empty() : p.actions().stream())
          .toList();
      return Observed.owned(Map.of("roleName", String.valueOf(r.roleName()), "actions", String.join(",", actions),
          "assignableScopes", r.assignableScopes() == null ? "" : String.join(",", r.assignableScopes())),
          outputs());
    });
  }

  private Outputs outputs() {
    return Outputs.builder().put(ID, vnet.subscriptionScope() + "/providers/Microsoft.Authorization/roleDefinitions/"
        + guid).put(NAME, guid).put(ROLE_NAME, roleName).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    RoleDefinitionInner role = new RoleDefinitionInner().withRoleName(roleName).withDescription(stackTag())
        .withRoleType("CustomRole")
        .withPermissions(List.of(new PermissionInner().withActions(List.of(PEER_ACTION))))
        .withAssignableScopes(List.of(vnet.subscriptionScope()));
    client().createOrUpdate(vnet.subscriptionScope(), guid, role);
    ctx.note("step 8: custom role " + roleName + " allows only " + PEER_ACTION + " in "
        + vnet.subscriptionScope());
    return outputs();
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return create(ctx);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().delete(vnet.subscriptionScope(), guid);
  }
}
