package dev.cloudpg.testkit;

import java.time.Duration;

/**
 * One call to the fake cloud's API: when (simulated time since the fake was made), the operation
 * ({@code createNetwork}, {@code describeDatabaseCluster}...), its target name and its outcome ({@code ok} or an error
 * code). Immutable and thread-safe.
 *
 * @param at when the call was made, in simulated time since the fake was made
 * @param operation the operation, such as {@code createNetwork}
 * @param target the name of the resource or stack the call is about
 * @param outcome {@code ok}, or the error code the call failed with
 */
public record FakeCall(Duration at, String operation, String target, String outcome) {
  /**
   * Whether the call changes a resource: anything but describe and get (list) calls, and the lease calls that take and
   * release a stack's lease around every run (the lease record is not a resource).
   *
   * @return true when the operation may change a resource
   */
  public boolean mutating() {
    return !operation.startsWith("describe") && !operation.startsWith("get") && !operation.contains("Lease");
  }

  /**
   * Whether the call succeeded.
   *
   * @return true when the outcome is {@code ok}
   */
  public boolean succeeded() {
    return outcome.equals("ok");
  }
}
