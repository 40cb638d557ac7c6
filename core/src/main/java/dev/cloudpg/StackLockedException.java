package dev.cloudpg;

import java.time.Instant;

/**
 * Another run holds the stack's lease and did not release it within {@link ApplyOptions#leaseWait()}. Nothing was
 * changed. Wait for it to finish; if it died, its lease expires and the next run takes it over; an operator who knows
 * it is gone can apply with {@link ApplyOptions#breakLease()}.
 */
public class StackLockedException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  /** Who holds the lease. */
  private final String holder;
  /** When the holder took the lease. */
  private final Instant since;
  /** When the lease expires unless renewed. */
  private final Instant expires;

  /**
   * Makes the exception; the message names the holder and says how to proceed.
   *
   * @param stack the name of the locked stack
   * @param holder who holds the lease, such as {@code host pid 4242 started 2026-12-01T09:00:00Z}
   * @param since when the holder took the lease
   * @param expires when the lease expires unless its holder renews it
   */
  public StackLockedException(String stack, String holder, Instant since, Instant expires) {
    super("stack " + stack + " is being applied by " + holder + " since " + since + " (its lease runs until "
        + expires + " unless renewed); nothing was changed. Wait for it to finish, or, if you know it is gone, "
        + "apply with ApplyOptions.breakLease(true)");
    this.holder = holder;
    this.since = since;
    this.expires = expires;
  }

  /**
   * Who holds the lease: the host and process of the other run, or {@code another run in this process}.
   *
   * @return the holder's description
   */
  public String holder() {
    return holder;
  }

  /**
   * When the holder took the lease (for another run in this process, when this run gave up waiting).
   *
   * @return the instant, on the cloud's clock
   */
  public Instant since() {
    return since;
  }

  /**
   * When the lease expires unless its holder renews it; a run that finds it expired takes it over. For another run in
   * this process, when this run gave up waiting.
   *
   * @return the instant, on the cloud's clock
   */
  public Instant expires() {
    return expires;
  }
}
