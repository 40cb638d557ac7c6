package dev.cloudpg.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A stack's lease as stored: who holds it ({@code host pid 1234 since ...}), the run's id, since when, until when
 * unless renewed, and the store's version of the record (for conditional writes; empty before it is stored).
 */
public record LeaseRecord(String holder, String run, Instant since, Instant expires, String version) {
  public LeaseRecord {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(version, "version");
  }

  /** This record with another version, as the store returns it. */
  public LeaseRecord withVersion(String newVersion) {
    return new LeaseRecord(holder, run, since, expires, newVersion);
  }

  /** This record held until {@code until}. */
  public LeaseRecord renewedUntil(Instant until) {
    return new LeaseRecord(holder, run, since, until, version);
  }

  /** Whether this is the same run's record, whatever its version and expiry. */
  public boolean sameRun(LeaseRecord other) {
    return run.equals(other.run);
  }
}
