package dev.cloudpg;

import org.immutables.value.Value;

/** What destroy may do beyond deleting the stack's own unprotected resources. Immutable and thread-safe. */
@Value.Immutable
@SpecStyle
public abstract class DestroyOptions implements WithDestroyOptions {
  /**
   * Turn deletion protection off and delete protected databases (default false: destroy refuses, deleting nothing,
   * while any resource of the stack is protected).
   *
   * @return true if protected resources are unprotected and deleted
   */
  @Value.Default
  public boolean overrideDeletionProtection() {
    return false;
  }

  /**
   * Delete databases without a final snapshot (default false: a snapshot with a unique name is taken).
   *
   * @return true if databases are deleted without a final snapshot
   */
  @Value.Default
  public boolean skipFinalSnapshot() {
    return false;
  }

  /**
   * The defaults.
   *
   * @return options with every default: protection respected, final snapshots taken
   */
  public static DestroyOptions defaults() {
    return builder().build();
  }

  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  DestroyOptions() {}

  /**
   * A builder with the defaults above.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DestroyOptions}, starting from the defaults. Not thread-safe. */
  public static final class Builder extends ImmutableDestroyOptions.Builder {
    Builder() {}
  }
}
