package dev.cloudpg;

import java.util.List;

/**
 * Destroy refused because resources of the stack have deletion protection on. Nothing was deleted. Turn protection off
 * in the spec and apply, or destroy with {@link DestroyOptions#overrideDeletionProtection()}.
 */
public class DeletionProtectedException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  private final transient List<ResourceKey> protectedResources;

  /**
   * Makes the exception for a destroy refused because of these resources, with a message saying how to proceed.
   *
   * @param protectedResources the resources whose deletion protection is on
   */
  public DeletionProtectedException(List<ResourceKey> protectedResources) {
    super("deletion protection is on for " + protectedResources + "; nothing was deleted. Turn it off in the spec and "
        + "apply, or destroy with DestroyOptions.overrideDeletionProtection(true)");
    this.protectedResources = List.copyOf(protectedResources);
  }

  /**
   * For resources refused with a message of the caller's, which says how to proceed.
   *
   * @param message what was refused and how to proceed
   * @param protectedResources the resources whose deletion protection is on
   */
  public DeletionProtectedException(String message, List<ResourceKey> protectedResources) {
    super(message);
    this.protectedResources = List.copyOf(protectedResources);
  }

  /**
   * The resources that deletion protection keeps.
   *
   * @return their keys, unmodifiable
   */
  public List<ResourceKey> protectedResources() {
    return protectedResources;
  }
}
