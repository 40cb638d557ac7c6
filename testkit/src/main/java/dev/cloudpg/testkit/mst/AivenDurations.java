package dev.cloudpg.testkit.mst;

import java.time.Duration;

/**
 * How long {@link FakeAiven}'s objects take to change state, in simulated time. {@code pendingPeerInfo} is how long
 * a connection reports {@code PENDING_PEER} with a null {@code state_info}, before MST's tenant and VNet.
 */
record AivenDurations(Duration vpcBuild, Duration vpcDeletion, Duration serviceBuild, Duration peeringApproval,
    Duration peeringActivation, Duration peeringDeletion, Duration pendingPeerInfo) {
  /** Short enough for unit tests, still ordered like the real ones. */
  static final AivenDurations QUICK = new AivenDurations(Duration.ofSeconds(20), Duration.ofSeconds(10),
      Duration.ofSeconds(40), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO);
  /** What MST takes on Azure, roughly. */
  static final AivenDurations REALISTIC = new AivenDurations(Duration.ofMinutes(3), Duration.ofMinutes(1),
      Duration.ofMinutes(8), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ZERO);

  AivenDurations withVpcBuild(Duration d) {
    return new AivenDurations(d, vpcDeletion, serviceBuild, peeringApproval, peeringActivation, peeringDeletion,
        pendingPeerInfo);
  }

  AivenDurations withServiceBuild(Duration d) {
    return new AivenDurations(vpcBuild, vpcDeletion, d, peeringApproval, peeringActivation, peeringDeletion,
        pendingPeerInfo);
  }

  AivenDurations withPeeringApproval(Duration d) {
    return new AivenDurations(vpcBuild, vpcDeletion, serviceBuild, d, peeringActivation, peeringDeletion,
        pendingPeerInfo);
  }

  AivenDurations withPeeringActivation(Duration d) {
    return new AivenDurations(vpcBuild, vpcDeletion, serviceBuild, peeringApproval, d, peeringDeletion,
        pendingPeerInfo);
  }

  AivenDurations withPendingPeerInfo(Duration d) {
    return new AivenDurations(vpcBuild, vpcDeletion, serviceBuild, peeringApproval, peeringActivation,
        peeringDeletion, d);
  }
}
