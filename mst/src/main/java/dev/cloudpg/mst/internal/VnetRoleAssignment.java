package dev.cloudpg.mst.internal;

import com.azure.resourcemanager.authorization.models.PrincipalType;
import dev.cloudpg.CloudpgException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;

/**
 * A role on the user's VNet for a service principal (procedure steps 5-6 for the peering's application, step 9 for
 * MST's), through the azure module's {@link AzureSession#roleAssignment}. Before assigning, it checks that the VNet
 * exists, so that a misspelt name fails with the VNet's name rather than a bare 404. A principal made seconds earlier
 * may not be known to ARM yet: that refusal is retried by the engine as propagation ({@link MstFailures}).
 */
final class VnetRoleAssignment extends DelegatedResource {
  private final MstContext mst;
  private final AzureVnet vnet;
  private final String note;

  /**
   * @param role a built-in role's GUID or a role definition's full id
   * @param principal the key of the principal's resource
   * @param principalId its output that is the principal's object id
   * @param note what the step did, for the event
   */
  VnetRoleAssignment(MstContext mst, Stack stack, ResourceKey key, List<ResourceKey> dependencies, String role,
      String roleName, ResourceKey principal, Output<String> principalId, AzureVnet vnet, String note) {
    super(key, dependencies, mst.azure().roleAssignment(stack, MstResource.owner(mst, stack), key.name(), role,
        roleName, PrincipalType.SERVICE_PRINCIPAL, ctx -> vnet.id(), ctx -> ctx.get(principal, principalId)));
    this.mst = mst;
    this.vnet = vnet;
    this.note = note;
  }

  @Override
  void beforeCreate(StepContext ctx) {
    requireVnet(mst, vnet);
  }

  @Override
  void afterCreate(StepContext ctx, Outputs outputs) {
    ctx.note(note);
  }

  /** Procedure step 5: the VNet must exist; fails naming it otherwise. */
  static void requireVnet(MstContext mst, AzureVnet vnet) {
    boolean exists = AzureSession.ifFound(() -> mst.azure().network(vnet.subscription()).serviceClient()
        .getVirtualNetworks().getByResourceGroup(vnet.resourceGroup(), vnet.name())).isPresent();
    if (!exists) {
      throw new CloudpgException("step 5: the VNet " + vnet + " does not exist, or the signed-in identity cannot "
          + "read it: check the peering's subscription, resource group and VNet name");
    }
  }
}
