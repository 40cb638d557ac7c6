package dev.cloudpg.mst.internal;

import dev.cloudpg.Peering;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;

/** What the mst resources share: key, dependencies and the context. Immutable, as every resource is. */
abstract class MstResource extends AbstractResource {
  protected final MstContext mst;
  protected final Stack stack;

  MstResource(MstContext mst, Stack stack, ResourceKey key, List<ResourceKey> dependencies) {
    super(key, dependencies);
    this.mst = mst;
    this.stack = stack;
  }

  @Override
  public WaitPolicy waitPolicy() {
    return mst.waitPolicy(ownWaitPolicy());
  }

  WaitPolicy ownWaitPolicy() {
    return WaitPolicy.DEFAULT;
  }

  /**
   * The tag that marks Entra ID objects and role definitions as the stack's, {@code cloudpg:stack=<project>/<stack>}.
   * It names the MST project too: the directory is shared by every project peering into the tenant, and two of them
   * may hold stacks of the same name.
   */
  String stackTag() {
    return stackTag(mst, stack);
  }

  static String stackTag(MstContext mst, Stack stack) {
    return Ownership.STACK + "=" + owner(mst, stack);
  }

  /** Whose a tenant-wide object is: the MST project and the stack. */
  static String owner(MstContext mst, Stack stack) {
    return mst.project() + "/" + stack.name();
  }

  /**
   * The name of the shared objects of a peering (application, custom role, the peering in the user's VNet): unique
   * per project and stack, since several projects may peer with one tenant and one VNet.
   */
  static String tenantWideName(MstContext mst, Stack stack, Peering peering) {
    return tenantWideName(mst, stack, peering.name());
  }

  /** The same for the peering of this name. */
  static String tenantWideName(MstContext mst, Stack stack, String peering) {
    return "cloudpg-" + mst.project() + "-" + stack.name() + "-" + peering;
  }
}
