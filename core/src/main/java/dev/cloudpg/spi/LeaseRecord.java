package dev.cloudpg.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A stack's lease as stored: who holds it ({@code host pid 1234 started ...}), the run's id, since when, until when
 * unless renewed, and the store's version of the record (for conditional writes; empty before it is stored). Immutable
 * and thread-safe.
 *
 * @param holder who holds the lease, for other runs' messages
 * @param run the id of the run holding it, unique per run
 * @param since when the run took the lease
 * @param expires when the lease expires unless renewed
 * @param version the store's version of the record, for conditional writes; empty before it is stored
 */
public record LeaseRecord(String holder, String run, Instant since, Instant expires, String version) {
  /**
   * Makes a record.
   *
   * @param holder who holds the lease, for other runs' messages
   * @param run the id of the run holding it, unique per run
   * @param since when the run took the lease
   * @param expires when the lease expires unless renewed
   * @param version the store's version of the record; empty before it is stored
   * @throws NullPointerException if any argument is null
   */
  public LeaseRecord {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(version, "version");
  }

  /**
   * This record with another version, as the store returns it.
   *
   * @param newVersion the store's version of the record
   * @return the new record
   */
  public LeaseRecord withVersion(String newVersion) {
    return new LeaseRecord(holder, run, since, expires, newVersion);
  }

  /**
   * This record held until {@code until}.
   *
   * @param until the new expiry
   * @return the new record, with the same version
   */
  public LeaseRecord renewedUntil(Instant until) {
    return new LeaseRecord(holder, run, since, until, version);
  }

  /**
   * Whether this is the same run's record, whatever its version and expiry.
   *
   * @param other another record
   * @return true if both have the same {@code run}
   */
  public boolean sameRun(LeaseRecord other) {
    return run.equals(other.run);
  }
}
