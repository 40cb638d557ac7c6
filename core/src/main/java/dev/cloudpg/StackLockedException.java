package dev.cloudpg;

import java.time.Instant;

/**
 * Another run holds the stack's lease and did not release it within {@link ApplyOptions#leaseWait()}. Nothing was
 * changed. Wait for it to finish; if it died, its lease expires and the next run takes it over; an operator who knows
 * it is gone can apply with {@link ApplyOptions#breakLease()}.
 */
public class StackLockedException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  private final String holder;
  private final Instant since;
  private final Instant expires;

  public StackLockedException(String stack, String holder, Instant since, Instant expires) {
    super("stack " + stack + " is being applied by " + holder + " since " + since + " (its lease runs until "
        + expires + " unless renewed); nothing was changed. Wait for it to finish, or, if you know it is gone, "
        + "apply with ApplyOptions.breakLease(true)");
    this.holder = holder;
    this.since = since;
    this.expires = expires;
  }

  /** Who holds the lease. */
  public String holder() {
    return holder;
  }

  public Instant since() {
    return since;
  }

  public Instant expires() {
    return expires;
  }
}
