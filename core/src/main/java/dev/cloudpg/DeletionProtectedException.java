package dev.cloudpg;

import java.util.List;

/**
 * Destroy refused because resources of the stack have deletion protection on. Nothing was deleted. Turn protection off
 * in the spec and apply, or destroy with {@link DestroyOptions#overrideDeletionProtection()}.
 */
public class DeletionProtectedException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  private final transient List<ResourceKey> protectedResources;

  public DeletionProtectedException(List<ResourceKey> protectedResources) {
    super("deletion protection is on for " + protectedResources + "; nothing was deleted. Turn it off in the spec and "
        + "apply, or destroy with DestroyOptions.overrideDeletionProtection(true)");
    this.protectedResources = List.copyOf(protectedResources);
  }

  /** For resources refused with a message of the caller's, which says how to proceed. */
  public DeletionProtectedException(String message, List<ResourceKey> protectedResources) {
    super(message);
    this.protectedResources = List.copyOf(protectedResources);
  }

  public List<ResourceKey> protectedResources() {
    return protectedResources;
  }
}
