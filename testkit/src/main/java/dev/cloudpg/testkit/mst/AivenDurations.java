package dev.cloudpg.testkit.mst;

import java.time.Duration;

/** How long {@link FakeAiven}'s objects take to change state, in simulated time. */
record AivenDurations(Duration vpcBuild, Duration vpcDeletion, Duration serviceBuild, Duration peeringApproval,
    Duration peeringActivation, Duration peeringDeletion) {
  /** Short enough for unit tests, still ordered like the real ones. */
  static final AivenDurations QUICK = new AivenDurations(Duration.ofSeconds(20), Duration.ofSeconds(10),
      Duration.ofSeconds(40), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5));
  /** What MST takes on Azure, roughly. */
  static final AivenDurations REALISTIC = new AivenDurations(Duration.ofMinutes(3), Duration.ofMinutes(1),
      Duration.ofMinutes(8), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(30));
}
