package dev.cloudpg.aws.internal;

import dev.cloudpg.spi.Text;
import java.util.Optional;

/** The statuses of Aurora clusters and instances that a check reads: ready, or stuck for good. */
final class AuroraStatus {
  static final String AVAILABLE = "available";
  static final String CREATING = "creating";
  static final String DELETING = "deleting";

  private AuroraStatus() {}

  /**
   * Why a cluster or instance in {@code status} will never become available, with what to check; empty while it may
   * still get there.
   *
   * @param what {@code DB cluster "orders"}, {@code DB instance "orders-instance-1"}
   */
  static Optional<String> failure(String what, String status) {
    if (status == null) {
      return Optional.empty();
    }
    String hint;
    if (status.equals("failed")) {
      hint = "see its events in the RDS console";
    } else if (status.equals("incompatible-parameters")) {
      hint = "check its parameter group against the engine version and instance class";
    } else if (status.equals("incompatible-network")) {
      hint = "check that the subnets of its DB subnet group have free addresses and still exist";
    } else if (status.startsWith("incompatible-")) {
      hint = "see its events in the RDS console";
    } else if (status.equals("inaccessible-encryption-credentials")) {
      hint = "check that its KMS key is enabled and that RDS may use it";
    } else if (status.equals("storage-full")) {
      hint = "it ran out of storage; see its events in the RDS console";
    } else {
      return Optional.empty();
    }
    return Optional.of(what + " is " + Text.quote(status) + ": " + hint);
  }
}
