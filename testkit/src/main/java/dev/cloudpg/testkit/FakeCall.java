package dev.cloudpg.testkit;

import java.time.Duration;

/**
 * One call to the fake cloud's API: when (simulated time since the fake was made), the operation
 * ({@code createNetwork}, {@code describeDatabaseCluster}...), its target name and its outcome ({@code ok} or an error
 * code).
 */
public record FakeCall(Duration at, String operation, String target, String outcome) {
  /**
   * Whether the call changes a resource: anything but describe and get (list) calls, and the lease calls that take and
   * release a stack's lease around every run (the lease record is not a resource).
   */
  public boolean mutating() {
    return !operation.startsWith("describe") && !operation.startsWith("get") && !operation.contains("Lease");
  }

  public boolean succeeded() {
    return outcome.equals("ok");
  }
}
