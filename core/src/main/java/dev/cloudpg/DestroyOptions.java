package dev.cloudpg;

import org.immutables.value.Value;

/** What destroy may do beyond deleting the stack's own unprotected resources. */
@Value.Immutable
@SpecStyle
public abstract class DestroyOptions implements WithDestroyOptions {
  /**
   * Turn deletion protection off and delete protected databases (default false: destroy refuses, deleting nothing,
   * while any resource of the stack is protected).
   */
  @Value.Default
  public boolean overrideDeletionProtection() {
    return false;
  }

  /** Delete databases without a final snapshot (default false: a snapshot with a unique name is taken). */
  @Value.Default
  public boolean skipFinalSnapshot() {
    return false;
  }

  /** The defaults. */
  public static DestroyOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DestroyOptions}. */
  public static final class Builder extends ImmutableDestroyOptions.Builder {}
}
